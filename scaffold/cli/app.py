"""The Typer application, its command groups and what commands share."""

from collections.abc import Callable
from typing import TYPE_CHECKING, Annotated

import typer

from scaffold import __version__
from scaffold.cli.help_format import hide_flag_types
from scaffold.cli.job import add_job_command
from scaffold.errors import UsageError

if TYPE_CHECKING:
    from scaffold.engine.plan import Plan

__all__ = [
    "PASSED",
    "NamesArgument",
    "add_app",
    "app",
    "new_app",
    "remove_app",
    "show_plan",
    "spec_app",
]


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


def show_plan(dry_run: bool, as_json: bool, plan: Callable[[], "Plan"]) -> bool:
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
