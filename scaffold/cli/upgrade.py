"""``scaffold upgrade``."""

from pathlib import Path
from typing import Annotated

import typer

from scaffold.cli.app import PASSED, app
from scaffold.cli.options import (
    AllowDirtyOption,
    DryRunOption,
    JsonOption,
    ProjectOption,
    QuietOption,
    VerboseOption,
)
from scaffold.errors import UsageError

__all__ = ["upgrade"]


@app.command("upgrade")
def upgrade(
    project: ProjectOption = Path(),
    dry_run: DryRunOption = False,
    as_json: JsonOption = False,
    check: Annotated[
        bool,
        typer.Option(
            "--check",
            help="Write nothing; exit 1 if an upgrade would change anything (CI).",
        ),
    ] = False,
    verify: Annotated[
        bool,
        typer.Option(
            "--verify/--no-verify",
            help="Run the project's checks and migration round trip afterwards.",
        ),
    ] = True,
    force: Annotated[
        bool,
        typer.Option(
            "--force",
            help="Overwrite your edits instead of merging (a backup is kept under "
            ".scaffold/backup/).",
        ),
    ] = False,
    allow_dirty: AllowDirtyOption = False,
    verbose: VerboseOption = False,
    quiet: QuietOption = False,
) -> None:
    """Bring the project up to the installed templates, keeping your edits.

    The skeleton is rendered again from .copier-answers.yml and every resource
    from its recorded spec; files you did not touch take the new text, your
    edits are merged three-way, and lines changed on both sides get conflict
    markers (exit 1). Schema changes come as new revisions.
    """
    from scaffold.changes.next_steps import project_files
    from scaffold.changes.upgrade import preview_upgrade, upgrade_project
    from scaffold.cli.console import (
        ConsoleReporter,
        plan_json,
        print_notes,
        print_plan,
        print_success,
    )

    if as_json and not (dry_run or check):
        raise UsageError("--json shows a plan: use it with --dry-run or --check")
    if dry_run or check:
        _, planned = preview_upgrade(
            project=project, force=force, allow_dirty=allow_dirty or check
        )
        if as_json:
            typer.echo(plan_json(planned.plan))
        elif dry_run:
            print_plan(planned.plan)
        if not check:
            return
        changes = planned.plan.changes
        if not quiet and not as_json:
            print_success(
                f"{project_files(op.path for op in changes)} project files would "
                "change: run scaffold upgrade"
                if changes
                else "Up to date with the installed templates"
            )
        raise typer.Exit(1 if changes else 0)
    reporter = ConsoleReporter(quiet=quiet, verbose=verbose)
    result = upgrade_project(
        project=project,
        force=force,
        allow_dirty=allow_dirty,
        check=verify,
        reporter=reporter,
    )
    print_notes(result.notes)
    if not quiet:
        changed = project_files(op.path for op in result.plan.changes)
        print_success(
            f"Upgraded {result.root.name} ({changed} project files written)"
            f"{PASSED if result.checks else ''}"
            if changed
            else "Up to date with the installed templates"
        )
