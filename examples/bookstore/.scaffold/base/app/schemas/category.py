"""Request and response bodies of the ``/categories`` endpoints."""

from datetime import datetime
from typing import Annotated, Any, Literal
from uuid import UUID

from pydantic import BaseModel, ConfigDict, Field, field_validator
from pydantic.json_schema import SkipJsonSchema

from app.schemas.common import NO_NUL, PageQuery, omittable

NameField = Annotated[str, Field(min_length=1, max_length=100, pattern=NO_NUL)]
CategorySort = Literal[
    "name",
    "-name",
    "created_at",
    "-created_at",
    "updated_at",
    "-updated_at",
]

_EXAMPLE: dict[str, Any] = {"name": "Name 0"}


class CategoryCreate(BaseModel):
    """The body of ``POST /categories`` and ``PUT /categories/{id}``."""

    model_config = ConfigDict(
        extra="forbid", json_schema_extra={"examples": [_EXAMPLE]}
    )

    name: NameField
    parent_id: UUID | None = None


class CategoryUpdate(BaseModel):
    """The body of ``PATCH /categories/{id}``: every field may be left out.

    A field the category cannot lack may be left out, but not set to null.
    """

    model_config = ConfigDict(
        extra="forbid", json_schema_extra={"examples": [_EXAMPLE]}
    )

    name: NameField | SkipJsonSchema[None] = omittable()
    parent_id: UUID | None = None

    @field_validator("name")
    @classmethod
    def _not_null(cls, value: object) -> object:
        """Refuse an explicit ``null`` for a field the category cannot lack."""
        if value is None:
            raise ValueError("may be left out, but not set to null")
        return value


class CategoryRead(BaseModel):
    """A category as the API returns it."""

    model_config = ConfigDict(from_attributes=True)

    id: UUID
    name: str
    parent_id: UUID | None
    created_at: datetime
    updated_at: datetime


class CategoryQuery(PageQuery):
    """The query parameters of ``GET /categories``: paging, filters, search, order."""

    model_config = ConfigDict(extra="forbid")

    sort: CategorySort | SkipJsonSchema[None] = omittable(
        description="Sort by a field, '-' first for descending; newest first if unset.",
    )
    q: (
        Annotated[str, Field(min_length=1, max_length=100, pattern=NO_NUL)]
        | SkipJsonSchema[None]
    ) = omittable(
        description="Case-insensitive search in name.",
    )
    name: Annotated[list[NameField], Field(max_length=100)] | SkipJsonSchema[None] = (
        omittable(description="Only categories whose name is one of these values.")
    )
    parent_id: Annotated[list[UUID], Field(max_length=100)] | SkipJsonSchema[None] = (
        omittable(description="Only the categories of one of these parent ids.")
    )
    parent_id__isnull: bool | SkipJsonSchema[None] = omittable(
        description="true: only categories without parent; false: only with."
    )
