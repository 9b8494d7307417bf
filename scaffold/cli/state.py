"""``scaffold status``, ``recover``, ``check`` and ``spec schema``."""

from pathlib import Path
from typing import Annotated

import typer

from scaffold.cli.app import app, spec_app
from scaffold.cli.options import (
    QuietOption,
)
from scaffold.errors import ScaffoldError

__all__ = ["check", "recover", "spec_schema", "status"]


@app.command("status")
def status(
    path: Annotated[
        Path, typer.Argument(help="A directory inside the project.", file_okay=False)
    ] = Path(),
    as_json: Annotated[
        bool, typer.Option("--json", help="Print every file's state as JSON on stdout.")
    ] = False,
    changed: Annotated[
        bool,
        typer.Option("--changed", help="List only the files you modified or removed."),
    ] = False,
) -> None:
    """List each generated file: unmodified, modified by you, or missing."""
    from scaffold.cli.console import print_notes, print_status, status_json
    from scaffold.engine.apply import ensure_no_journal
    from scaffold.project.answers import find_project
    from scaffold.project.manifest import file_states, read_manifest

    root = find_project(path)
    manifest = read_manifest(root)
    states = file_states(root, manifest)
    try:
        ensure_no_journal(root)
    except ScaffoldError as exc:
        print_notes(exc.problems)
    if as_json:
        typer.echo(status_json(root, manifest, states))
    else:
        print_status(root, manifest, states, changed_only=changed)


@app.command("recover")
def recover(
    path: Annotated[
        Path, typer.Argument(help="A directory inside the project.", file_okay=False)
    ] = Path(),
    dry_run: Annotated[
        bool, typer.Option("--dry-run", help="List what would be restored.")
    ] = False,
) -> None:
    """Restore a project that a killed scaffold run left half-written."""
    from scaffold.cli.console import print_notes, print_success
    from scaffold.engine.apply import recover as play_back
    from scaffold.project.answers import find_project

    root = find_project(path)
    recovery = play_back(root, dry_run=dry_run)
    if recovery is None:
        print_success(
            f"Nothing to recover: no interrupted run left a journal in {root}"
        )
        return
    would = "would be " if dry_run else ""
    print_notes(
        [
            *(f"{path} {would}restored" for path in recovery.restored),
            *(f"{path} {would}removed" for path in recovery.removed),
        ]
    )
    if not dry_run:
        print_success(
            f"Recovered {root}: every file is as it was before the interrupted run"
        )


@app.command("check")
def check(
    path: Annotated[
        Path, typer.Argument(help="A directory inside the project.", file_okay=False)
    ] = Path(),
    db_url: Annotated[
        str | None,
        typer.Option(
            help="Run against this database, e.g. postgresql+asyncpg://user@host/db "
            "(the tests use its *_test twin).",
        ),
    ] = None,
    as_json: Annotated[
        bool, typer.Option("--json", help="Print the results as JSON on stdout.")
    ] = False,
    quiet: QuietOption = False,
) -> None:
    """Run a project's checks: format, lint, types, tests, migration round trip.

    Exits 0 when all pass; otherwise with the code of the first failed kind
    of check: 3 format, 4 lint, 5 types, 6 tests, 7 migrations, 8 template
    overrides (one is orphaned).
    """
    from scaffold.cli.console import ConsoleReporter, print_results, results_json
    from scaffold.project.answers import find_project
    from scaffold.tools.check import check_project, exit_code_for

    root = find_project(path)
    reporter = ConsoleReporter(quiet=quiet or as_json)
    results = check_project(root, db_url=db_url, reporter=reporter)
    if as_json:
        typer.echo(results_json(root, results))
    elif not quiet:
        print_results(root, results)
    raise typer.Exit(exit_code_for(results))


@spec_app.command("schema")
def spec_schema() -> None:
    """Print the JSON Schema of spec files, for editors to autocomplete them."""
    import json

    from scaffold.cli.console import out
    from scaffold.spec import spec_json_schema

    out().print_json(json.dumps(spec_json_schema()), highlight=False)
