"""The databases the tests use: which ones, and creating and dropping them.

The test database is, in this order of preference:

1. ``TEST_DATABASE_URL`` when it is set;
2. a temporary SQLite file when the application database is SQLite;
3. the application database (``DATABASE_URL``) with ``_test`` appended to its
   name (unless it ends in ``_test`` already), created when missing.

A server database whose name does not end in ``_test`` is refused, so that no
test run can ever drop tables of a database holding real data. When the tests
run in several processes (``pytest -n 2``), each process has a database of its
own, named after its worker: ``shop_gw1_test``, or ``test_gw1.db`` for SQLite.
"""

import os
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path

from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import URL, Connection, make_url, pool, text
from sqlalchemy.ext.asyncio import AsyncConnection, create_async_engine

from app.core.schema_version import ALEMBIC_DIR

TEST_SUFFIX = "_test"
MAX_NAME_LENGTH = 63
"""PostgreSQL truncates longer identifiers, which could cut off ``_test``."""


def resolve_test_database_url(database_url: str, sqlite_dir: Path) -> URL:
    """Choose the database the test session runs against.

    Args:
        database_url: URL of the application database (``DATABASE_URL``).
        sqlite_dir: Temporary directory for a SQLite test database.

    Returns:
        The test database URL.

    Raises:
        RuntimeError: If the chosen server database is not named ``*_test``.
    """
    if explicit := os.environ.get("TEST_DATABASE_URL"):
        url = make_url(explicit)
    else:
        url = make_url(database_url)
        if is_sqlite(url):
            url = url.set(database=str(sqlite_dir / "test.db"))
        elif not (url.database or "").endswith(TEST_SUFFIX):
            url = url.set(database=_with_suffix(url.database or "", TEST_SUFFIX))
    _refuse_real_database(url)
    return _for_this_worker(url)


def migration_database_url(test_url: URL, sqlite_dir: Path) -> URL:
    """Choose a database of its own for the migration tests.

    The migration tests start from an empty database and leave it empty, so they
    never share one with the schema that the other tests use.

    Args:
        test_url: URL of the test database.
        sqlite_dir: Temporary directory for a SQLite database.

    Returns:
        The URL of the migration test database.
    """
    if is_sqlite(test_url):
        return test_url.set(database=str(sqlite_dir / "migrations.db"))
    name = (test_url.database or "").removesuffix(TEST_SUFFIX)
    return test_url.set(database=_with_suffix(name, f"_migrations{TEST_SUFFIX}"))


def unreachable_database_url(test_url: URL, sqlite_dir: Path) -> URL:
    """Return a URL of the same kind as ``test_url`` that cannot be connected to.

    Args:
        test_url: URL of the test database.
        sqlite_dir: Temporary directory; the SQLite file would lie in a missing
            folder below it.

    Returns:
        A URL whose connections fail at once.
    """
    if is_sqlite(test_url):
        return test_url.set(database=str(sqlite_dir / "missing" / "app.db"))
    # Nothing listens on port 1, so the connection is refused immediately.
    return test_url.set(host="127.0.0.1", port=1)


def stamp_head(connection: Connection) -> None:
    """Record a schema made by ``create_all`` as migrated to the latest revision.

    ``test_migrations.py`` proves that the migrations build this same schema;
    stamped, the test database is as ready as a migrated one (``/readyz``).

    Args:
        connection: A connection to the test database.
    """
    script = ScriptDirectory(str(ALEMBIC_DIR))
    MigrationContext.configure(connection).stamp(script, "head")


def is_sqlite(url: URL) -> bool:
    """Tell whether ``url`` points to a SQLite database."""
    return url.get_backend_name() == "sqlite"


async def create_database_if_missing(url: URL) -> None:
    """Create the server database ``url`` names unless it exists.

    SQLite creates its file on first use, so nothing is done for SQLite.

    Args:
        url: URL of the database.
    """
    if is_sqlite(url):
        return
    async with _maintenance_connection(url) as connection:
        exists = await connection.scalar(
            text("SELECT 1 FROM pg_database WHERE datname = :name"),
            {"name": url.database},
        )
        if not exists:
            name = connection.dialect.identifier_preparer.quote(url.database or "")
            await connection.execute(text(f"CREATE DATABASE {name}"))


async def drop_database(url: URL) -> None:
    """Drop the server test database ``url`` names, if it exists.

    SQLite test databases live in pytest's temporary directories, which pytest
    removes itself, so nothing is done for SQLite.

    Args:
        url: URL of the database.

    Raises:
        RuntimeError: If the database is not a test database.
    """
    _refuse_real_database(url)
    if is_sqlite(url):
        return
    async with _maintenance_connection(url) as connection:
        name = connection.dialect.identifier_preparer.quote(url.database or "")
        await connection.execute(text(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)"))


def _for_this_worker(url: URL) -> URL:
    """Name ``url``'s database after this pytest-xdist worker, if it is one.

    Workers run at the same time, each creating and dropping its tables: they
    must not share a database.
    """
    worker = os.environ.get("PYTEST_XDIST_WORKER")
    if not worker:
        return url
    if is_sqlite(url):
        if not url.database or url.database == ":memory:":
            return url  # each connection has a database of its own
        path = Path(url.database)
        return url.set(database=str(path.with_stem(f"{path.stem}_{worker}")))
    name = (url.database or "").removesuffix(TEST_SUFFIX)
    return url.set(database=_with_suffix(name, f"_{worker}{TEST_SUFFIX}"))


def _with_suffix(name: str, suffix: str) -> str:
    """Append ``suffix`` to ``name``, shortening ``name`` to keep it whole."""
    return name[: MAX_NAME_LENGTH - len(suffix)] + suffix


def _refuse_real_database(url: URL) -> None:
    """Raise unless ``url`` is SQLite or names a ``*_test`` database."""
    if not is_sqlite(url) and not (url.database or "").endswith(TEST_SUFFIX):
        raise RuntimeError(
            f"refusing to use database {url.database!r} for tests: its name does "
            f"not end in {TEST_SUFFIX!r}; set TEST_DATABASE_URL to a test database"
        )


@asynccontextmanager
async def _maintenance_connection(url: URL) -> AsyncIterator[AsyncConnection]:
    """Connect to the server's ``postgres`` database, outside any transaction."""
    engine = create_async_engine(
        url.set(database="postgres"),
        isolation_level="AUTOCOMMIT",
        poolclass=pool.NullPool,
    )
    try:
        async with engine.connect() as connection:
            yield connection
    finally:
        await engine.dispose()
