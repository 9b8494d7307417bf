"""Request and response bodies of the ``/tags`` endpoints."""

from datetime import datetime
from typing import Annotated, Any, Literal
from uuid import UUID

from pydantic import BaseModel, ConfigDict, Field, field_validator
from pydantic.json_schema import SkipJsonSchema

from app.schemas.common import NO_NUL, PageQuery, omittable

NameField = Annotated[str, Field(min_length=1, max_length=50, pattern="^[a-z0-9-]+$")]
DescriptionField = Annotated[str, Field(max_length=200, pattern=NO_NUL)]
TagSort = Literal[
    "name",
    "-name",
    "description",
    "-description",
    "created_at",
    "-created_at",
    "updated_at",
    "-updated_at",
]

_EXAMPLE: dict[str, Any] = {"name": "3wo5aj3wo5", "description": "Description 0"}


class TagCreate(BaseModel):
    """The body of ``POST /tags`` and ``PUT /tags/{id}``."""

    model_config = ConfigDict(
        extra="forbid", json_schema_extra={"examples": [_EXAMPLE]}
    )

    name: NameField
    description: DescriptionField | None = None


class TagUpdate(BaseModel):
    """The body of ``PATCH /tags/{id}``: every field may be left out.

    A field the tag cannot lack may be left out, but not set to null.
    """

    model_config = ConfigDict(
        extra="forbid", json_schema_extra={"examples": [_EXAMPLE]}
    )

    name: NameField | SkipJsonSchema[None] = omittable()
    description: DescriptionField | None = None

    @field_validator("name")
    @classmethod
    def _not_null(cls, value: object) -> object:
        """Refuse an explicit ``null`` for a field the tag cannot lack."""
        if value is None:
            raise ValueError("may be left out, but not set to null")
        return value


class TagRead(BaseModel):
    """A tag as the API returns it."""

    model_config = ConfigDict(from_attributes=True)

    id: UUID
    name: str
    description: str | None
    created_at: datetime
    updated_at: datetime


class TagQuery(PageQuery):
    """The query parameters of ``GET /tags``: paging, filters, search, order."""

    model_config = ConfigDict(extra="forbid")

    sort: TagSort | SkipJsonSchema[None] = omittable(
        description="Sort by a field, '-' first for descending; newest first if unset.",
    )
    q: (
        Annotated[str, Field(min_length=1, max_length=100, pattern=NO_NUL)]
        | SkipJsonSchema[None]
    ) = omittable(
        description="Case-insensitive search in name, description.",
    )
    name: Annotated[list[NameField], Field(max_length=100)] | SkipJsonSchema[None] = (
        omittable(description="Only tags whose name is one of these values.")
    )
    description__isnull: bool | SkipJsonSchema[None] = omittable(
        description="true: only tags without description; false: only with."
    )
