"""The only module that draws on the terminal.

Diagnostics, progress and summaries go to stderr; stdout is kept for data a
user may pipe (``scaffold spec schema``). Rich is used here and nowhere else.
"""

from __future__ import annotations

from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from collections.abc import Sequence

    from rich.console import Console
    from rich.status import Status

    from scaffold.check import CheckResult
    from scaffold.plan import Plan

__all__ = [
    "ConsoleReporter",
    "err",
    "escape",
    "out",
    "plan_json",
    "print_error",
    "print_plan",
    "print_results",
    "print_success",
    "results_json",
]


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


def print_results(root: Path, results: Sequence[CheckResult]) -> None:
    """Print a table of the checks (result and time), then how to rerun failures."""
    from rich.table import Table

    table = Table(title=f"Checks of {root}", title_justify="left")
    table.add_column("check")
    table.add_column("result")
    table.add_column("time", justify="right")
    for result in results:
        verdict = "[green]passed[/]" if result.ok else "[bold red]failed[/]"
        table.add_row(result.check.name, verdict, f"{result.seconds:.1f} s")
    err().print(table)
    for result in results:
        if not result.ok:
            err().print(
                f"[red]error:[/] check {escape(result.check.name)!r} failed; rerun "
                f"with: cd {escape(str(root))} && {escape(result.check.rerun)}"
            )


def print_plan(plan: Plan) -> None:
    """Show each file's action and its diff on stdout: colours only on a terminal."""
    from rich.syntax import Syntax

    console = out()
    for op in plan.ops:
        console.print(f"{op.action.value:>9} {escape(op.path.as_posix())}")
    for op in plan.changes:
        if console.is_terminal:
            console.print(Syntax(op.diff(), "diff", background_color="default"))
        else:
            console.file.write(op.diff())


def plan_json(plan: Plan) -> str:
    """The plan as JSON, for CI: each file's path, action and diff."""
    import json

    return json.dumps(
        {
            "files": [
                {
                    "path": op.path.as_posix(),
                    "action": op.action.value,
                    "diff": op.diff(),
                }
                for op in plan.ops
            ]
        },
        indent=2,
    )


def results_json(root: Path, results: Sequence[CheckResult]) -> str:
    """The results as JSON, for CI: each check's name, kind, result and time."""
    import json

    from scaffold.check import exit_code_for

    return json.dumps(
        {
            "project": str(root),
            "ok": all(result.ok for result in results),
            "exit_code": exit_code_for(results),
            "checks": [
                {
                    "name": result.check.name,
                    "kind": result.check.kind,
                    "ok": result.ok,
                    "returncode": result.returncode,
                    "seconds": round(result.seconds, 3),
                    "command": result.check.rerun,
                    "output": result.output if not result.ok else "",
                }
                for result in results
            ],
        },
        indent=2,
    )


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
