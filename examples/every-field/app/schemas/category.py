"""Request and response bodies of the ``/categories`` endpoints."""

from datetime import datetime
from typing import Annotated, Any, Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator
from pydantic.json_schema import SkipJsonSchema

from app.schemas.common import NO_NUL, JsonInteger, PageQuery, omittable

TitleField = Annotated[str, Field(min_length=1, max_length=80, pattern=NO_NUL)]
SlugField = Annotated[str, Field(min_length=1, max_length=80, pattern="^[a-z0-9-]+$")]
PositionField = Annotated[int, Field(ge=1, le=999), JsonInteger]
PositionFilter = Annotated[int, Field(ge=1, le=999)]
CategorySort = Literal[
    "title",
    "-title",
    "slug",
    "-slug",
    "position",
    "-position",
    "created_at",
    "-created_at",
    "updated_at",
    "-updated_at",
]

_EXAMPLE: dict[str, Any] = {"title": "Title 0", "slug": "3wo5aj3wo5", "position": 1}


class CategoryCreate(BaseModel):
    """The body of ``POST /categories`` and ``PUT /categories/{id}``."""

    model_config = ConfigDict(
        extra="forbid", json_schema_extra={"examples": [_EXAMPLE]}
    )

    title: TitleField
    slug: SlugField
    position: PositionField = 1


class CategoryUpdate(BaseModel):
    """The body of ``PATCH /categories/{id}``: every field may be left out.

    A field the category cannot lack may be left out, but not set to null.
    """

    model_config = ConfigDict(
        extra="forbid", json_schema_extra={"examples": [_EXAMPLE]}
    )

    title: TitleField | SkipJsonSchema[None] = omittable()
    slug: SlugField | SkipJsonSchema[None] = omittable()
    position: PositionField | SkipJsonSchema[None] = omittable()

    @field_validator("title", "slug", "position")
    @classmethod
    def _not_null(cls, value: object) -> object:
        """Refuse an explicit ``null`` for a field the category cannot lack."""
        if value is None:
            raise ValueError("may be left out, but not set to null")
        return value


class CategoryRead(BaseModel):
    """A category as the API returns it."""

    model_config = ConfigDict(from_attributes=True)

    id: int
    title: str
    slug: str
    position: int
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
        description="Case-insensitive search in title, slug.",
    )
    title: Annotated[list[TitleField], Field(max_length=100)] | SkipJsonSchema[None] = (
        omittable(description="Only categories whose title is one of these values.")
    )
    slug: Annotated[list[SlugField], Field(max_length=100)] | SkipJsonSchema[None] = (
        omittable(description="Only categories whose slug is one of these values.")
    )
    position: PositionFilter | SkipJsonSchema[None] = omittable(
        description="Only categories whose position equals this value."
    )
    position__gte: PositionFilter | SkipJsonSchema[None] = omittable(
        description="Only categories whose position is at least this."
    )
    position__lte: PositionFilter | SkipJsonSchema[None] = omittable(
        description="Only categories whose position is at most this."
    )
    position__gt: PositionFilter | SkipJsonSchema[None] = omittable(
        description="Only categories whose position is more than this."
    )
    position__lt: PositionFilter | SkipJsonSchema[None] = omittable(
        description="Only categories whose position is less than this."
    )
