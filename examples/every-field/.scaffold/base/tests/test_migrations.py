"""The Alembic migrations build exactly the models' schema, and take it down.

They run on a fresh database of their own, never on the one the other tests
share.
"""

from collections.abc import AsyncIterator, Callable
from pathlib import Path
from typing import Any, TypeVar

import pytest
from alembic import command
from alembic.autogenerate import compare_metadata
from alembic.config import Config
from alembic.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import Connection, inspect, make_url
from sqlalchemy.ext.asyncio import AsyncEngine

from app.core.config import Settings
from app.core.database import create_engine, schema_filter
from app.models import Base
from tests.database import (
    create_database_if_missing,
    drop_database,
    migration_database_url,
)

ALEMBIC_INI = Path(__file__).resolve().parents[1] / "alembic.ini"

T = TypeVar("T")


@pytest.fixture
async def migration_engine(
    settings: Settings, tmp_path: Path
) -> AsyncIterator[AsyncEngine]:
    """An engine on a new, empty database, dropped after the test."""
    url = migration_database_url(make_url(settings.database_url), tmp_path)
    await drop_database(url)
    await create_database_if_missing(url)
    engine = create_engine(url.render_as_string(hide_password=False))
    yield engine
    await engine.dispose()
    await drop_database(url)


async def run(engine: AsyncEngine, step: Callable[[Connection], T]) -> T:
    """Run one synchronous migration step in a transaction of its own."""
    async with engine.begin() as connection:
        return await connection.run_sync(step)


def alembic_config(connection: Connection) -> Config:
    """The project's Alembic configuration, migrating over ``connection``."""
    config = Config(ALEMBIC_INI)
    config.attributes["connection"] = connection
    return config


def upgrade_to_head(connection: Connection) -> None:
    """Apply every migration."""
    command.upgrade(alembic_config(connection), "head")


def downgrade_to_base(connection: Connection) -> None:
    """Revert every migration."""
    command.downgrade(alembic_config(connection), "base")


def schema_drift(connection: Connection) -> list[Any]:
    """Differences between the models and the database, as ``alembic check``."""
    options = {
        "compare_type": True,
        "include_object": schema_filter(connection.dialect.name),
    }
    context = MigrationContext.configure(connection, opts=options)
    return list(compare_metadata(context, Base.metadata))


def application_tables(connection: Connection) -> set[str]:
    """Names of the tables in the database, Alembic's own left out."""
    return set(inspect(connection).get_table_names()) - {"alembic_version"}


async def test_migrations_build_exactly_the_models_schema(
    migration_engine: AsyncEngine,
) -> None:
    # Given an empty database
    # When every migration is applied
    await run(migration_engine, upgrade_to_head)

    # Then the schema matches the models: there is nothing to autogenerate
    assert await run(migration_engine, schema_drift) == []
    assert await run(migration_engine, application_tables) == set(Base.metadata.tables)


async def test_migrations_can_be_reverted_and_applied_again(
    migration_engine: AsyncEngine,
) -> None:
    # Given a database migrated to the latest revision
    await run(migration_engine, upgrade_to_head)

    # When every migration is reverted
    await run(migration_engine, downgrade_to_base)

    # Then no application table is left
    assert await run(migration_engine, application_tables) == set()

    # And when every migration is applied again, the models' schema is back
    await run(migration_engine, upgrade_to_head)
    assert await run(migration_engine, schema_drift) == []


def test_history_has_a_single_head() -> None:
    # Given the project's revision files
    script = ScriptDirectory.from_config(Config(ALEMBIC_INI))

    # When their heads are counted
    heads = script.get_heads()

    # Then there is at most one: branches were joined (scaffold migrations merge)
    assert len(heads) <= 1, f"several heads: {heads}; run: scaffold migrations merge"
