"""How the library tells the caller what it is doing, without printing.

Library functions take a :class:`Reporter`; the CLI passes one that draws with
Rich on stderr, tests pass :class:`RecordingReporter` or nothing at all.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Protocol

__all__ = ["NullReporter", "RecordingReporter", "Reporter"]


class Reporter(Protocol):
    """Receives progress events from the pipeline."""

    def stage(self, message: str) -> None:
        """A new step of the job has started."""

    def wrote(self, action: str, path: Path) -> None:
        """A file was created, modified or left identical (``action``)."""

    def check_started(self, name: str) -> None:
        """An external check (ruff, mypy, pytest...) has started."""

    def check_finished(self, name: str, *, ok: bool, seconds: float) -> None:
        """An external check has finished."""


class NullReporter:
    """A reporter that ignores every event."""

    def stage(self, message: str) -> None:
        """Ignore the event."""

    def wrote(self, action: str, path: Path) -> None:
        """Ignore the event."""

    def check_started(self, name: str) -> None:
        """Ignore the event."""

    def check_finished(self, name: str, *, ok: bool, seconds: float) -> None:
        """Ignore the event."""


@dataclass
class RecordingReporter:
    """A reporter that keeps every event, for tests and JSON output."""

    events: list[tuple[str, ...]] = field(default_factory=list)

    def stage(self, message: str) -> None:
        """Record the start of a step."""
        self.events.append(("stage", message))

    def wrote(self, action: str, path: Path) -> None:
        """Record a file write."""
        self.events.append(("wrote", action, path.as_posix()))

    def check_started(self, name: str) -> None:
        """Record the start of a check."""
        self.events.append(("check_started", name))

    def check_finished(self, name: str, *, ok: bool, seconds: float) -> None:
        """Record the end of a check (the duration is left out: it varies)."""
        self.events.append(("check_finished", name, "ok" if ok else "failed"))
