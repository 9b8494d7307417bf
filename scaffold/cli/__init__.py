"""The ``scaffold`` command line: thin commands over the library.

Each command parses its options, builds the validated job and calls one
library function. Errors derived from :class:`~scaffold.errors.ScaffoldError`
are caught once, in :func:`main`, and printed as one line per problem.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from scaffold import __version__
from scaffold.cli.help_format import hide_flag_types
from scaffold.cli.job import add_job_command
from scaffold.cli.options import (
    Access,
    AllowDirtyOption,
    CheckOption,
    Database,
    DryRunOption,
    ForceOption,
    IdType,
    JsonOption,
    ProjectOption,
    QuietOption,
    RuleOption,
    VerboseOption,
)
from scaffold.engine.interrupt import Interrupted, install_handlers, interrupted_message
from scaffold.errors import ScaffoldError, UsageError

if TYPE_CHECKING:
    from scaffold.engine.plan import Plan

__all__ = ["app", "main"]

#: Exit codes, documented in the README.
EXIT_INTERNAL_ERROR = 70
#: Appended to a success line when the project's checks ran and passed.
PASSED = "; ruff, mypy, pytest and migrations pass"

hide_flag_types()
app = typer.Typer(
    name="scaffold",
    help="Generate FastAPI backends, and every resource in them, the way a "
    "careful engineer would write them by hand.",
    no_args_is_help=True,
    pretty_exceptions_enable=False,
    rich_markup_mode="rich",
    context_settings={"help_option_names": ["-h", "--help"]},
)
new_app = typer.Typer(help="Create a new project.", no_args_is_help=True)
app.add_typer(new_app, name="new")
add_app = typer.Typer(help="Add to an existing project.", no_args_is_help=True)
app.add_typer(add_app, name="add")
add_app.command("job")(add_job_command)
remove_app = typer.Typer(help="Remove from an existing project.", no_args_is_help=True)
app.add_typer(remove_app, name="remove")
spec_app = typer.Typer(help="Work with resource spec files.", no_args_is_help=True)
app.add_typer(spec_app, name="spec")


def _version(value: bool) -> None:
    if value:
        typer.echo(f"scaffold {__version__}")
        raise typer.Exit


@app.callback()
def root(
    version: Annotated[
        bool,
        typer.Option(
            "--version",
            help="Show the version and exit.",
            callback=_version,
            is_eager=True,
        ),
    ] = False,
) -> None:
    """Generate FastAPI backends the way a careful engineer writes them."""


@new_app.command("project")
def new_project(
    name: Annotated[
        str,
        typer.Argument(help="Project name: lowercase letters, digits, hyphens."),
    ],
    db: Annotated[
        Database, typer.Option(help="Database the project is set up for.")
    ] = Database.sqlite,
    id_type: Annotated[
        IdType, typer.Option("--id", help="Primary-key type of resources.")
    ] = IdType.uuid,
    auth: Annotated[
        bool,
        typer.Option(
            "--auth/--no-auth",
            help="Users, JWT login and per-resource access rules; --no-auth for "
            "a public API.",
        ),
    ] = True,
    jobs: Annotated[
        bool, typer.Option(help="Background jobs on Redis with an arq worker.")
    ] = False,
    directory: Annotated[
        Path,
        typer.Option(
            "--directory",
            "-d",
            help="Parent directory the project is created in.",
            file_okay=False,
        ),
    ] = Path(),
    check: Annotated[
        bool,
        typer.Option(
            "--check/--no-check",
            help="Run the project's ruff, mypy and pytest checks afterwards.",
        ),
    ] = True,
    dry_run: DryRunOption = False,
    as_json: JsonOption = False,
    verbose: VerboseOption = False,
    quiet: QuietOption = False,
) -> None:
    """Create a FastAPI + SQLAlchemy + Alembic project that passes its own checks."""
    from scaffold.changes.new_project import (
        ProjectRequest,
        create_project,
        preview_project,
    )
    from scaffold.changes.next_steps import after_new_project, project_files
    from scaffold.cli.console import ConsoleReporter, print_success

    request = ProjectRequest.build(
        name=name,
        database=db.value,
        id_type=id_type.value,
        auth=auth,
        jobs=jobs,
        parent=directory,
    )
    if _show_plan(dry_run, as_json, lambda: preview_project(request)):
        return
    reporter = ConsoleReporter(quiet=quiet, verbose=verbose)
    result = create_project(request, check=check, reporter=reporter)
    if not quiet:
        checked = PASSED if check else ""
        print_success(
            f"Created {result.path} ({project_files(result.files)} project files)"
            + checked,
            *after_new_project(str(result.path), request.database),
        )


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
        if auth is not None or owned or read is not None or write is not None:
            raise UsageError(
                "--read, --write, --auth and --owned apply to a resource named on "
                "the command line; with --spec, set them per resource in the file"
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
                read=read.value if read is not None else None,
                write=write.value if write is not None else None,
            )
        ]
    if _show_plan(
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


def _show_plan(dry_run: bool, as_json: bool, plan: Callable[[], Plan]) -> bool:
    """Print the plan for ``--dry-run`` and say so; refuse ``--json`` without it."""
    from scaffold.cli.console import plan_json, print_plan

    if as_json and not dry_run:
        raise UsageError("--json shows a plan: use it together with --dry-run")
    if not dry_run:
        return False
    if as_json:
        typer.echo(plan_json(plan()))
    else:
        print_plan(plan())
    return True


NamesArgument = Annotated[
    list[str],
    typer.Argument(help="Resource names, as recorded: book, or its plural books."),
]


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

    if _show_plan(
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

    if _show_plan(
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
    of check: 3 format, 4 lint, 5 types, 6 tests, 7 migrations.
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


def main() -> None:
    """Entry point of the ``scaffold`` command: run it and map errors to exit codes."""
    # scaffold uses no Pydantic plugins; looking for them scans every installed
    # distribution, a noticeable part of a short command's start-up.
    os.environ.setdefault("PYDANTIC_DISABLE_PLUGINS", "__all__")
    from scaffold.cli.console import err, escape, print_error

    install_handlers()
    try:
        # Typer itself answers usage errors (exit 2).
        app(prog_name="scaffold")
    except ScaffoldError as exc:
        print_error(exc.problems)
        sys.exit(exc.exit_code)
    except Interrupted as exc:
        err().print(f"[red]{escape(interrupted_message(exc))}[/]")
        sys.exit(exc.exit_code)
    except Exception as exc:
        if os.environ.get("SCAFFOLD_DEBUG"):
            raise
        err().print(
            f"[bold red]internal error:[/] {type(exc).__name__}: {exc}; this is a "
            "bug in scaffold: rerun with SCAFFOLD_DEBUG=1 to see the traceback "
            "and report it"
        )
        sys.exit(EXIT_INTERNAL_ERROR)
