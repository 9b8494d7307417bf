"""Request and response bodies of the ``/api-keys`` endpoints.

A key is returned once, by :class:`ApiKeyCreated`; every other body shows only
its prefix.
"""

from datetime import datetime
from typing import Annotated

from pydantic import BaseModel, ConfigDict, Field

from app.models.user import Role
from app.schemas.common import NO_NUL, JsonInteger

MAX_LIFETIME_DAYS = 365


class ApiKeyCreate(BaseModel):
    """The body of ``POST /api-keys``."""

    model_config = ConfigDict(
        extra="forbid",
        json_schema_extra={
            "examples": [{"name": "billing sync", "expires_in_days": 90}]
        },
    )

    name: str = Field(
        min_length=1,
        max_length=100,
        pattern=NO_NUL,
        description="What the key is for.",
    )
    user_id: Annotated[int, Field(ge=1, le=2_147_483_647), JsonInteger] | None = Field(
        default=None,
        description="The user the key acts as, with that user's role; the "
        "administrator creating it when omitted.",
    )
    expires_in_days: Annotated[int, Field(ge=1, le=MAX_LIFETIME_DAYS), JsonInteger] = 90


class ApiKeyRead(BaseModel):
    """An API key as listed: never the key itself."""

    model_config = ConfigDict(from_attributes=True)

    id: int
    user_id: int
    name: str
    prefix: str = Field(description="The first characters of the key.")
    role: Role = Field(description="The role the key acts with: its user's.")
    expires_at: datetime
    revoked_at: datetime | None
    created_at: datetime


class ApiKeyCreated(ApiKeyRead):
    """A new API key, with the key itself: store it now, it is never shown again."""

    key: str = Field(description="Send it as the X-API-Key header.")
