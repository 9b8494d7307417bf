"""Request and response bodies of the ``/books`` endpoints."""

from datetime import date, datetime
from decimal import Decimal
from typing import Annotated, Any, Literal
from uuid import UUID

from pydantic import BaseModel, ConfigDict, Field, field_validator
from pydantic.json_schema import SkipJsonSchema

from app.models.book import BookStatus
from app.schemas.author import AuthorRead
from app.schemas.common import NO_NUL, DecimalText, IsoDate, PageQuery, omittable
from app.schemas.tag import TagRead

TitleField = Annotated[str, Field(min_length=1, max_length=200, pattern=NO_NUL)]
IsbnField = Annotated[str, Field(min_length=1, max_length=13, pattern="^[0-9]{13}$")]
PriceField = Annotated[
    Decimal,
    Field(max_digits=10, decimal_places=2, ge=Decimal("0"), allow_inf_nan=False),
    DecimalText(r"^(?:0|[1-9][0-9]{0,7})(?:\.[0-9]{1,2})?$"),
]
SummaryField = Annotated[str, Field(pattern=NO_NUL)]
BookSort = Literal[
    "title",
    "-title",
    "isbn",
    "-isbn",
    "price",
    "-price",
    "status",
    "-status",
    "published_on",
    "-published_on",
    "created_at",
    "-created_at",
    "updated_at",
    "-updated_at",
]

_EXAMPLE: dict[str, Any] = {
    "title": "Title 0",
    "isbn": "0343746830652",
    "price": "0.00",
    "status": "draft",
    "published_on": "2025-01-01",
    "summary": "Summary 0",
    "author_id": "3fa85f64-5717-4562-b3fc-2c963f66afa6",
}


class BookCreate(BaseModel):
    """The body of ``POST /books`` and ``PUT /books/{id}``."""

    model_config = ConfigDict(
        extra="forbid", json_schema_extra={"examples": [_EXAMPLE]}
    )

    title: TitleField
    isbn: IsbnField
    price: PriceField
    status: BookStatus = BookStatus.DRAFT
    published_on: IsoDate | None = None
    summary: SummaryField | None = None
    author_id: UUID
    category_id: UUID | None = None
    tag_ids: list[UUID] = Field(default_factory=list, max_length=100)


class BookUpdate(BaseModel):
    """The body of ``PATCH /books/{id}``: every field may be left out.

    A field the book cannot lack may be left out, but not set to null.
    """

    model_config = ConfigDict(
        extra="forbid", json_schema_extra={"examples": [_EXAMPLE]}
    )

    title: TitleField | SkipJsonSchema[None] = omittable()
    isbn: IsbnField | SkipJsonSchema[None] = omittable()
    price: PriceField | SkipJsonSchema[None] = omittable()
    status: BookStatus | SkipJsonSchema[None] = omittable()
    published_on: IsoDate | None = None
    summary: SummaryField | None = None
    author_id: UUID | SkipJsonSchema[None] = omittable()
    category_id: UUID | None = None
    tag_ids: Annotated[list[UUID], Field(max_length=100)] | SkipJsonSchema[None] = (
        omittable()
    )

    @field_validator("title", "isbn", "price", "status", "author_id", "tag_ids")
    @classmethod
    def _not_null(cls, value: object) -> object:
        """Refuse an explicit ``null`` for a field the book cannot lack."""
        if value is None:
            raise ValueError("may be left out, but not set to null")
        return value


class BookRead(BaseModel):
    """A book as the API returns it."""

    model_config = ConfigDict(from_attributes=True)

    id: UUID
    title: str
    isbn: str
    price: Decimal
    status: BookStatus
    published_on: date | None
    summary: str | None
    author_id: UUID
    category_id: UUID | None
    tag_ids: list[UUID]
    author: AuthorRead
    tags: list[TagRead]
    version: int = Field(description="Counts the changes; the ETag names it.")
    created_at: datetime
    updated_at: datetime


class BookQuery(PageQuery):
    """The query parameters of ``GET /books``: paging, filters, search, order."""

    model_config = ConfigDict(extra="forbid")

    sort: BookSort | SkipJsonSchema[None] = omittable(
        description="Sort by a field, '-' first for descending; newest first if unset.",
    )
    q: (
        Annotated[str, Field(min_length=1, max_length=100, pattern=NO_NUL)]
        | SkipJsonSchema[None]
    ) = omittable(
        description="Case-insensitive search in title, isbn, summary.",
    )
    title: Annotated[list[TitleField], Field(max_length=100)] | SkipJsonSchema[None] = (
        omittable(description="Only books whose title is one of these values.")
    )
    isbn: Annotated[list[IsbnField], Field(max_length=100)] | SkipJsonSchema[None] = (
        omittable(description="Only books whose isbn is one of these values.")
    )
    price__gte: PriceField | SkipJsonSchema[None] = omittable(
        description="Only books whose price is at least this."
    )
    price__lte: PriceField | SkipJsonSchema[None] = omittable(
        description="Only books whose price is at most this."
    )
    price__gt: PriceField | SkipJsonSchema[None] = omittable(
        description="Only books whose price is more than this."
    )
    price__lt: PriceField | SkipJsonSchema[None] = omittable(
        description="Only books whose price is less than this."
    )
    status: (
        Annotated[list[BookStatus], Field(max_length=100)] | SkipJsonSchema[None]
    ) = omittable(description="Only books whose status is one of these values.")
    published_on__gte: IsoDate | SkipJsonSchema[None] = omittable(
        description="Only books whose published on is at least this."
    )
    published_on__lte: IsoDate | SkipJsonSchema[None] = omittable(
        description="Only books whose published on is at most this."
    )
    published_on__gt: IsoDate | SkipJsonSchema[None] = omittable(
        description="Only books whose published on is more than this."
    )
    published_on__lt: IsoDate | SkipJsonSchema[None] = omittable(
        description="Only books whose published on is less than this."
    )
    published_on__isnull: bool | SkipJsonSchema[None] = omittable(
        description="true: only books without published on; false: only with."
    )
    summary__isnull: bool | SkipJsonSchema[None] = omittable(
        description="true: only books without summary; false: only with."
    )
    author_id: Annotated[list[UUID], Field(max_length=100)] | SkipJsonSchema[None] = (
        omittable(description="Only the books of one of these author ids.")
    )
    category_id: Annotated[list[UUID], Field(max_length=100)] | SkipJsonSchema[None] = (
        omittable(description="Only the books of one of these category ids.")
    )
    category_id__isnull: bool | SkipJsonSchema[None] = omittable(
        description="true: only books without category; false: only with."
    )
    tag_id: Annotated[list[UUID], Field(max_length=100)] | SkipJsonSchema[None] = (
        omittable(description="Only the books with one of these tags.")
    )
