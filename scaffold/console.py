"""The only module that draws on the terminal.

Diagnostics, progress and summaries go to stderr; stdout is kept for data a
user may pipe (``scaffold spec schema``). Rich is used here and nowhere else.
"""

from __future__ import annotations

from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from rich.console import Console
    from rich.status import Status

__all__ = ["ConsoleReporter", "err", "escape", "out", "print_error", "print_success"]


@cache
def err() -> Console:
    """The console on stderr: diagnostics, progress and summaries.

    Rich is imported on first use, so a quiet run never pays for it.
    """
    from rich.console import Console

    return Console(stderr=True, highlight=False, soft_wrap=True)


@cache
def out() -> Console:
    """The console on stdout, for data a user may pipe."""
    from rich.console import Console

    return Console(highlight=False, soft_wrap=True)


def escape(text: str) -> str:
    """Escape Rich markup in ``text``."""
    from rich.markup import escape as rich_escape

    return rich_escape(text)


def print_error(problems: tuple[str, ...]) -> None:
    """Print each problem on its own line, the first marked as an error."""
    first, *rest = problems
    err().print(f"[bold red]error:[/] {escape(first)}")
    for line in rest:
        err().print(
            escape(line) if line.startswith(" ") else f"[red]error:[/] {escape(line)}"
        )


def print_success(message: str, *next_steps: str) -> None:
    """Print a success line, then the commands to run next."""
    err().print(f"[bold green]✓[/] {escape(message)}")
    if next_steps:
        err().print("\nNext:")
        for step in next_steps:
            err().print(f"  [cyan]{escape(step)}[/]")


class ConsoleReporter:
    """Shows the pipeline's progress on stderr.

    Args:
        quiet: Show nothing but errors.
        verbose: List every file written.
    """

    def __init__(self, *, quiet: bool = False, verbose: bool = False) -> None:
        self.quiet = quiet
        self.verbose = verbose
        self._status: Status | None = None

    def stage(self, message: str) -> None:
        """Announce a step."""
        if not self.quiet:
            err().print(f"[bold]•[/] {escape(message)}")

    def wrote(self, action: str, path: Path) -> None:
        """List a written file, when verbose."""
        if self.verbose and not self.quiet:
            err().print(f"  [green]{action:>9}[/] {escape(path.as_posix())}")

    def check_started(self, name: str) -> None:
        """Show that a check is running."""
        if not self.quiet and err().is_terminal:
            self._status = err().status(f"running {escape(name)}…")
            self._status.start()

    def check_finished(self, name: str, *, ok: bool, seconds: float) -> None:
        """Show a check's result and time."""
        if self._status is not None:
            self._status.stop()
            self._status = None
        if self.quiet and ok:
            return
        mark = "[green]✓[/]" if ok else "[bold red]✗[/]"
        err().print(f"  {mark} {escape(name):<18} {seconds:6.1f} s")
