"""Operational endpoints for load balancers and orchestrators."""

import structlog
from fastapi import APIRouter
from sqlalchemy import text
from sqlalchemy.exc import SQLAlchemyError

from app.api.deps import SessionDep
from app.core.errors import ServiceUnavailableError
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

    Answers 503 in the one error format while the database cannot be reached.
    """
    try:
        await session.execute(text("SELECT 1"))
    except (SQLAlchemyError, OSError) as exc:
        logger.warning("database unavailable", error=type(exc).__name__)
        raise ServiceUnavailableError("The database is unavailable") from exc
    return HealthStatus()
