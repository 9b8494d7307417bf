"""``scaffold new project``."""

from pathlib import Path
from typing import Annotated

import typer

from scaffold.cli.app import PASSED, new_app, show_plan
from scaffold.cli.options import (
    Database,
    DryRunOption,
    IdType,
    JsonOption,
    QuietOption,
    VerboseOption,
)

__all__ = ["new_project"]


@new_app.command("project")
def new_project(
    name: Annotated[
        str,
        typer.Argument(help="Project name: lowercase letters, digits, hyphens."),
    ],
    db: Annotated[
        Database,
        typer.Option("--db", "--database", help="Database the project is set up for."),
    ] = Database.sqlite,
    id_type: Annotated[
        IdType,
        typer.Option("--id", "--id-type", help="Primary-key type of resources."),
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
    if show_plan(dry_run, as_json, lambda: preview_project(request)):
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
