"""The one user-facing error hierarchy of scaffold.

Every error a user can cause or fix derives from :class:`ScaffoldError`. The CLI
catches it once, prints its message (one line per problem) on stderr and exits
with its ``exit_code``. Anything else that escapes is a bug in scaffold.
"""

from __future__ import annotations

from collections.abc import Iterable

__all__ = [
    "CheckFailedError",
    "ProjectError",
    "ScaffoldError",
    "SpecError",
    "UsageError",
]


class ScaffoldError(Exception):
    """Base class of every error reported to the user.

    Args:
        problems: One or more problems, each a single line that names what is
            wrong and how to fix it.
    """

    exit_code: int = 2

    def __init__(self, *problems: str) -> None:
        if not problems:
            raise ValueError("a ScaffoldError needs at least one problem")
        self.problems: tuple[str, ...] = problems
        super().__init__("\n".join(problems))

    @classmethod
    def from_problems(cls, problems: Iterable[str]) -> ScaffoldError:
        """Build the error from an iterable of problem lines."""
        return cls(*problems)


class UsageError(ScaffoldError):
    """The command line asks for something that cannot be done."""


class SpecError(ScaffoldError):
    """A resource spec (field list or spec file) is invalid."""


class ProjectError(ScaffoldError):
    """The target project is missing, not a scaffold project, or in the way."""


class CheckFailedError(ScaffoldError):
    """A check of the generated project (lint, types, tests) failed."""

    exit_code = 1
