"""The database layer, and the databases the tests themselves run on.

UTC datetimes, foreign keys, enum values, LIKE escaping, sessions; one test
database per test process.
"""

from datetime import UTC, datetime, timedelta, timezone
from enum import StrEnum
from pathlib import Path

import pytest
from fastapi import FastAPI, Request
from sqlalchemy import (
    JSON,
    Column,
    ForeignKey,
    Integer,
    MetaData,
    String,
    Table,
    insert,
    select,
)
from sqlalchemy.exc import IntegrityError, StatementError
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession

from app.api.deps import get_session
from app.core.config import Settings
from app.core.database import (
    UTCDateTime,
    create_engine,
    create_session_factory,
    enum_values,
    escape_like,
)
from tests.database import resolve_test_database_url

probe = Table(
    "datetime_probe",
    MetaData(),
    Column("id", Integer, primary_key=True),
    Column("happened_at", UTCDateTime()),
)
references = MetaData()
parents = Table("fk_parent", references, Column("id", Integer, primary_key=True))
children = Table(
    "fk_child",
    references,
    Column("id", Integer, primary_key=True),
    Column("parent_id", ForeignKey("fk_parent.id"), nullable=False),
)
probe_words = Table(
    "word_probe",
    MetaData(),
    Column("id", Integer, primary_key=True),
    Column("word", String(20)),
)
probe_documents = Table(
    "document_probe",
    MetaData(),
    Column("id", Integer, primary_key=True),
    Column("document", JSON()),
)


@pytest.fixture
async def probe_table(session: AsyncSession) -> None:
    """A table with a ``UTCDateTime`` column, inside the test's transaction."""
    connection = await session.connection()
    await connection.run_sync(probe.create)


@pytest.mark.usefixtures("probe_table")
async def test_datetimes_come_back_aware_and_in_utc(session: AsyncSession) -> None:
    # Given a datetime with a non-UTC offset
    happened_at = datetime(2025, 1, 31, 14, 5, tzinfo=timezone(timedelta(hours=2)))

    # When it is stored and read back
    await session.execute(insert(probe).values(id=1, happened_at=happened_at))
    stored = await session.scalar(select(probe.c.happened_at))

    # Then the same instant comes back, in UTC
    assert stored == happened_at
    assert stored is not None
    assert stored.tzinfo == UTC


@pytest.mark.usefixtures("probe_table")
async def test_naive_datetimes_are_refused(session: AsyncSession) -> None:
    # Given a datetime without a time zone
    naive = datetime(2025, 1, 31, 14, 5, tzinfo=UTC).replace(tzinfo=None)

    # When it is stored
    # Then it is refused
    with pytest.raises(StatementError, match="naive datetime"):
        await session.execute(insert(probe).values(id=1, happened_at=naive))


async def test_foreign_keys_are_enforced(session: AsyncSession) -> None:
    # Given a parent table and a child table that references it
    connection = await session.connection()
    await connection.run_sync(references.create_all)

    # When a child row points at a parent that does not exist
    # Then the database refuses it (SQLite only does with the pragma on)
    with pytest.raises(IntegrityError):
        async with session.begin_nested():
            await session.execute(insert(children).values(id=1, parent_id=42))


class Colour(StrEnum):
    """An enum whose member names differ from its values."""

    LIGHT_BLUE = "light-blue"
    RED = "red"


def test_enum_values_are_the_values_not_the_member_names() -> None:
    assert enum_values(Colour) == ["light-blue", "red"]


@pytest.mark.parametrize(
    ("text", "escaped"),
    [
        ("50%", "50\\%"),
        ("a_b", "a\\_b"),
        ("back\\slash", "back\\\\slash"),
        ("plain", "plain"),
    ],
)
def test_escape_like_escapes_wildcards(text: str, escaped: str) -> None:
    assert escape_like(text) == escaped


async def test_escaped_search_matches_literally(session: AsyncSession) -> None:
    # Given two values that differ only where a wildcard would match anything
    connection = await session.connection()
    await connection.run_sync(probe_words.create)
    await session.execute(insert(probe_words), [{"word": "100%"}, {"word": "1000"}])

    # When the literal text "100%" is searched for
    pattern = f"%{escape_like('100%')}%"
    found = await session.scalars(
        select(probe_words.c.word).where(probe_words.c.word.ilike(pattern, escape="\\"))
    )

    # Then only the literal match is found
    assert found.all() == ["100%"]


async def test_a_json_column_keeps_nul_in_keys_and_strings(
    session: AsyncSession,
) -> None:
    # Given a JSON document holding U+0000, which a JSON field takes (a JSON
    # column stores it escaped; PostgreSQL refuses it only in JSONB)
    connection = await session.connection()
    await connection.run_sync(probe_documents.create)
    document = {"key\x00": ["text\x00", {"nested": "\x00"}]}

    # When it is stored and read back
    await session.execute(insert(probe_documents), [{"document": document}])
    stored = await session.scalar(select(probe_documents.c.document))

    # Then it is the same document
    assert stored == document


@pytest.mark.parametrize(
    ("method", "isolation_level"),
    [("GET", "AUTOCOMMIT"), ("HEAD", "AUTOCOMMIT"), ("POST", None), ("PATCH", None)],
)
async def test_only_safe_requests_read_in_autocommit(
    settings: Settings, method: str, isolation_level: str | None
) -> None:
    # Given an application whose sessions come from an engine of its own
    engine = create_engine(settings.database_url)
    app = FastAPI()
    app.state.session_factory = create_session_factory(engine)
    request = Request({"type": "http", "method": method, "app": app, "headers": []})

    # When a request of this method opens its session
    sessions = get_session(request)
    session = await anext(sessions)

    # Then only a safe request's statements run without BEGIN and COMMIT
    assert isinstance(session.bind, AsyncEngine)
    options = session.bind.get_execution_options()
    await sessions.aclose()
    await engine.dispose()
    assert options.get("isolation_level") == isolation_level


@pytest.mark.parametrize(
    ("worker", "database_url", "expected"),
    [
        (None, "postgresql+asyncpg://app@db/shop", "shop_test"),
        (None, "postgresql+asyncpg://app@db/shop_test", "shop_test"),
        ("gw1", "postgresql+asyncpg://app@db/shop", "shop_gw1_test"),
        ("gw0", "postgresql+asyncpg://app@db/shop_test", "shop_gw0_test"),
        (None, "sqlite+aiosqlite:///./app.db", "{tmp}/test.db"),
        ("gw1", "sqlite+aiosqlite:///./app.db", "{tmp}/test_gw1.db"),
    ],
)
def test_each_test_process_has_a_test_database_of_its_own(
    monkeypatch: pytest.MonkeyPatch,
    tmp_path: Path,
    worker: str | None,
    database_url: str,
    expected: str,
) -> None:
    # Given the application's database and, maybe, a pytest-xdist worker
    monkeypatch.delenv("TEST_DATABASE_URL", raising=False)
    if worker is None:
        monkeypatch.delenv("PYTEST_XDIST_WORKER", raising=False)
    else:
        monkeypatch.setenv("PYTEST_XDIST_WORKER", worker)

    # When the test database is chosen
    url = resolve_test_database_url(database_url, tmp_path)

    # Then it is a *_test database (a file for SQLite), one per worker
    assert url.database == expected.format(tmp=tmp_path)


def test_a_test_database_url_that_names_no_test_database_is_refused(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    # Given TEST_DATABASE_URL naming a database that may hold real data
    monkeypatch.setenv("TEST_DATABASE_URL", "postgresql+asyncpg://app@db/shop")
    monkeypatch.setenv("PYTEST_XDIST_WORKER", "gw1")

    # When the test database is chosen / Then it is refused, worker or not
    with pytest.raises(RuntimeError, match="does not end in '_test'"):
        resolve_test_database_url("sqlite+aiosqlite:///./app.db", tmp_path)
