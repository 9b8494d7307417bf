"""The one user-facing error hierarchy of scaffold.

Every error a user can cause or fix derives from :class:`ScaffoldError`. The CLI
catches it once, prints its message (one line per problem) on stderr and exits
with its ``exit_code``. Anything else that escapes is a bug in scaffold.
"""

from __future__ import annotations

import signal
from collections.abc import Iterable

__all__ = [
    "BadValueError",
    "CheckFailedError",
    "ConflictError",
    "Interrupted",
    "MergeConflictError",
    "ProjectError",
    "ScaffoldError",
    "SpecError",
    "SpecFileError",
    "UsageError",
    "WiringError",
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


class WiringError(ProjectError):
    """A shared file no longer has the shape an edit expects."""


class BadValueError(ValueError):
    """A value that does not parse; its message says what would."""


class SpecFileError(Exception):
    """The file cannot be read or parsed; the message is one problem line."""


class MergeConflictError(ScaffoldError):
    """Merged files hold conflict markers for the user to resolve."""

    exit_code = 1


class ConflictError(ScaffoldError):
    """Files the user modified stand in the way; nothing was written."""


class Interrupted(BaseException):
    """The process received SIGINT (Ctrl-C) or SIGTERM.

    A ``BaseException``, like ``KeyboardInterrupt``, so that no
    ``except Exception`` on the way swallows it.
    """

    def __init__(self, signum: int) -> None:
        super().__init__(signal.Signals(signum).name)
        self.signum = signum

    @property
    def exit_code(self) -> int:
        """128 plus the signal number: 130 for Ctrl-C, 143 for SIGTERM."""
        return 128 + self.signum

    @property
    def cause(self) -> str:
        """How the user would name the signal."""
        return "Ctrl-C" if self.signum == signal.SIGINT else "SIGTERM"
