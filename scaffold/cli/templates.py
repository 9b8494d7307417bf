"""``scaffold templates list|eject|status|diff``."""

from pathlib import Path
from typing import Annotated

import typer

from scaffold.cli.app import app
from scaffold.cli.options import AllowDirtyOption, DryRunOption, ProjectOption

__all__ = [
    "check",
    "diff",
    "eject",
    "list_templates",
    "status",
    "templates_app",
]

templates_app = typer.Typer(
    help="Override bundled templates in .scaffold/templates/.", no_args_is_help=True
)
app.add_typer(templates_app, name="templates")

NameArgument = Annotated[
    str,
    typer.Argument(help="A bundled template, e.g. resource/service.py.jinja."),
]


@templates_app.command("list")
def list_templates(project: ProjectOption = Path()) -> None:
    """List the bundled templates; those the project overrides are marked."""
    from scaffold.changes.templates import bundled_templates, override_status

    _, overrides = override_status(project)
    overridden = {override.name for override in overrides}
    for name in bundled_templates():
        typer.echo(f"{'*' if name in overridden else ' '} {name}")


@templates_app.command("eject")
def eject(
    name: NameArgument,
    project: ProjectOption = Path(),
    dry_run: DryRunOption = False,
    allow_dirty: AllowDirtyOption = False,
) -> None:
    """Copy a bundled template into .scaffold/templates/ to edit it there.

    The bundled text's hash is recorded, so that status can tell when the
    bundled template changes afterwards.
    """
    from scaffold.changes.templates import OVERRIDES_DIR, eject_template
    from scaffold.cli.console import print_plan, print_success

    _, plan = eject_template(
        name, project=project, dry_run=dry_run, allow_dirty=allow_dirty
    )
    if dry_run:
        print_plan(plan)
        return
    print_success(
        f"Ejected {name} to {OVERRIDES_DIR}/{name}",
        f"edit {OVERRIDES_DIR}/{name}",
        "scaffold templates status",
    )


@templates_app.command("status")
def status(project: ProjectOption = Path()) -> None:
    """Each override: up to date, stale, unrecorded or orphaned.

    Exits 1 when an override is orphaned (it overrides no bundled template),
    so that CI never ignores it.
    """
    from scaffold.changes.templates import OverrideState, override_status
    from scaffold.cli.console import print_notes

    _, overrides = override_status(project)
    for override in overrides:
        typer.echo(f"{override.state.value:>11} {override.name}")
    print_notes([o.problem for o in overrides if o.problem is not None])
    if any(o.state is OverrideState.ORPHANED for o in overrides):
        raise typer.Exit(1)


@templates_app.command("diff")
def diff(name: NameArgument, project: ProjectOption = Path()) -> None:
    """Show how the project's override differs from the bundled template."""
    from scaffold.changes.templates import override_diff

    typer.echo(override_diff(name, project=project), nl=False)


@templates_app.command("check")
def check(project: ProjectOption = Path()) -> None:
    """Render every override against fixture resources and parse the output.

    The fixtures cover every field type, ref and refs, integer and UUID keys,
    with and without auth; skeleton overrides render with the project's
    answers. Each failure names the template file and line. Exits 1 on a
    failure, 0 when every override renders Python that parses.
    """
    from scaffold.changes.templates import check_templates
    from scaffold.errors import CheckFailedError

    _, failures = check_templates(project)
    if failures:
        raise CheckFailedError(
            *(str(failure) for failure in failures),
            "fix the template at that line, then run: scaffold templates check",
        )
    typer.echo("every override renders and parses")
