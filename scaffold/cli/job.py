"""The ``scaffold add job`` command, registered on ``scaffold add`` by the CLI."""

from pathlib import Path
from typing import Annotated

import typer

from scaffold.errors import UsageError

__all__ = ["add_job_command"]


def add_job_command(
    name: Annotated[
        str, typer.Argument(help="Job name: send_report, SendReport or send-report.")
    ],
    project: Annotated[
        Path,
        typer.Option(
            "--project", "-p", help="A directory inside the project.", file_okay=False
        ),
    ] = Path(),
    check: Annotated[
        bool,
        typer.Option(
            "--check/--no-check",
            help="Run the project's checks and migration round trip afterwards.",
        ),
    ] = True,
    dry_run: Annotated[
        bool,
        typer.Option(
            "--dry-run", help="Show each file's action and diff; write nothing."
        ),
    ] = False,
    as_json: Annotated[
        bool, typer.Option("--json", help="With --dry-run: print the plan as JSON.")
    ] = False,
    allow_dirty: Annotated[
        bool,
        typer.Option(
            "--allow-dirty", help="Change files that have uncommitted changes in git."
        ),
    ] = False,
    verbose: Annotated[
        bool, typer.Option("--verbose", "-v", help="List every file written.")
    ] = False,
    quiet: Annotated[
        bool, typer.Option("--quiet", "-q", help="Print only errors.")
    ] = False,
) -> None:
    """Add a background job to a project made with --jobs, registered and tested."""
    from scaffold.changes.add_job import add_job, preview_job
    from scaffold.cli.console import (
        ConsoleReporter,
        plan_json,
        print_plan,
        print_success,
    )

    if as_json and not dry_run:
        raise UsageError("--json shows a plan: use it together with --dry-run")
    if dry_run:
        plan = preview_job(name, project=project)[1]
        if as_json:
            typer.echo(plan_json(plan))
        else:
            print_plan(plan)
        return
    reporter = ConsoleReporter(quiet=quiet, verbose=verbose)
    result = add_job(
        name, project=project, check=check, allow_dirty=allow_dirty, reporter=reporter
    )
    if not quiet:
        checks = "; ruff, mypy, pytest and migrations pass" if check else ""
        print_success(
            f"Added job {result.name} ({len(result.plan.changes)} files written)"
            f"{checks}",
            f"edit app/jobs/{result.name}.py",
            f'enqueue it: await queue.enqueue_job("{result.name}")',
            "uv run arq app.jobs.worker.WorkerSettings",
        )
