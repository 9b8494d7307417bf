"""What a success message tells the user to run next, and what it counts.

Kept apart from :mod:`scaffold.cli` so that the steps are one tested list: a
user who runs them literally, in order, gets a migrated database and a server
that answers.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from pathlib import PurePath, PurePosixPath

from scaffold.project.layout import STATE_DIR

__all__ = [
    "MIGRATE",
    "SERVE",
    "after_new_project",
    "after_resources",
    "project_files",
    "regenerated_message",
]

#: Brings the database to the latest migration (creates it on SQLite).
MIGRATE = "uv run alembic upgrade head"
#: Serves the API with reloading on code changes.
SERVE = "uv run uvicorn app.main:app --reload"


def after_new_project(path: str, database: str) -> tuple[str, ...]:
    """The steps from a new project to a served, migrated API.

    Args:
        path: The project directory as the user named it.
        database: ``sqlite`` or ``postgres`` (which needs its server started).

    Returns:
        The commands, in the order to run them.
    """
    server = ("docker compose up -d db",) if database == "postgres" else ()
    return (
        f"cd {path}",
        *server,
        MIGRATE,
        SERVE,
        "scaffold add resource book title:str price:decimal",
    )


def after_resources(url_paths: Sequence[str]) -> tuple[str, ...]:
    """The steps after new resources: migrate, serve, try them.

    Args:
        url_paths: Each new resource's URL segment, e.g. ``books``.

    Returns:
        The commands, in the order to run them.
    """
    urls = ", ".join(f"/api/v1/{path}" for path in url_paths)
    return (MIGRATE, SERVE, f"open http://127.0.0.1:8000/docs and try {urls}")


def project_files(paths: Iterable[PurePath | str]) -> int:
    """How many of ``paths`` are the project's own files.

    Scaffold's record under ``.scaffold/`` (the manifest and the base copies
    of generated files) is left out: the count is of files a user reads.
    """
    return sum(1 for path in paths if PurePosixPath(path).parts[0] != STATE_DIR)


def regenerated_message(
    names: Sequence[str], written: int, merged: int, *, passed: str
) -> str:
    """The success line of ``regenerate``.

    Args:
        names: The resources as the user named them.
        written: How many project files were written.
        merged: How many of them merged the user's edits.
        passed: The suffix saying the checks passed, or ``""`` if none ran.

    Returns:
        The line; with nothing written, it says so and that no check ran.
    """
    listed = ", ".join(names)
    if not written:
        return f"Regenerated {listed}: nothing to change, so no checks were run"
    return (
        f"Regenerated {listed} ({written} project files written, {merged} merged "
        f"with your edits){passed}"
    )
