"""Request and response bodies of the ``/authors`` endpoints."""

from datetime import date, datetime
from typing import Annotated, Any, Literal
from uuid import UUID

from pydantic import BaseModel, ConfigDict, Field, field_validator
from pydantic.json_schema import SkipJsonSchema

from app.schemas.common import NO_NUL, Email, IsoDate, PageQuery, omittable

NameField = Annotated[str, Field(min_length=1, max_length=200, pattern=NO_NUL)]
EmailField = Annotated[Email, Field(max_length=320)]
BiographyField = Annotated[str, Field(pattern=NO_NUL)]
AuthorSort = Literal[
    "name",
    "-name",
    "email",
    "-email",
    "born_on",
    "-born_on",
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
    born_on: IsoDate | None = None
    biography: BiographyField | None = None


class AuthorUpdate(BaseModel):
    """The body of ``PATCH /authors/{id}``: every field may be left out.

    A field the author cannot lack may be left out, but not set to null.
    """

    model_config = ConfigDict(
        extra="forbid", json_schema_extra={"examples": [_EXAMPLE]}
    )

    name: NameField | SkipJsonSchema[None] = omittable()
    email: EmailField | None = None
    born_on: IsoDate | None = None
    biography: BiographyField | None = None

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
    deleted_at: datetime | None


class AuthorQuery(PageQuery):
    """The query parameters of ``GET /authors``: paging, filters, search, order."""

    model_config = ConfigDict(extra="forbid")

    sort: AuthorSort | SkipJsonSchema[None] = omittable(
        description="Sort by a field, '-' first for descending; newest first if unset.",
    )
    q: (
        Annotated[str, Field(min_length=1, max_length=100, pattern=NO_NUL)]
        | SkipJsonSchema[None]
    ) = omittable(
        description="Case-insensitive search in name, biography.",
    )
    name: Annotated[list[NameField], Field(max_length=100)] | SkipJsonSchema[None] = (
        omittable(description="Only authors whose name is one of these values.")
    )
    email: Annotated[list[EmailField], Field(max_length=100)] | SkipJsonSchema[None] = (
        omittable(description="Only authors whose email is one of these values.")
    )
    email__isnull: bool | SkipJsonSchema[None] = omittable(
        description="true: only authors without email; false: only with."
    )
    born_on__gte: IsoDate | SkipJsonSchema[None] = omittable(
        description="Only authors whose born on is at least this."
    )
    born_on__lte: IsoDate | SkipJsonSchema[None] = omittable(
        description="Only authors whose born on is at most this."
    )
    born_on__gt: IsoDate | SkipJsonSchema[None] = omittable(
        description="Only authors whose born on is more than this."
    )
    born_on__lt: IsoDate | SkipJsonSchema[None] = omittable(
        description="Only authors whose born on is less than this."
    )
    born_on__isnull: bool | SkipJsonSchema[None] = omittable(
        description="true: only authors without born on; false: only with."
    )
    biography__isnull: bool | SkipJsonSchema[None] = omittable(
        description="true: only authors without biography; false: only with."
    )
    deleted: bool = Field(
        False, description="true: only the deleted authors (administrators only)."
    )
