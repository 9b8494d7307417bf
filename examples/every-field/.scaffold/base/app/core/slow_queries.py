"""Log database statements that run longer than ``SLOW_QUERY_MS``.

The log line carries the statement with its placeholders, never the values
bound to them, the route of the request that ran it and, through the log context,
the request id.
"""

import time
from typing import Any

import structlog
from sqlalchemy import event
from sqlalchemy.engine import Connection, ExceptionContext, ExecutionContext
from sqlalchemy.ext.asyncio import AsyncEngine

from app.core.routes import current_route

logger = structlog.get_logger(__name__)

_STARTS = "slow_query_starts"


def log_slow_queries(engine: AsyncEngine, threshold_ms: float) -> None:
    """Log every statement ``engine`` runs for ``threshold_ms`` or longer.

    Args:
        engine: The engine to watch.
        threshold_ms: The duration in milliseconds from which a statement is
            logged; 0 logs every statement.
    """

    @event.listens_for(engine.sync_engine, "before_cursor_execute")
    def _start(
        connection: Connection,
        cursor: Any,
        statement: str,
        parameters: Any,
        context: ExecutionContext | None,
        executemany: bool,
    ) -> None:
        connection.info.setdefault(_STARTS, []).append(time.perf_counter())

    @event.listens_for(engine.sync_engine, "after_cursor_execute")
    def _finish(
        connection: Connection,
        cursor: Any,
        statement: str,
        parameters: Any,
        context: ExecutionContext | None,
        executemany: bool,
    ) -> None:
        started = connection.info[_STARTS].pop()
        duration_ms = (time.perf_counter() - started) * 1000
        if duration_ms >= threshold_ms:
            logger.warning(
                "slow query",
                statement=" ".join(statement.split()),
                duration_ms=round(duration_ms, 2),
                threshold_ms=threshold_ms,
                route=current_route(),
            )

    @event.listens_for(engine.sync_engine, "handle_error")
    def _forget(context: ExceptionContext) -> None:
        starts = context.connection.info.get(_STARTS) if context.connection else None
        if starts:
            starts.pop()
