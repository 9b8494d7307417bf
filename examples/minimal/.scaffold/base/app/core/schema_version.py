"""Whether the database schema is at the latest Alembic revision.

A server started before ``uv run alembic upgrade head`` would answer 500 on
every table it misses; ``/readyz`` answers 503 instead, and start-up logs a
warning, both naming the command that fixes it.
"""

from functools import cache
from pathlib import Path

import structlog
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import Connection
from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.ext.asyncio import AsyncEngine

logger = structlog.get_logger(__name__)

ALEMBIC_DIR = Path(__file__).resolve().parents[2] / "alembic"
"""The project's migration scripts."""

UPGRADE_COMMAND = "uv run alembic upgrade head"
"""The command that brings the database to the latest migration."""


@cache
def head_revisions() -> frozenset[str]:
    """The latest revision of each branch of the migration scripts."""
    return frozenset(ScriptDirectory(str(ALEMBIC_DIR)).get_heads())


def applied_revisions(connection: Connection) -> frozenset[str]:
    """The revisions the database over ``connection`` is at (none if unmigrated)."""
    return frozenset(MigrationContext.configure(connection).get_current_heads())


def pending_migrations_message(applied: frozenset[str]) -> str | None:
    """Why the schema is not ready, naming the fix; ``None`` when it is at head.

    Args:
        applied: The revisions the database is at.

    Returns:
        A one-line message, or ``None``.
    """
    if applied == head_revisions():
        return None
    state = "has no migrations applied" if not applied else "is behind the migrations"
    return f"The database {state}: run `{UPGRADE_COMMAND}`"


async def warn_if_migrations_pending(engine: AsyncEngine) -> None:
    """Log a warning at start-up when the database is not at the latest migration.

    An unreachable database is left to ``/readyz`` to report.

    Args:
        engine: The application's engine.
    """
    try:
        async with engine.connect() as connection:
            applied = await connection.run_sync(applied_revisions)
    except (SQLAlchemyError, OSError):
        return
    message = pending_migrations_message(applied)
    if message is not None:
        logger.warning("database schema out of date", detail=message)
