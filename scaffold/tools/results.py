"""What a check is, and what running it gave."""

from __future__ import annotations

import shlex
from dataclasses import dataclass

__all__ = ["Check", "CheckResult"]


@dataclass(frozen=True)
class Check:
    """One check: a name for people, its kind and the command run in the project."""

    name: str
    argv: tuple[str, ...]
    kind: str = "tests"
    #: What a user types to run it by hand, when that is not ``uv run`` argv.
    rerun_command: str | None = None

    @property
    def rerun(self) -> str:
        """The command a user types to run this check by hand."""
        return self.rerun_command or shlex.join(("uv", "run", *self.argv))


@dataclass(frozen=True)
class CheckResult:
    """What one check did."""

    check: Check
    ok: bool
    returncode: int
    seconds: float
    output: str
