"""Request and response bodies of the ``/people`` endpoints."""

import datetime as dt
from decimal import Decimal
from typing import Annotated, Any, Literal

from pydantic import BaseModel, ConfigDict, EmailStr, Field, field_validator

from app.models.person import PersonStatus
from app.schemas.common import PageQuery, UtcDatetime

EmailField = Annotated[EmailStr, Field(max_length=320)]
FullNameField = Annotated[str, Field(max_length=200)]
ScoreField = Annotated[
    Decimal,
    Field(
        max_digits=5,
        decimal_places=2,
        ge=Decimal("-100"),
        le=Decimal("100"),
        allow_inf_nan=False,
    ),
]
PersonSort = Literal[
    "email",
    "-email",
    "full_name",
    "-full_name",
    "date",
    "-date",
    "status",
    "-status",
    "score",
    "-score",
    "updated_on",
    "-updated_on",
    "created_at",
    "-created_at",
    "updated_at",
    "-updated_at",
]

_EXAMPLE: dict[str, Any] = {
    "email": "user0@example.com",
    "full_name": "Full name 0",
    "date": "2025-01-01",
    "status": "active",
    "score": "1.00",
    "updated_on": "2025-01-01T12:00:00Z",
}


class PersonCreate(BaseModel):
    """The body of ``POST /people`` and ``PUT /people/{id}``."""

    model_config = ConfigDict(
        extra="forbid", json_schema_extra={"examples": [_EXAMPLE]}
    )

    email: EmailField
    full_name: FullNameField
    date: dt.date | None = None
    status: PersonStatus = PersonStatus.ACTIVE
    score: ScoreField | None = None
    updated_on: UtcDatetime | None = None


class PersonUpdate(BaseModel):
    """The body of ``PATCH /people/{id}``: every field may be left out."""

    model_config = ConfigDict(
        extra="forbid", json_schema_extra={"examples": [_EXAMPLE]}
    )

    email: EmailField | None = None
    full_name: FullNameField | None = None
    date: dt.date | None = None
    status: PersonStatus | None = None
    score: ScoreField | None = None
    updated_on: UtcDatetime | None = None

    @field_validator("email", "full_name", "status")
    @classmethod
    def _not_null(cls, value: object) -> object:
        """Refuse an explicit ``null`` for a field the person cannot lack."""
        if value is None:
            raise ValueError("may be left out, but not set to null")
        return value


class PersonRead(BaseModel):
    """A person as the API returns it."""

    model_config = ConfigDict(from_attributes=True)

    id: int
    email: str
    full_name: str
    date: dt.date | None
    status: PersonStatus
    score: Decimal | None
    updated_on: dt.datetime | None
    created_at: dt.datetime
    updated_at: dt.datetime


class PersonQuery(PageQuery):
    """The query parameters of ``GET /people``: paging, filters, search, order."""

    model_config = ConfigDict(extra="forbid")

    sort: PersonSort | None = Field(
        None,
        description="Sort by a field, '-' first for descending; newest first if unset.",
    )
    q: str | None = Field(
        None,
        min_length=1,
        max_length=100,
        description="Case-insensitive search in email, full_name.",
    )
    email: str | None = Field(
        None, description="Only people whose email equals this value."
    )
    status: PersonStatus | None = Field(
        None, description="Only people whose status equals this value."
    )
