"""Request and response bodies of the ``/authors`` endpoints."""

from datetime import date, datetime
from typing import Annotated, Any, Literal
from uuid import UUID

from pydantic import BaseModel, ConfigDict, EmailStr, Field, field_validator

from app.schemas.common import PageQuery

NameField = Annotated[str, Field(max_length=200)]
EmailField = Annotated[EmailStr, Field(max_length=320)]
AuthorSort = Literal[
    "name",
    "-name",
    "email",
    "-email",
    "born_on",
    "-born_on",
    "biography",
    "-biography",
    "created_at",
    "-created_at",
    "updated_at",
    "-updated_at",
]

_EXAMPLE: dict[str, Any] = {
    "name": "Name 0",
    "email": "user0@example.com",
    "born_on": "2025-01-01",
    "biography": "Biography 0",
}


class AuthorCreate(BaseModel):
    """The body of ``POST /authors`` and ``PUT /authors/{id}``."""

    model_config = ConfigDict(
        extra="forbid", json_schema_extra={"examples": [_EXAMPLE]}
    )

    name: NameField
    email: EmailField | None = None
    born_on: date | None = None
    biography: str | None = None


class AuthorUpdate(BaseModel):
    """The body of ``PATCH /authors/{id}``: every field may be left out."""

    model_config = ConfigDict(
        extra="forbid", json_schema_extra={"examples": [_EXAMPLE]}
    )

    name: NameField | None = None
    email: EmailField | None = None
    born_on: date | None = None
    biography: str | None = None

    @field_validator("name")
    @classmethod
    def _not_null(cls, value: object) -> object:
        """Refuse an explicit ``null`` for a field the author cannot lack."""
        if value is None:
            raise ValueError("may be left out, but not set to null")
        return value


class AuthorRead(BaseModel):
    """An author as the API returns it."""

    model_config = ConfigDict(from_attributes=True)

    id: UUID
    name: str
    email: str | None
    born_on: date | None
    biography: str | None
    created_at: datetime
    updated_at: datetime


class AuthorQuery(PageQuery):
    """The query parameters of ``GET /authors``: paging, filters, search, order."""

    model_config = ConfigDict(extra="forbid")

    sort: AuthorSort | None = Field(
        None,
        description="Sort by a field, '-' first for descending; newest first if unset.",
    )
    q: str | None = Field(
        None,
        min_length=1,
        max_length=100,
        description="Case-insensitive search in name, biography.",
    )
    name: NameField | None = Field(
        None, description="Only authors whose name equals this value."
    )
    email: str | None = Field(
        None, description="Only authors whose email equals this value."
    )
