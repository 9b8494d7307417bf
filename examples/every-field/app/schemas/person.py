"""Request and response bodies of the ``/people`` endpoints."""

import datetime as dt
from decimal import Decimal
from typing import Annotated, Any, Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator
from pydantic.json_schema import SkipJsonSchema

from app.models.person import PersonStatus
from app.schemas.common import (
    NO_NUL,
    DecimalText,
    Email,
    IsoDate,
    PageQuery,
    UtcDatetime,
    omittable,
)

EmailField = Annotated[Email, Field(max_length=320)]
FullNameField = Annotated[str, Field(min_length=1, max_length=200, pattern=NO_NUL)]
ScoreField = Annotated[
    Decimal,
    Field(
        max_digits=5,
        decimal_places=2,
        ge=Decimal("-100"),
        le=Decimal("100"),
        allow_inf_nan=False,
    ),
    DecimalText(
        r"^(?:(?:0|[1-9][0-9]{0,1})(?:\.[0-9]{1,2})?|100(?:\.(?:0|00))?"
        r"|-0\.(?:[1-9]|0[1-9]|[1-9][0-9])"
        r"|-[1-9][0-9]{0,1}(?:\.[0-9]{1,2})?|-100(?:\.(?:0|00))?)$"
    ),
]
InitialField = Annotated[str, Field(max_length=1, pattern=NO_NUL)]
DiscountField = Annotated[
    Decimal,
    Field(max_digits=2, decimal_places=2, ge=Decimal("0"), allow_inf_nan=False),
    DecimalText(r"^0\.[0-9]{1,2}$"),
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
    "initial",
    "-initial",
    "discount",
    "-discount",
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
    "initial": "0",
    "discount": "0.00",
    "updated_on": "2025-01-01T12:00:00Z",
}


class PersonCreate(BaseModel):
    """The body of ``POST /people`` and ``PUT /people/{id}``."""

    model_config = ConfigDict(
        extra="forbid", json_schema_extra={"examples": [_EXAMPLE]}
    )

    email: EmailField
    full_name: FullNameField
    date: IsoDate | None = None
    status: PersonStatus = PersonStatus.ACTIVE
    score: ScoreField | None = None
    initial: InitialField | None = None
    discount: DiscountField | None = None
    updated_on: UtcDatetime | None = None


class PersonUpdate(BaseModel):
    """The body of ``PATCH /people/{id}``: every field may be left out.

    A field the person cannot lack may be left out, but not set to null.
    """

    model_config = ConfigDict(
        extra="forbid", json_schema_extra={"examples": [_EXAMPLE]}
    )

    email: EmailField | SkipJsonSchema[None] = omittable()
    full_name: FullNameField | SkipJsonSchema[None] = omittable()
    date: IsoDate | None = None
    status: PersonStatus | SkipJsonSchema[None] = omittable()
    score: ScoreField | None = None
    initial: InitialField | None = None
    discount: DiscountField | None = None
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
    initial: str | None
    discount: Decimal | None
    updated_on: dt.datetime | None
    created_at: dt.datetime
    updated_at: dt.datetime


class PersonQuery(PageQuery):
    """The query parameters of ``GET /people``: paging, filters, search, order."""

    model_config = ConfigDict(extra="forbid")

    sort: PersonSort | SkipJsonSchema[None] = omittable(
        description="Sort by a field, '-' first for descending; newest first if unset.",
    )
    q: (
        Annotated[str, Field(min_length=1, max_length=100, pattern=NO_NUL)]
        | SkipJsonSchema[None]
    ) = omittable(
        description="Case-insensitive search in email, full_name, initial.",
    )
    email: Annotated[list[EmailField], Field(max_length=100)] | SkipJsonSchema[None] = (
        omittable(description="Only people whose email is one of these values.")
    )
    date__gte: IsoDate | SkipJsonSchema[None] = omittable(
        description="Only people whose date is at least this."
    )
    date__lte: IsoDate | SkipJsonSchema[None] = omittable(
        description="Only people whose date is at most this."
    )
    date__gt: IsoDate | SkipJsonSchema[None] = omittable(
        description="Only people whose date is more than this."
    )
    date__lt: IsoDate | SkipJsonSchema[None] = omittable(
        description="Only people whose date is less than this."
    )
    date__isnull: bool | SkipJsonSchema[None] = omittable(
        description="true: only people without date; false: only with."
    )
    status: (
        Annotated[list[PersonStatus], Field(max_length=100)] | SkipJsonSchema[None]
    ) = omittable(description="Only people whose status is one of these values.")
    score__gte: ScoreField | SkipJsonSchema[None] = omittable(
        description="Only people whose score is at least this."
    )
    score__lte: ScoreField | SkipJsonSchema[None] = omittable(
        description="Only people whose score is at most this."
    )
    score__gt: ScoreField | SkipJsonSchema[None] = omittable(
        description="Only people whose score is more than this."
    )
    score__lt: ScoreField | SkipJsonSchema[None] = omittable(
        description="Only people whose score is less than this."
    )
    score__isnull: bool | SkipJsonSchema[None] = omittable(
        description="true: only people without score; false: only with."
    )
    initial__isnull: bool | SkipJsonSchema[None] = omittable(
        description="true: only people without initial; false: only with."
    )
    discount__gte: DiscountField | SkipJsonSchema[None] = omittable(
        description="Only people whose discount is at least this."
    )
    discount__lte: DiscountField | SkipJsonSchema[None] = omittable(
        description="Only people whose discount is at most this."
    )
    discount__gt: DiscountField | SkipJsonSchema[None] = omittable(
        description="Only people whose discount is more than this."
    )
    discount__lt: DiscountField | SkipJsonSchema[None] = omittable(
        description="Only people whose discount is less than this."
    )
    discount__isnull: bool | SkipJsonSchema[None] = omittable(
        description="true: only people without discount; false: only with."
    )
    updated_on__gte: UtcDatetime | SkipJsonSchema[None] = omittable(
        description="Only people whose updated on is at least this."
    )
    updated_on__lte: UtcDatetime | SkipJsonSchema[None] = omittable(
        description="Only people whose updated on is at most this."
    )
    updated_on__gt: UtcDatetime | SkipJsonSchema[None] = omittable(
        description="Only people whose updated on is more than this."
    )
    updated_on__lt: UtcDatetime | SkipJsonSchema[None] = omittable(
        description="Only people whose updated on is less than this."
    )
    updated_on__isnull: bool | SkipJsonSchema[None] = omittable(
        description="true: only people without updated on; false: only with."
    )
