"""Connection pool and driver options of the database engine, from the settings."""

from typing import Any
from uuid import uuid4

from sqlalchemy import make_url

from app.core.config import Settings


def unique_statement_name() -> str:
    """Name a prepared statement uniquely, as PgBouncer in transaction mode needs.

    Each transaction may land on another server connection, where a statement
    prepared under a reused name would clash with an older one.
    """
    return f"__asyncpg_{uuid4()}__"


def engine_options(url: str, settings: Settings) -> dict[str, Any]:
    """Keyword arguments of ``create_async_engine`` for ``url``.

    PostgreSQL gets the pool size, overflow, timeout and recycle time of the
    settings, and with ``DB_PGBOUNCER`` asyncpg's statement cache turned off.
    SQLite keeps SQLAlchemy's default pool, which suits a file database.

    Args:
        url: The database URL.
        settings: The settings with the ``DB_*`` pool options.

    Returns:
        The options.
    """
    options: dict[str, Any] = {"pool_pre_ping": settings.db_pool_pre_ping}
    if make_url(url).get_backend_name() != "postgresql":
        return options
    options.update(
        pool_size=settings.db_pool_size,
        max_overflow=settings.db_max_overflow,
        pool_timeout=settings.db_pool_timeout,
        pool_recycle=settings.db_pool_recycle,
    )
    if settings.db_pgbouncer:
        options["connect_args"] = {
            "statement_cache_size": 0,
            "prepared_statement_name_func": unique_statement_name,
        }
    return options
