"""Request and response bodies of the ``/books`` endpoints."""

from datetime import date, datetime
from decimal import Decimal
from typing import Annotated, Any, Literal
from uuid import UUID

from pydantic import BaseModel, ConfigDict, Field, field_validator

from app.models.book import BookStatus
from app.schemas.author import AuthorRead
from app.schemas.common import PageQuery
from app.schemas.tag import TagRead

TitleField = Annotated[str, Field(max_length=200)]
IsbnField = Annotated[str, Field(max_length=13, pattern="^[0-9]{13}$")]
PriceField = Annotated[
    Decimal,
    Field(max_digits=10, decimal_places=2, ge=Decimal("0"), allow_inf_nan=False),
]
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
    "summary",
    "-summary",
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
    published_on: date | None = None
    summary: str | None = None
    author_id: UUID
    category_id: UUID | None = None
    tag_ids: list[UUID] = Field(default_factory=list, max_length=100)


class BookUpdate(BaseModel):
    """The body of ``PATCH /books/{id}``: every field may be left out."""

    model_config = ConfigDict(
        extra="forbid", json_schema_extra={"examples": [_EXAMPLE]}
    )

    title: TitleField | None = None
    isbn: IsbnField | None = None
    price: PriceField | None = None
    status: BookStatus | None = None
    published_on: date | None = None
    summary: str | None = None
    author_id: UUID | None = None
    category_id: UUID | None = None
    tag_ids: list[UUID] | None = Field(None, max_length=100)

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
    created_at: datetime
    updated_at: datetime


class BookQuery(PageQuery):
    """The query parameters of ``GET /books``: paging, filters, search, order."""

    model_config = ConfigDict(extra="forbid")

    sort: BookSort | None = Field(
        None,
        description="Sort by a field, '-' first for descending; newest first if unset.",
    )
    q: str | None = Field(
        None,
        min_length=1,
        max_length=100,
        description="Case-insensitive search in title, isbn, summary.",
    )
    title: TitleField | None = Field(
        None, description="Only books whose title equals this value."
    )
    isbn: IsbnField | None = Field(
        None, description="Only books whose isbn equals this value."
    )
    status: BookStatus | None = Field(
        None, description="Only books whose status equals this value."
    )
    author_id: UUID | None = Field(None, description="Only the books of this author.")
    category_id: UUID | None = Field(
        None, description="Only the books of this category."
    )
