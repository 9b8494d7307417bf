"""SQLite for the tests: each connection's calls run on the event loop's thread.

aiosqlite hands every call to a thread of its own and waits for the answer, so
that a server goes on serving requests while SQLite works. A test has nothing
else to serve, and those hand-overs (three or four a statement) took about a
quarter of the tests' time. A call that waited here for another connection's
lock would hold up the whole event loop (for up to SQLite's five-second busy
timeout); the tests never do, since each runs on one connection of its own.
"""

import sqlite3
from collections.abc import Callable
from functools import partial
from typing import Any

import aiosqlite
from sqlalchemy import URL

from tests.database import is_sqlite


def inline_engine_options(url: URL) -> dict[str, Any]:
    """Return the tests' engine options for ``url``, over the application's own.

    Args:
        url: URL of the test database.

    Returns:
        Keyword arguments for ``app.core.database.create_engine``: on SQLite, a
        creator of ``InlineSQLiteConnection``; nothing for other databases.
    """
    if not is_sqlite(url):
        return {}
    args, options = url.get_dialect()().create_connect_args(url)
    # aiosqlite's thread opens the connection; the event loop's thread uses it.
    options["check_same_thread"] = False
    connect = partial(sqlite3.connect, *args, **options)

    async def async_creator() -> aiosqlite.Connection:
        return await InlineSQLiteConnection(connect, iter_chunk_size=64)

    return {"async_creator": async_creator}


class InlineSQLiteConnection(aiosqlite.Connection):
    """An aiosqlite connection that runs each call on the event loop's thread.

    ``_execute`` is the one method through which aiosqlite runs the calls of a
    connection and its cursors; opening and closing still go through its thread.
    """

    async def _execute(self, fn: Callable[..., Any], *args: Any, **kwargs: Any) -> Any:
        """Run ``fn`` at once, where aiosqlite would queue it for its thread."""
        if not self._running or not self._connection:
            raise ValueError("Connection closed")
        return fn(*args, **kwargs)
