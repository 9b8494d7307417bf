"""The ``scaffold`` command line: thin commands over the library.

Each command parses its options, builds the validated job and calls one
library function. Errors derived from :class:`~scaffold.errors.ScaffoldError`
are caught once, in :func:`main`, and printed as one line per problem.
"""

from __future__ import annotations

import os
import signal
import sys
from enum import StrEnum
from pathlib import Path
from types import FrameType
from typing import Annotated, NoReturn

import typer

from scaffold import __version__
from scaffold.errors import ScaffoldError

__all__ = ["app", "main"]

#: Exit codes, documented in the README.
EXIT_TERMINATED = 143
EXIT_INTERNAL_ERROR = 70

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


class Database(StrEnum):
    """The databases a generated project can be set up for."""

    sqlite = "sqlite"
    postgres = "postgres"


class IdType(StrEnum):
    """The primary-key types resources can get."""

    uuid = "uuid"
    int = "int"


class Terminated(BaseException):
    """Raised in the main thread when the process receives SIGTERM."""


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
    verbose: Annotated[
        bool, typer.Option("--verbose", "-v", help="List every file written.")
    ] = False,
    quiet: Annotated[
        bool, typer.Option("--quiet", "-q", help="Print only errors.")
    ] = False,
) -> None:
    """Create a FastAPI + SQLAlchemy + Alembic project that passes its own checks."""
    from scaffold.console import ConsoleReporter, print_success
    from scaffold.project import ProjectRequest, create_project

    request = ProjectRequest.build(
        name=name, database=db.value, id_type=id_type.value, parent=directory
    )
    reporter = ConsoleReporter(quiet=quiet, verbose=verbose)
    result = create_project(request, check=check, reporter=reporter)
    if not quiet:
        checked = "; ruff, mypy and pytest pass" if check else ""
        print_success(
            f"Created {result.path} ({len(result.files)} files){checked}",
            f"cd {result.path}",
            "uv run uvicorn app.main:app --reload",
            "scaffold add resource book title:str price:decimal",
        )


def _on_sigterm(signum: int, frame: FrameType | None) -> NoReturn:
    raise Terminated


def main() -> None:
    """Entry point of the ``scaffold`` command: run it and map errors to exit codes."""
    from scaffold.console import err, print_error

    signal.signal(signal.SIGTERM, _on_sigterm)
    try:
        # Typer itself answers usage errors (exit 2) and Ctrl-C (exit 130).
        app(prog_name="scaffold")
    except ScaffoldError as exc:
        print_error(exc.problems)
        sys.exit(exc.exit_code)
    except Terminated:
        err.print("[red]terminated[/]; nothing was left half-written")
        sys.exit(EXIT_TERMINATED)
    except Exception as exc:
        if os.environ.get("SCAFFOLD_DEBUG"):
            raise
        err.print(
            f"[bold red]internal error:[/] {type(exc).__name__}: {exc}; this is a "
            "bug in scaffold: rerun with SCAFFOLD_DEBUG=1 to see the traceback "
            "and report it"
        )
        sys.exit(EXIT_INTERNAL_ERROR)
