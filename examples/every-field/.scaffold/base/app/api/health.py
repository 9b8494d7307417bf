"""Operational endpoints for load balancers and orchestrators.

``/readyz`` runs one check per backing service the application needs and
reports each of them, so that a failed probe names what is down.
"""

import asyncio
from datetime import UTC, datetime

import structlog
from fastapi import APIRouter, Request
from fastapi.responses import JSONResponse
from sqlalchemy import text
from sqlalchemy.exc import SQLAlchemyError

from app.api.deps import RateLimiterDep, SessionDep
from app.core.errors import ServiceUnavailableError
from app.core.middleware import get_request_id
from app.core.schema_version import (
    UPGRADE_COMMAND,
    applied_revisions,
    pending_migrations_message,
)
from app.schemas.health import (
    CheckStatus,
    HealthStatus,
    ReadinessErrorResponse,
    ReadinessStatus,
)

CHECK_TIMEOUT_SECONDS = 2.0
"""How long one readiness check may take before its service counts as down."""

logger = structlog.get_logger(__name__)

router = APIRouter(tags=["health"])


@router.get("/healthz")
async def healthz() -> HealthStatus:
    """Report that the process is up (liveness); checks nothing else."""
    return HealthStatus()


async def check_database(session: SessionDep) -> CheckStatus:
    """Run ``SELECT 1`` on the database."""
    try:
        async with asyncio.timeout(CHECK_TIMEOUT_SECONDS):
            await session.execute(text("SELECT 1"))
    except (SQLAlchemyError, OSError, TimeoutError) as exc:
        logger.warning("database unavailable", error=type(exc).__name__)
        return "unavailable"
    return "ok"


async def check_migrations(session: SessionDep) -> CheckStatus:
    """Compare the revision the database is at with the latest migration."""
    try:
        async with asyncio.timeout(CHECK_TIMEOUT_SECONDS):
            connection = await session.connection()
            applied = await connection.run_sync(applied_revisions)
    except (SQLAlchemyError, OSError, TimeoutError) as exc:
        logger.warning("database unavailable", error=type(exc).__name__)
        return "unavailable"
    message = pending_migrations_message(applied)
    if message is not None:
        logger.warning("database schema out of date", detail=message)
        return "pending"
    return "ok"


async def check_rate_limit_storage(limiter: RateLimiterDep) -> CheckStatus:
    """Check that the rate limiter's counters can be reached."""
    try:
        async with asyncio.timeout(CHECK_TIMEOUT_SECONDS):
            await limiter.check_storage()
    except (ServiceUnavailableError, TimeoutError):
        return "unavailable"
    return "ok"


@router.get(
    "/readyz",
    response_model=ReadinessStatus,
    responses={
        503: {
            "model": ReadinessErrorResponse,
            "description": "A backing service is down",
        },
    },
)
async def readyz(
    request: Request, session: SessionDep, limiter: RateLimiterDep
) -> ReadinessStatus | JSONResponse:
    """Report whether the service can serve requests (readiness).

    Answers 503 in the one error format, with the status of every check, while
    a backing service cannot be reached or the database is not at the latest
    migration (the detail then names the command that applies them).
    """
    checks: dict[str, CheckStatus] = {"database": await check_database(session)}
    if checks["database"] == "ok":
        checks["migrations"] = await check_migrations(session)
    checks["rate_limit_storage"] = await check_rate_limit_storage(limiter)
    failed = [
        f"{name} pending (run `{UPGRADE_COMMAND}`)" if status == "pending" else name
        for name, status in checks.items()
        if status != "ok"
    ]
    if not failed:
        return ReadinessStatus(checks=checks)
    body = ReadinessErrorResponse(
        detail="Unavailable: " + ", ".join(failed),
        error_code="SERVICE_UNAVAILABLE",
        timestamp=datetime.now(UTC),
        path=request.url.path,
        request_id=get_request_id(request.scope),
        checks=checks,
    )
    return JSONResponse(body.model_dump(mode="json"), status_code=503)
