"""``scaffold add resource``, ``regenerate`` and ``remove resource``."""

from pathlib import Path
from typing import Annotated

import typer

from scaffold.cli.app import PASSED, NamesArgument, add_app, app, remove_app, show_plan
from scaffold.cli.options import (
    Access,
    AllowDirtyOption,
    CheckOption,
    DryRunOption,
    ForceOption,
    JsonOption,
    PaginationOption,
    ProjectOption,
    QuietOption,
    RuleOption,
    VerboseOption,
)
from scaffold.errors import UsageError

__all__ = ["add_resource", "regenerate", "remove_resource"]


@add_app.command(
    "resource",
    epilog="Field syntax: name:type[?][:modifier...]. Types: str, str(N), text, "
    "int, float, decimal, decimal(P,S), bool, date, datetime, uuid, email, url, "
    "json, enum(a,b,c). '?' makes a field optional. Modifiers: unique, index, "
    "default=VALUE, min=N, max=N, pattern=REGEX. References: author:ref "
    "(many-to-one, to resource author), writer:ref(person)? (optional, to person), "
    "tags:refs (many-to-many, to tag); the referenced resource must exist or come "
    "in the same command; author:ref:on_delete=cascade|set_null|restrict says what "
    "deleting the referenced row does.",
)
def add_resource(
    name: Annotated[
        str | None,
        typer.Argument(help="Resource name: book, BookReview or book-review."),
    ] = None,
    fields: Annotated[
        list[str] | None,
        typer.Argument(
            help="Fields, e.g. title:str(200):unique price:decimal(10,2):min=0.",
            show_default=False,
        ),
    ] = None,
    spec: Annotated[
        Path | None,
        typer.Option(
            "--spec",
            help="A YAML, TOML or JSON spec file with one or more resources.",
            dir_okay=False,
        ),
    ] = None,
    plural: Annotated[
        str | None, typer.Option(help="Plural of the name, if not the English one.")
    ] = None,
    read: Annotated[
        RuleOption | None,
        typer.Option(
            help="Who may list and get rows: anyone, signed-in users, admins, or "
            "each row's owner (default: user; owner with --owned).",
            show_default=False,
        ),
    ] = None,
    write: Annotated[
        RuleOption | None,
        typer.Option(
            help="Who may create, change and delete rows, never looser than "
            "--read (default: admin; owner with --owned).",
            show_default=False,
        ),
    ] = None,
    auth: Annotated[
        Access | None,
        typer.Option(
            help="Shorthand for --read and --write at once (none = public).",
            show_default=False,
        ),
    ] = None,
    owned: Annotated[
        bool,
        typer.Option(
            "--owned",
            help="Each row belongs to its creator (owner_id); administrators "
            "may act on every row.",
        ),
    ] = False,
    soft_delete: Annotated[
        bool,
        typer.Option(
            "--soft-delete",
            help="DELETE marks rows deleted (deleted_at) instead of removing "
            "them; admins list them with ?deleted=true and restore them.",
        ),
    ] = False,
    versioned: Annotated[
        bool,
        typer.Option(
            "--versioned",
            help="Optimistic locking: reads send an ETag; PUT, PATCH and DELETE "
            "need If-Match (412 when stale, 428 when missing).",
        ),
    ] = False,
    pagination: Annotated[
        PaginationOption,
        typer.Option(
            help="How the list pages: numbered pages with a total, or keyset "
            "pages after an opaque cursor (stable under inserts; no total).",
        ),
    ] = PaginationOption.offset,
    project: ProjectOption = Path(),
    check: CheckOption = True,
    dry_run: DryRunOption = False,
    as_json: JsonOption = False,
    force: ForceOption = False,
    allow_dirty: AllowDirtyOption = False,
    verbose: VerboseOption = False,
    quiet: QuietOption = False,
) -> None:
    """Generate a tested, migrated CRUD resource and wire it into the project."""
    from scaffold.changes.add_resource import add_resources, preview_resources
    from scaffold.changes.next_steps import after_resources, project_files
    from scaffold.cli.console import ConsoleReporter, print_success
    from scaffold.spec import load_spec_file, parse_cli_resource

    if spec is not None:
        if name is not None:
            raise UsageError(
                f"give either a spec file or a resource name, not both (got "
                f"--spec {str(spec)!r} and {name!r})"
            )
        if (
            auth is not None
            or owned
            or soft_delete
            or versioned
            or pagination is not PaginationOption.offset
            or read is not None
            or write is not None
        ):
            raise UsageError(
                "--read, --write, --auth, --owned, --soft-delete, --versioned and "
                "--pagination "
                "apply to a "
                "resource named on the command line; with --spec, set them per "
                "resource in the file"
            )
        resources = load_spec_file(spec)
    elif name is None:
        raise UsageError(
            "name a resource and its fields (scaffold add resource book "
            "title:str), or pass --spec FILE"
        )
    else:
        resources = [
            parse_cli_resource(
                name,
                fields or [],
                plural=plural,
                auth=auth.value if auth is not None else None,
                owned=owned,
                soft_delete=soft_delete,
                versioned=versioned,
                pagination=pagination.value,
                read=read.value if read is not None else None,
                write=write.value if write is not None else None,
            )
        ]
    if show_plan(
        dry_run,
        as_json,
        lambda: preview_resources(
            resources, project=project, force=force, allow_dirty=allow_dirty
        )[1],
    ):
        return
    reporter = ConsoleReporter(quiet=quiet, verbose=verbose)
    result = add_resources(
        resources,
        project=project,
        check=check,
        force=force,
        allow_dirty=allow_dirty,
        reporter=reporter,
    )
    if not quiet:
        written = project_files(op.path for op in result.plan.changes)
        print_success(
            f"Added {', '.join(r.names.singular for r in resources)} "
            f"({written} project files written){PASSED if check else ''}",
            *after_resources([r.names.url_path for r in resources]),
        )


@app.command("regenerate")
def regenerate(
    names: NamesArgument,
    project: ProjectOption = Path(),
    check: CheckOption = True,
    dry_run: DryRunOption = False,
    as_json: JsonOption = False,
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
    """Re-render resources from their recorded specs, merging your edits.

    After upgrading scaffold or changing a template: each file you did not
    touch takes the new rendering; your edits are kept by a three-way merge,
    and lines changed on both sides get conflict markers (exit 1).
    """
    from scaffold.changes.next_steps import project_files, regenerated_message
    from scaffold.changes.regenerate import preview_regeneration, regenerate_resources
    from scaffold.cli.console import ConsoleReporter, print_success
    from scaffold.engine.plan import Action

    if show_plan(
        dry_run,
        as_json,
        lambda: preview_regeneration(
            names, project=project, force=force, allow_dirty=allow_dirty
        )[1],
    ):
        return
    reporter = ConsoleReporter(quiet=quiet, verbose=verbose)
    result = regenerate_resources(
        names,
        project=project,
        force=force,
        allow_dirty=allow_dirty,
        check=check,
        reporter=reporter,
    )
    if not quiet:
        print_success(
            regenerated_message(
                names,
                project_files(op.path for op in result.plan.changes),
                len(result.plan.paths(Action.MERGE)),
                passed=PASSED if result.checks else "",
            )
        )


@remove_app.command("resource")
def remove_resource(
    names: NamesArgument,
    project: ProjectOption = Path(),
    check: CheckOption = True,
    dry_run: DryRunOption = False,
    as_json: JsonOption = False,
    force: Annotated[
        bool,
        typer.Option(
            "--force",
            help="Delete files you modified too (a backup is kept under "
            ".scaffold/backup/).",
        ),
    ] = False,
    allow_dirty: AllowDirtyOption = False,
    verbose: VerboseOption = False,
    quiet: QuietOption = False,
) -> None:
    """Remove resources: their files, their wiring, and their migration.

    Files you modified are kept (and listed) unless --force. The migration is
    deleted if it is the head and not applied in the project's database;
    otherwise a new revision that drops the table is written.
    """
    from scaffold.changes.remove_resource import preview_removal, remove_resources
    from scaffold.cli.console import ConsoleReporter, print_notes, print_success
    from scaffold.engine.plan import Action

    if show_plan(
        dry_run,
        as_json,
        lambda: (
            preview_removal(
                names, project=project, force=force, allow_dirty=allow_dirty
            )[1].plan
        ),
    ):
        return
    reporter = ConsoleReporter(quiet=quiet, verbose=verbose)
    result = remove_resources(
        names,
        project=project,
        force=force,
        allow_dirty=allow_dirty,
        check=check,
        reporter=reporter,
    )
    print_notes(result.notes)
    if not quiet:
        removed = len(result.plan.paths(Action.DELETE))
        checked = PASSED if check else ""
        print_success(f"Removed {', '.join(names)} ({removed} files deleted){checked}")
