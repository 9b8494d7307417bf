"""The migrations keep the rows a database already holds, both ways.

Every revision is applied in turn, and after each one a row goes into every
table; then every revision is reverted in turn. After each step, up or down,
every row a table held before it is still there (a table the step drops
aside). A revision that deletes rows it should keep, or that cannot run on a
table holding rows (a required column without a value for them), fails here.
"""

import datetime as dt
import re
from collections.abc import AsyncIterator
from decimal import Decimal
from functools import partial
from pathlib import Path
from typing import Any
from uuid import uuid4

import pytest
from alembic import command
from alembic.script import ScriptDirectory
from sqlalchemy import (
    JSON,
    Boolean,
    Column,
    Connection,
    Date,
    DateTime,
    Float,
    Integer,
    MetaData,
    Numeric,
    String,
    Table,
    Uuid,
    inspect,
    make_url,
    select,
)
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncEngine

from app.core.config import Settings
from app.core.database import create_engine
from tests.database import (
    create_database_if_missing,
    drop_database,
    migration_database_url,
)
from tests.test_migrations import alembic_config, run

#: An enum column's CHECK constraint, as SQLite (``name IN ('a', 'b')``) and
#: PostgreSQL (``(name)::text = ANY ((ARRAY['a'::character varying, ...``)
#: report it: the column and its first value.
CHOICES = re.compile(
    r"\"?(\w+)\"?\)?(?:::\w+)?\s*(?:IN\s*\(|=\s*ANY\s*\(\(?ARRAY\[)\s*'([^']*)'"
)


@pytest.fixture
async def rows_engine(settings: Settings, tmp_path: Path) -> AsyncIterator[AsyncEngine]:
    """An engine on a new, empty database of its own, dropped after the test."""
    url = migration_database_url(make_url(settings.database_url), tmp_path)
    await drop_database(url)
    await create_database_if_missing(url)
    engine = create_engine(url.render_as_string(hide_password=False))
    yield engine
    await engine.dispose()
    await drop_database(url)


def revisions_in_order(connection: Connection) -> list[str]:
    """Every revision id, from the first to the head."""
    script = ScriptDirectory.from_config(alembic_config(connection))
    return [revision.revision for revision in script.walk_revisions()][::-1]


def upgrade_to(connection: Connection, revision: str) -> None:
    """Apply the migrations up to ``revision``."""
    command.upgrade(alembic_config(connection), revision)


def sample(column: Column[Any], step: int, choices: dict[str, str]) -> Any:
    """A value ``column`` accepts, distinct for each step."""
    kind = column.type
    if column.name in choices:
        return choices[column.name]
    if isinstance(kind, Uuid):
        return uuid4()
    if isinstance(kind, Boolean):
        return True
    if isinstance(kind, DateTime):
        return dt.datetime.now(dt.UTC)
    if isinstance(kind, Date):
        return dt.date(2026, 1, 1) + dt.timedelta(days=step)
    if isinstance(kind, Integer):
        return step + 1
    if isinstance(kind, Numeric) and not isinstance(kind, Float):
        # In the last places, so that it fits a column with no integer digits
        return Decimal(step + 1).scaleb(-(kind.scale or 0))
    if isinstance(kind, Float):
        return float(step + 1)
    if isinstance(kind, JSON):
        return {}
    if isinstance(kind, String) and column.primary_key:
        return uuid4().hex  # a UUID key as SQLite stores it
    text = f"r{step}"
    return text[-kind.length :] if isinstance(kind, String) and kind.length else text


def downgrade_one(connection: Connection, revision: str) -> None:
    """Revert ``revision`` alone; the revisions after it are reverted already.

    A merge revision goes back to its parents, both left applied; any other
    goes one step down its own branch (``-1`` alone is ambiguous once two
    branches are applied).
    """
    config = alembic_config(connection)
    parents = ScriptDirectory.from_config(config).get_revision(revision).down_revision
    target = parents[0] if isinstance(parents, tuple) else f"{revision}@-1"
    command.downgrade(config, target)


def application_table_names(connection: Connection) -> list[str]:
    """The application tables, Alembic's own left out."""
    names = inspect(connection).get_table_names()
    return [name for name in names if name != "alembic_version"]


def row_keys(connection: Connection) -> dict[str, set[tuple[Any, ...]]]:
    """The primary key of every row, per application table."""
    metadata = MetaData()
    metadata.reflect(connection, only=application_table_names(connection))
    return {
        table.name: {
            tuple(row) for row in connection.execute(select(*table.primary_key.columns))
        }
        for table in metadata.sorted_tables
    }


def insert_rows(connection: Connection, step: int) -> int:
    """Insert a row into every application table it can.

    Returns:
        How many tables got a row.
    """
    metadata = MetaData()
    metadata.reflect(connection, only=application_table_names(connection))
    inspector = inspect(connection)
    added: dict[str, object] = {}
    for table in metadata.sorted_tables:
        choices = {
            match[1]: match[2]
            for check in inspector.get_check_constraints(table.name)
            if (match := CHOICES.search(str(check["sqltext"])))
        }
        row = row_for(connection, table, step, choices, added)
        if row is None:
            continue
        try:
            with connection.begin_nested():
                inserted = connection.execute(table.insert().values(row))
        except IntegrityError:
            continue  # a CHECK this sample does not meet: the table gets no row
        key = inserted.inserted_primary_key
        added[table.name] = key[0] if key else None
    return len(added)


def lost_rows(
    before: dict[str, set[tuple[Any, ...]]], after: dict[str, set[tuple[Any, ...]]]
) -> dict[str, int]:
    """How many rows each table still there lost between two snapshots."""
    return {
        name: len(keys - after[name])
        for name, keys in before.items()
        if name in after and keys - after[name]
    }


def row_for(
    connection: Connection,
    table: Table,
    step: int,
    choices: dict[str, str],
    added: dict[str, object],
) -> dict[str, Any] | None:
    """The row to insert into ``table``, or None if a reference has no target."""
    row: dict[str, Any] = {}
    for column in table.columns:
        foreign = next(iter(column.foreign_keys), None)
        if foreign is not None:
            target = foreign.column
            value = (
                added.get(target.table.name)
                or connection.execute(select(target).limit(1)).scalar()
            )
            if value is None and not column.nullable:
                return None
            row[column.name] = value
        elif column.server_default is None and not (
            column.primary_key and isinstance(column.type, Integer)
        ):
            row[column.name] = sample(column, step, choices)
    return row


async def test_migrations_keep_the_rows_up_and_down(rows_engine: AsyncEngine) -> None:
    # Given every revision applied in turn, with a row added after each
    revisions = await run(rows_engine, revisions_in_order)
    keys: dict[str, set[tuple[Any, ...]]] = {}
    filled = 0
    for step, revision in enumerate(revisions):
        await run(rows_engine, partial(upgrade_to, revision=revision))

        # Then the revision kept every row inserted before it
        after = await run(rows_engine, row_keys)
        assert lost_rows(keys, after) == {}, f"upgrade to {revision} lost rows"
        filled += await run(rows_engine, partial(insert_rows, step=step))
        keys = await run(rows_engine, row_keys)
    # (a project without tables yet has nothing to fill)
    assert filled or not keys, "no table took a row: the samples need fixing"

    # When every revision is reverted in turn
    for revision in reversed(revisions):
        await run(rows_engine, partial(downgrade_one, revision=revision))

        # Then the downgrade kept every row of the tables it leaves
        after = await run(rows_engine, row_keys)
        assert lost_rows(keys, after) == {}, f"downgrade of {revision} lost rows"
        keys = after
    assert keys == {}
