"""Request and response bodies of the ``/reviews`` endpoints."""

from datetime import datetime
from typing import Annotated, Any, Literal, Self
from uuid import UUID

from pydantic import (
    BaseModel,
    ConfigDict,
    Field,
    TypeAdapter,
    ValidationError,
    field_validator,
    model_validator,
)
from pydantic.json_schema import SkipJsonSchema

from app.schemas.book import BookRead
from app.schemas.common import (
    CURSOR_PATTERN,
    NO_NUL,
    CursorQuery,
    JsonInteger,
    UtcDatetime,
    decode_cursor,
    omittable,
)

ReviewerField = Annotated[str, Field(min_length=1, max_length=100, pattern=NO_NUL)]
RatingField = Annotated[int, Field(ge=1, le=5), JsonInteger]
BodyField = Annotated[str, Field(max_length=5000, pattern=NO_NUL)]
RatingFilter = Annotated[int, Field(ge=1, le=5)]
ReviewSort = Literal[
    "reviewer",
    "-reviewer",
    "rating",
    "-rating",
    "posted_at",
    "-posted_at",
    "created_at",
    "-created_at",
    "updated_at",
    "-updated_at",
]

_CURSOR_VALUES: dict[str, TypeAdapter[Any]] = {
    "reviewer": TypeAdapter(ReviewerField),
    "rating": TypeAdapter(RatingField),
    "posted_at": TypeAdapter(UtcDatetime),
    "created_at": TypeAdapter(UtcDatetime),
    "updated_at": TypeAdapter(UtcDatetime),
}
"""How to read back the sort value a cursor holds, per sort column."""
_CURSOR_ID: TypeAdapter[UUID] = TypeAdapter(UUID)

_EXAMPLE: dict[str, Any] = {
    "reviewer": "Reviewer 0",
    "rating": 1,
    "body": "Body 0",
    "posted_at": "2025-01-01T12:00:00Z",
    "book_id": "3fa85f64-5717-4562-b3fc-2c963f66afa6",
}


class ReviewCreate(BaseModel):
    """The body of ``POST /reviews`` and ``PUT /reviews/{id}``."""

    model_config = ConfigDict(
        extra="forbid", json_schema_extra={"examples": [_EXAMPLE]}
    )

    reviewer: ReviewerField
    rating: RatingField
    body: BodyField | None = None
    posted_at: UtcDatetime
    book_id: UUID


class ReviewUpdate(BaseModel):
    """The body of ``PATCH /reviews/{id}``: every field may be left out.

    A field the review cannot lack may be left out, but not set to null.
    """

    model_config = ConfigDict(
        extra="forbid", json_schema_extra={"examples": [_EXAMPLE]}
    )

    reviewer: ReviewerField | SkipJsonSchema[None] = omittable()
    rating: RatingField | SkipJsonSchema[None] = omittable()
    body: BodyField | None = None
    posted_at: UtcDatetime | SkipJsonSchema[None] = omittable()
    book_id: UUID | SkipJsonSchema[None] = omittable()

    @field_validator("reviewer", "rating", "posted_at", "book_id")
    @classmethod
    def _not_null(cls, value: object) -> object:
        """Refuse an explicit ``null`` for a field the review cannot lack."""
        if value is None:
            raise ValueError("may be left out, but not set to null")
        return value


class ReviewRead(BaseModel):
    """A review as the API returns it."""

    model_config = ConfigDict(from_attributes=True)

    id: UUID
    reviewer: str
    rating: int
    body: str | None
    posted_at: datetime
    book_id: UUID
    book: BookRead
    owner_id: UUID
    created_at: datetime
    updated_at: datetime


class ReviewQuery(CursorQuery):
    """The query parameters of ``GET /reviews``: paging, filters, search, order."""

    model_config = ConfigDict(extra="forbid")

    cursor: (
        Annotated[str, Field(min_length=1, max_length=924, pattern=CURSOR_PATTERN)]
        | SkipJsonSchema[None]
    ) = omittable(
        description="The next_cursor of the page before; unset for the first page.",
    )
    sort: ReviewSort | SkipJsonSchema[None] = omittable(
        description="Sort by a field, '-' first for descending; newest first if unset.",
    )
    q: (
        Annotated[str, Field(min_length=1, max_length=100, pattern=NO_NUL)]
        | SkipJsonSchema[None]
    ) = omittable(
        description="Case-insensitive search in reviewer, body.",
    )
    rating__gte: RatingFilter | SkipJsonSchema[None] = omittable(
        description="Only reviews whose rating is at least this."
    )
    rating__lte: RatingFilter | SkipJsonSchema[None] = omittable(
        description="Only reviews whose rating is at most this."
    )
    rating__gt: RatingFilter | SkipJsonSchema[None] = omittable(
        description="Only reviews whose rating is more than this."
    )
    rating__lt: RatingFilter | SkipJsonSchema[None] = omittable(
        description="Only reviews whose rating is less than this."
    )
    body__isnull: bool | SkipJsonSchema[None] = omittable(
        description="true: only reviews without body; false: only with."
    )
    posted_at__gte: UtcDatetime | SkipJsonSchema[None] = omittable(
        description="Only reviews whose posted at is at least this."
    )
    posted_at__lte: UtcDatetime | SkipJsonSchema[None] = omittable(
        description="Only reviews whose posted at is at most this."
    )
    posted_at__gt: UtcDatetime | SkipJsonSchema[None] = omittable(
        description="Only reviews whose posted at is more than this."
    )
    posted_at__lt: UtcDatetime | SkipJsonSchema[None] = omittable(
        description="Only reviews whose posted at is less than this."
    )
    book_id: Annotated[list[UUID], Field(max_length=100)] | SkipJsonSchema[None] = (
        omittable(description="Only the reviews of one of these book ids.")
    )

    @model_validator(mode="after")
    def _check_cursor(self) -> Self:
        """Refuse a cursor this list did not make, or made for another sort."""
        self.after()
        return self

    def after(self) -> tuple[Any, UUID] | None:
        """The sort value and id of the last review before this page, if any.

        Raises:
            ValueError: ``cursor`` is not one this list returned for ``sort``.
        """
        if self.cursor is None:
            return None
        sort = self.sort or "-created_at"
        value, last_id = decode_cursor(self.cursor, sort)
        try:
            return (
                _CURSOR_VALUES[sort.removeprefix("-")].validate_python(value),
                _CURSOR_ID.validate_python(last_id),
            )
        except ValidationError:
            raise ValueError("is not a cursor this list returned") from None
