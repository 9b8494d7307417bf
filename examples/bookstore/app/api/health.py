"""Operational endpoints for load balancers and orchestrators."""

import structlog
from fastapi import APIRouter
from sqlalchemy import text
from sqlalchemy.exc import SQLAlchemyError

from app.api.deps import SessionDep
from app.core.errors import ServiceUnavailableError
from app.core.schema_version import applied_revisions, pending_migrations_message
from app.schemas.common import error_responses
from app.schemas.health import HealthStatus

logger = structlog.get_logger(__name__)

router = APIRouter(tags=["health"])


@router.get("/healthz")
async def healthz() -> HealthStatus:
    """Report that the process is up (liveness); checks nothing else."""
    return HealthStatus()


@router.get("/readyz", responses=error_responses(503))
async def readyz(session: SessionDep) -> HealthStatus:
    """Report whether the service can serve requests (readiness).

    Answers 503 in the one error format while the database cannot be reached
    or is not at the latest migration.
    """
    await check_database(session)
    await check_migrations(session)
    return HealthStatus()


async def check_database(session: SessionDep) -> None:
    """Raise :class:`ServiceUnavailableError` while the database cannot be reached."""
    try:
        await session.execute(text("SELECT 1"))
    except (SQLAlchemyError, OSError) as exc:
        logger.warning("database unavailable", error=type(exc).__name__)
        raise ServiceUnavailableError("The database is unavailable") from exc


async def check_migrations(session: SessionDep) -> None:
    """Raise :class:`ServiceUnavailableError` while migrations are pending.

    The error names the command that applies them.
    """
    connection = await session.connection()
    applied = await connection.run_sync(applied_revisions)
    message = pending_migrations_message(applied)
    if message is not None:
        logger.warning("database schema out of date", detail=message)
        raise ServiceUnavailableError(message)
