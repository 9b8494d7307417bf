"""The tests' SQLite connections run their calls on the event loop's thread."""

import threading
from pathlib import Path
from typing import Any

from sqlalchemy import event, make_url, text
from sqlalchemy.ext.asyncio import AsyncEngine

from app.core.database import create_engine
from tests.sqlite import inline_engine_options


async def _thread_running_sqlite(engine: AsyncEngine) -> int:
    """Return the identifier of the thread on which ``engine``'s SQLite works."""

    @event.listens_for(engine.sync_engine, "connect")
    def _register(dbapi_connection: Any, connection_record: Any) -> None:
        dbapi_connection.create_function("thread_ident", 0, threading.get_ident)

    try:
        async with engine.connect() as connection:
            ident = await connection.scalar(text("SELECT thread_ident()"))
    finally:
        await engine.dispose()
    assert isinstance(ident, int)
    return ident


async def test_the_tests_sqlite_statements_run_on_the_event_loops_thread(
    tmp_path: Path,
) -> None:
    # Given the tests' engine and the application's, on one SQLite file
    url = make_url(f"sqlite+aiosqlite:///{tmp_path / 'threads.db'}")
    tests_engine = create_engine(str(url), **inline_engine_options(url))
    app_engine = create_engine(str(url))

    # When each runs a statement that asks SQLite which thread runs it
    tests_thread = await _thread_running_sqlite(tests_engine)
    app_thread = await _thread_running_sqlite(app_engine)

    # Then the tests' statement ran on this thread, the application's on another
    assert tests_thread == threading.get_ident()
    assert app_thread != threading.get_ident()


def test_other_databases_keep_their_own_driver() -> None:
    # Given a PostgreSQL test database / When its engine options are chosen
    url = make_url("postgresql+asyncpg://app@db/shop_test")

    # Then the tests' engine connects as the application's does
    assert inline_engine_options(url) == {}
