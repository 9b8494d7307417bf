"""Alembic environment: runs the migrations with the application's async driver.

The database URL is the ``sqlalchemy.url`` option of the Alembic config when a
program driving Alembic sets it, else the application's ``DATABASE_URL``
setting. A program that already holds a connection (the migration tests do)
passes it as ``config.attributes["connection"]`` instead.
"""

import asyncio
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any, Literal

from alembic import context
from alembic.autogenerate.api import AutogenContext
from sqlalchemy import Connection, pool
from sqlalchemy.ext.asyncio import create_async_engine

from app.core.config import get_settings
from app.core.database import UTCDateTime, schema_filter
from app.core.logging import configure_logging
from app.models import Base

config = context.config
settings = get_settings()
configure_logging(level=settings.log_level, json=settings.log_json)

target_metadata = Base.metadata


def get_url() -> str:
    """Return the URL of the database to migrate."""
    return config.get_main_option("sqlalchemy.url") or settings.database_url


def render_item(
    type_: str, obj: Any, autogen_context: AutogenContext
) -> str | Literal[False]:
    """Write ``UTCDateTime`` columns into revisions as the type they store.

    Revisions then depend on SQLAlchemy alone, not on application code.
    """
    if type_ == "type" and isinstance(obj, UTCDateTime):
        return "sa.DateTime(timezone=True)"
    return False


def run_migrations_offline() -> None:
    """Write the migrations as SQL to standard output (``alembic ... --sql``)."""
    url = get_url()
    context.configure(
        url=url,
        target_metadata=target_metadata,
        literal_binds=True,
        dialect_opts={"paramstyle": "named"},
        render_as_batch=url.startswith("sqlite"),
        compare_type=True,
        render_item=render_item,
    )
    with context.begin_transaction():
        context.run_migrations()


@contextmanager
def sqlite_foreign_keys_off(connection: Connection) -> Iterator[None]:
    """Leave SQLite's foreign keys unenforced while the migrations run.

    Batch mode changes a SQLite table by copying it and dropping the original;
    with foreign keys enforced, dropping a table that other tables reference
    first deletes its rows, and ``ON DELETE CASCADE`` takes the referencing
    rows with them. SQLite ignores the switch inside a transaction, so it is
    set before the migrations begin one, and restored after.
    """
    if connection.dialect.name != "sqlite":
        yield
        return
    enforced = connection.exec_driver_sql("PRAGMA foreign_keys").scalar()
    connection.exec_driver_sql("PRAGMA foreign_keys=OFF")
    try:
        yield
    finally:
        if enforced:
            connection.exec_driver_sql("PRAGMA foreign_keys=ON")


def check_references(connection: Connection) -> None:
    """Fail unless every SQLite reference still finds the row it names.

    Raises:
        RuntimeError: If a migration left a row referencing a missing one.
    """
    if connection.dialect.name != "sqlite":
        return
    dangling = connection.exec_driver_sql("PRAGMA foreign_key_check").all()
    if dangling:
        table, _, parent, _ = dangling[0]
        raise RuntimeError(
            f"the migrations left {len(dangling)} row(s) referencing a missing "
            f"row, the first in {table} (a reference to {parent})"
        )


def do_run_migrations(connection: Connection) -> None:
    """Run the migrations over ``connection``."""
    context.configure(
        connection=connection,
        target_metadata=target_metadata,
        # SQLite cannot alter most table properties in place; batch mode
        # recreates the table instead.
        render_as_batch=connection.dialect.name == "sqlite",
        compare_type=True,
        render_item=render_item,
        include_object=schema_filter(connection.dialect.name),
    )
    with sqlite_foreign_keys_off(connection), context.begin_transaction():
        context.run_migrations()
        check_references(connection)


async def run_async_migrations() -> None:
    """Open a connection on a throwaway engine and run the migrations."""
    engine = create_async_engine(get_url(), poolclass=pool.NullPool)
    try:
        async with engine.connect() as connection:
            await connection.run_sync(do_run_migrations)
    finally:
        await engine.dispose()


def run_migrations_online() -> None:
    """Run the migrations against the database."""
    connection = config.attributes.get("connection")
    if connection is None:
        asyncio.run(run_async_migrations())
    else:
        do_run_migrations(connection)


if context.is_offline_mode():
    run_migrations_offline()
else:
    run_migrations_online()
