"""``scaffold migrations merge`` and ``scaffold migrations rebase``."""

from pathlib import Path

import typer

from scaffold.cli.app import PASSED, app, show_plan
from scaffold.cli.options import (
    AllowDirtyOption,
    CheckOption,
    DryRunOption,
    JsonOption,
    ProjectOption,
    QuietOption,
    VerboseOption,
)

__all__ = ["merge", "migrations_app", "rebase"]

migrations_app = typer.Typer(
    help="Keep the Alembic history a single line: one head.", no_args_is_help=True
)
app.add_typer(migrations_app, name="migrations")


def _run(
    command: str,
    *,
    project: Path,
    check: bool,
    dry_run: bool,
    as_json: bool,
    allow_dirty: bool,
    verbose: bool,
    quiet: bool,
) -> None:
    from scaffold.changes.history import merge_heads, preview_history, rebase_heads
    from scaffold.cli.console import ConsoleReporter, print_success

    if show_plan(
        dry_run,
        as_json,
        lambda: preview_history(command, project=project, allow_dirty=allow_dirty)[1],
    ):
        return
    reporter = ConsoleReporter(quiet=quiet, verbose=verbose)
    run = merge_heads if command == "merge" else rebase_heads
    result = run(
        project=project, allow_dirty=allow_dirty, check=check, reporter=reporter
    )
    if not quiet:
        passed = PASSED if result.checks else ""
        print_success(f"{result.summary[:1].upper()}{result.summary[1:]}{passed}")


@migrations_app.command("merge")
def merge(
    project: ProjectOption = Path(),
    check: CheckOption = True,
    dry_run: DryRunOption = False,
    as_json: JsonOption = False,
    allow_dirty: AllowDirtyOption = False,
    verbose: VerboseOption = False,
    quiet: QuietOption = False,
) -> None:
    """Write the revision that joins the history's heads.

    Its id and file name follow from the heads alone, so everyone who merges
    the same heads writes the same file; an existing merge of them is reused.
    """
    _run(
        "merge",
        project=project,
        check=check,
        dry_run=dry_run,
        as_json=as_json,
        allow_dirty=allow_dirty,
        verbose=verbose,
        quiet=quiet,
    )


@migrations_app.command("rebase")
def rebase(
    project: ProjectOption = Path(),
    check: CheckOption = True,
    dry_run: DryRunOption = False,
    as_json: JsonOption = False,
    allow_dirty: AllowDirtyOption = False,
    verbose: VerboseOption = False,
    quiet: QuietOption = False,
) -> None:
    """Re-chain scaffold's unapplied revisions onto the other head.

    Only revisions scaffold wrote for a resource and that the project's
    database (its DATABASE_URL) has not applied are moved; otherwise it
    refuses and says to merge instead.
    """
    _run(
        "rebase",
        project=project,
        check=check,
        dry_run=dry_run,
        as_json=as_json,
        allow_dirty=allow_dirty,
        verbose=verbose,
        quiet=quiet,
    )
