"""``scaffold add field``, ``remove field``, ``rename field`` and ``alter field``."""

from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from scaffold.cli.app import PASSED, add_app, app, remove_app
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

if TYPE_CHECKING:
    from scaffold.changes.evolve import Evolution

__all__ = ["add_field", "alter_field", "remove_field", "rename_field"]

rename_app = typer.Typer(
    help="Rename part of an existing project.", no_args_is_help=True
)
app.add_typer(rename_app, name="rename")
alter_app = typer.Typer(
    help="Change part of an existing project.", no_args_is_help=True
)
app.add_typer(alter_app, name="alter")

ResourceArgument = Annotated[
    str, typer.Argument(help="The resource, as recorded: book, or its plural books.")
]
FieldsArgument = Annotated[
    list[str],
    typer.Argument(
        help="Fields as add resource takes them, e.g. isbn:str(13):unique.",
        show_default=False,
    ),
]
BackfillOption = Annotated[
    str | None,
    typer.Option(
        "--backfill",
        help="The value rows already in the table get for a required field "
        "(checked like a default).",
        show_default=False,
    ),
]
DataLossOption = Annotated[
    bool,
    typer.Option(
        "--allow-data-loss",
        help="Accept a change that destroys data: a dropped column, a narrower "
        "type. The revision is marked DESTRUCTIVE.",
    ),
]


def _run(
    preview: Callable[[], "Evolution"],
    *,
    dry_run: bool,
    as_json: bool,
    check: bool,
    quiet: bool,
    verbose: bool,
    done: str,
) -> None:
    """Plan, then show the plan (``--dry-run``) or carry it out."""
    from scaffold.changes.evolve import evolve
    from scaffold.changes.next_steps import project_files
    from scaffold.cli.console import ConsoleReporter, print_notes, print_success
    from scaffold.cli.evolution_view import evolution_json, print_evolution

    if as_json and not dry_run:
        raise UsageError("--json shows a plan: use it together with --dry-run")
    evolution = preview()
    if dry_run:
        if as_json:
            typer.echo(evolution_json(evolution))
        else:
            print_evolution(evolution)
        return
    reporter = ConsoleReporter(quiet=quiet, verbose=verbose)
    result = evolve(evolution, check=check, reporter=reporter)
    print_notes(
        [
            f"{line} still names a field that is gone; update it"
            for line in evolution.stale
        ]
    )
    if not quiet:
        written = project_files(op.path for op in evolution.plan.changes)
        revision = (
            "no revision: the database schema does not change"
            if evolution.revision_path is None
            else f"revision {evolution.revision_path.name}"
        )
        print_success(
            f"{done} ({written} project files written, {revision})"
            f"{PASSED if result.checks else ''}"
        )


@add_app.command("field")
def add_field(
    resource: ResourceArgument,
    fields: FieldsArgument,
    backfill: BackfillOption = None,
    project: ProjectOption = Path(),
    check: CheckOption = True,
    dry_run: DryRunOption = False,
    as_json: JsonOption = False,
    allow_dirty: AllowDirtyOption = False,
    verbose: VerboseOption = False,
    quiet: QuietOption = False,
) -> None:
    """Add fields to a resource: every layer, and a migration that fills old rows.

    A required field needs a value for the rows already in the table: its
    default=, or --backfill VALUE.
    """
    from scaffold.changes.add_field import preview_add_fields

    _run(
        lambda: preview_add_fields(
            resource,
            fields,
            project=project,
            backfill=backfill,
            allow_dirty=allow_dirty,
        ),
        dry_run=dry_run,
        as_json=as_json,
        check=check,
        quiet=quiet,
        verbose=verbose,
        done=f"Added {', '.join(f.partition(':')[0] for f in fields)} to {resource}",
    )


@remove_app.command("field")
def remove_field(
    resource: ResourceArgument,
    names: Annotated[
        list[str],
        typer.Argument(help="Field or reference names.", show_default=False),
    ],
    allow_data_loss: DataLossOption = False,
    project: ProjectOption = Path(),
    check: CheckOption = True,
    dry_run: DryRunOption = False,
    as_json: JsonOption = False,
    allow_dirty: AllowDirtyOption = False,
    verbose: VerboseOption = False,
    quiet: QuietOption = False,
) -> None:
    """Remove fields or references; their columns are dropped (--allow-data-loss)."""
    from scaffold.changes.remove_field import preview_remove_fields

    _run(
        lambda: preview_remove_fields(
            resource,
            names,
            project=project,
            allow_data_loss=allow_data_loss,
            allow_dirty=allow_dirty,
        ),
        dry_run=dry_run,
        as_json=as_json,
        check=check,
        quiet=quiet,
        verbose=verbose,
        done=f"Removed {', '.join(names)} from {resource}",
    )


@rename_app.command("field")
def rename_field(
    resource: ResourceArgument,
    old: Annotated[str, typer.Argument(help="The field's name now.")],
    new: Annotated[str, typer.Argument(help="Its new name.")],
    project: ProjectOption = Path(),
    check: CheckOption = True,
    dry_run: DryRunOption = False,
    as_json: JsonOption = False,
    allow_dirty: AllowDirtyOption = False,
    verbose: VerboseOption = False,
    quiet: QuietOption = False,
) -> None:
    """Rename a field or reference: the column is renamed, every value kept."""
    from scaffold.changes.rename_field import preview_rename_field

    _run(
        lambda: preview_rename_field(
            resource, old, new, project=project, allow_dirty=allow_dirty
        ),
        dry_run=dry_run,
        as_json=as_json,
        check=check,
        quiet=quiet,
        verbose=verbose,
        done=f"Renamed {resource}.{old} to {new}",
    )


@alter_app.command("field")
def alter_field(
    resource: ResourceArgument,
    fields: Annotated[
        list[str],
        typer.Argument(
            help="Each field's complete new definition, e.g. title:str(300):unique "
            "or author:ref?:on_delete=cascade.",
            show_default=False,
        ),
    ],
    backfill: BackfillOption = None,
    maps: Annotated[
        list[str] | None,
        typer.Option(
            "--map",
            help="OLD=NEW: rows holding an enum value that is removed take NEW.",
            show_default=False,
        ),
    ] = None,
    allow_data_loss: DataLossOption = False,
    project: ProjectOption = Path(),
    check: CheckOption = True,
    dry_run: DryRunOption = False,
    as_json: JsonOption = False,
    allow_dirty: AllowDirtyOption = False,
    verbose: VerboseOption = False,
    quiet: QuietOption = False,
) -> None:
    """Redefine fields; the migration stops if existing rows do not fit."""
    from scaffold.changes.alter_field import preview_alter_fields

    _run(
        lambda: preview_alter_fields(
            resource,
            fields,
            project=project,
            backfill=backfill,
            maps=maps or (),
            allow_data_loss=allow_data_loss,
            allow_dirty=allow_dirty,
        ),
        dry_run=dry_run,
        as_json=as_json,
        check=check,
        quiet=quiet,
        verbose=verbose,
        done=f"Altered {', '.join(f.partition(':')[0] for f in fields)} of {resource}",
    )
