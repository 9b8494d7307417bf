"""``scaffold apply SPEC_FILE``: the declarative form of the resource commands."""

import json
from pathlib import Path
from typing import Annotated

import typer

from scaffold.cli.app import PASSED, app
from scaffold.cli.options import (
    AllowDirtyOption,
    CheckOption,
    DryRunOption,
    JsonOption,
    ProjectOption,
    QuietOption,
    VerboseOption,
)
from scaffold.errors import UsageError

__all__ = ["apply"]


@app.command("apply")
def apply(
    spec: Annotated[
        Path,
        typer.Argument(
            help="A YAML, TOML or JSON spec file: the resources to have.",
            dir_okay=False,
        ),
    ],
    prune: Annotated[
        bool,
        typer.Option(
            "--prune", help="Also remove the resources the file does not list."
        ),
    ] = False,
    allow_data_loss: Annotated[
        bool,
        typer.Option(
            "--allow-data-loss",
            help="Accept changes that destroy data (dropped columns, narrower types).",
        ),
    ] = False,
    project: ProjectOption = Path(),
    check: CheckOption = True,
    dry_run: DryRunOption = False,
    as_json: JsonOption = False,
    allow_dirty: AllowDirtyOption = False,
    verbose: VerboseOption = False,
    quiet: QuietOption = False,
) -> None:
    """Make the project's resources what a spec file says: add, change, prune.

    A field's renamed_from: OLD marks a rename (never guessed). Running it
    twice changes nothing the second time.
    """
    from scaffold.changes.apply_spec import apply_spec, plan_apply
    from scaffold.cli.console import ConsoleReporter, out, print_success

    if as_json and not dry_run:
        raise UsageError("--json shows a plan: use it together with --dry-run")
    plan = plan_apply(spec, project=project, prune=prune)
    if dry_run:
        if as_json:
            typer.echo(json.dumps({"steps": plan.summary()}, indent=2))
        else:
            for line in plan.summary():
                out().print(line, highlight=False)
        return
    reporter = ConsoleReporter(quiet=quiet, verbose=verbose)
    checks = apply_spec(
        plan,
        check=check,
        allow_data_loss=allow_data_loss,
        allow_dirty=allow_dirty,
        reporter=reporter,
    )
    if not quiet:
        print_success(
            f"Applied {spec}: {'; '.join(plan.summary())}{PASSED if checks else ''}"
        )
