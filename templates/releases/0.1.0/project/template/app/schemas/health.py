"""Bodies of the operational endpoints."""

from typing import Literal

from pydantic import BaseModel


class HealthStatus(BaseModel):
    """The body of a successful health or readiness check."""

    status: Literal["ok"] = "ok"
