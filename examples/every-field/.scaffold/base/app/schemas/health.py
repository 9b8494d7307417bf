"""Bodies of the operational endpoints."""

from typing import Literal

from pydantic import BaseModel, Field

from app.schemas.common import ErrorResponse

CheckStatus = Literal["ok", "unavailable", "pending"]


class HealthStatus(BaseModel):
    """The body of a successful health or readiness check."""

    status: Literal["ok"] = "ok"


class ReadinessStatus(HealthStatus):
    """The body of a successful readiness check: every backing service is up."""

    checks: dict[str, CheckStatus] = Field(
        description="The status of each backing service, e.g. database, redis."
    )


class ReadinessErrorResponse(ErrorResponse):
    """The body of a failed readiness check: the error, and every check's status."""

    checks: dict[str, CheckStatus] = Field(
        description="The status of each backing service; at least one failed."
    )
