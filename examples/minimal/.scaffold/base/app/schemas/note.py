"""Request and response bodies of the ``/notes`` endpoints."""

from datetime import datetime
from typing import Annotated, Any, Literal
from uuid import UUID

from pydantic import BaseModel, ConfigDict, Field, StrictBool, field_validator
from pydantic.json_schema import SkipJsonSchema

from app.schemas.common import NO_NUL, PageQuery, omittable

TitleField = Annotated[str, Field(min_length=1, max_length=120, pattern=NO_NUL)]
BodyField = Annotated[str, Field(pattern=NO_NUL)]
NoteSort = Literal[
    "title",
    "-title",
    "pinned",
    "-pinned",
    "created_at",
    "-created_at",
    "updated_at",
    "-updated_at",
]

_EXAMPLE: dict[str, Any] = {"title": "Title 0", "body": "Body 0", "pinned": True}


class NoteCreate(BaseModel):
    """The body of ``POST /notes`` and ``PUT /notes/{id}``."""

    model_config = ConfigDict(
        extra="forbid", json_schema_extra={"examples": [_EXAMPLE]}
    )

    title: TitleField
    body: BodyField | None = None
    pinned: StrictBool = False


class NoteUpdate(BaseModel):
    """The body of ``PATCH /notes/{id}``: every field may be left out.

    A field the note cannot lack may be left out, but not set to null.
    """

    model_config = ConfigDict(
        extra="forbid", json_schema_extra={"examples": [_EXAMPLE]}
    )

    title: TitleField | SkipJsonSchema[None] = omittable()
    body: BodyField | None = None
    pinned: StrictBool | SkipJsonSchema[None] = omittable()

    @field_validator("title", "pinned")
    @classmethod
    def _not_null(cls, value: object) -> object:
        """Refuse an explicit ``null`` for a field the note cannot lack."""
        if value is None:
            raise ValueError("may be left out, but not set to null")
        return value


class NoteRead(BaseModel):
    """A note as the API returns it."""

    model_config = ConfigDict(from_attributes=True)

    id: UUID
    title: str
    body: str | None
    pinned: bool
    created_at: datetime
    updated_at: datetime


class NoteQuery(PageQuery):
    """The query parameters of ``GET /notes``: paging, filters, search, order."""

    model_config = ConfigDict(extra="forbid")

    sort: NoteSort | SkipJsonSchema[None] = omittable(
        description="Sort by a field, '-' first for descending; newest first if unset.",
    )
    q: (
        Annotated[str, Field(min_length=1, max_length=100, pattern=NO_NUL)]
        | SkipJsonSchema[None]
    ) = omittable(
        description="Case-insensitive search in title, body.",
    )
    body__isnull: bool | SkipJsonSchema[None] = omittable(
        description="true: only notes without body; false: only with."
    )
    pinned: bool | SkipJsonSchema[None] = omittable(
        description="Only notes whose pinned equals this value."
    )
