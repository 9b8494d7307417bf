"""Schemas shared by every resource: the page of a list, the error bodies, and
the date-time type of inputs.
"""

import base64
import json
from collections.abc import Sequence
from datetime import UTC, datetime
from http import HTTPStatus
from typing import Annotated, Any, Generic, Self, TypeVar

from pydantic import AfterValidator, AwareDatetime, BaseModel, ConfigDict, Field
from pydantic_core import to_jsonable_python

T = TypeVar("T")


def _to_utc(value: datetime) -> datetime:
    """Convert ``value`` to UTC, refusing instants before or after what UTC holds.

    ``0001-01-01T00:00:00+01:00`` is valid input but lies before year 1 in UTC,
    where the database stores it.
    """
    try:
        return value.astimezone(UTC)
    except OverflowError as exc:
        raise ValueError("date-time is out of range once converted to UTC") from exc


UtcDatetime = Annotated[AwareDatetime, AfterValidator(_to_utc)]
"""A date-time with a time zone, converted to UTC as it is stored."""


def _without_default(schema: dict[str, Any]) -> None:
    """Leave the ``null`` default out of a field's JSON schema."""
    schema.pop("default", None)


def omittable() -> Any:
    """Declare a ``PATCH`` field that may be left out, but not set to ``null``.

    Annotate the field ``T | SkipJsonSchema[None]``: it is ``None`` when left
    out, and its JSON schema neither allows ``null`` nor shows it as the
    default; a validator of the model refuses an explicit ``null``.

    Returns:
        The field's default and schema, as :func:`pydantic.Field` returns them.
    """
    return Field(None, json_schema_extra=_without_default)


class Page(BaseModel, Generic[T]):
    """One page of the items of a list endpoint.

    Build it with :meth:`Page.create`, which computes ``pages``.
    """

    items: list[T]
    total: int = Field(ge=0, description="Number of items on all pages.")
    page: int = Field(ge=1, description="Number of this page, counted from 1.")
    size: int = Field(ge=1, description="Largest number of items on a page.")
    pages: int = Field(ge=0, description="Number of pages; 0 when there are no items.")

    @classmethod
    def create(cls, items: Sequence[T], *, total: int, page: int, size: int) -> Self:
        """Build a page and compute how many pages ``total`` items fill.

        Args:
            items: The items on this page.
            total: Number of items on all pages.
            page: Number of this page, counted from 1.
            size: Largest number of items on a page.

        Returns:
            The page.

        Raises:
            ValueError: If ``size`` is smaller than 1.
        """
        if size < 1:
            raise ValueError(f"page size must be at least 1, got {size}")
        pages = (total + size - 1) // size
        return cls(items=list(items), total=total, page=page, size=size, pages=pages)


class PageQuery(BaseModel):
    """The paging query parameters every list endpoint takes."""

    page: int = Field(
        1, ge=1, le=1_000_000, description="Number of the page, counted from 1."
    )
    size: int = Field(
        50, ge=1, le=100, description="Largest number of items on a page."
    )


class CursorPage(BaseModel, Generic[T]):
    """One page of the items of a list endpoint that pages by cursor.

    There is no total: counting every match would scan what keyset paging
    spares the database.
    """

    items: list[T]
    next_cursor: str | None = Field(
        description="Pass as cursor to get the next page; null on the last page."
    )
    size: int = Field(ge=1, description="Largest number of items on a page.")


class CursorQuery(BaseModel):
    """The page size every list endpoint that pages by cursor takes.

    Each list declares its own ``cursor`` parameter: its longest length
    depends on the columns it sorts by.
    """

    size: int = Field(
        50, ge=1, le=100, description="Largest number of items on a page."
    )


CURSOR_PATTERN = "^[A-Za-z0-9_-]+$"
"""What a cursor looks like: URL-safe base64, without padding."""


def encode_cursor(sort: str, value: Any, last_id: Any) -> str:
    """Make the cursor of the page after the item whose sort key is ``value``.

    Args:
        sort: The sort order of the list, as the query gave it.
        value: The last item's value of the column ``sort`` names.
        last_id: The last item's id, which breaks ties.

    Returns:
        URL-safe base64 of JSON, without padding: opaque to clients.
    """
    data = {"sort": sort, "value": value, "id": last_id}
    text = json.dumps(
        to_jsonable_python(data), ensure_ascii=False, separators=(",", ":")
    )
    return base64.urlsafe_b64encode(text.encode()).decode().rstrip("=")


def decode_cursor(cursor: str, sort: str) -> tuple[Any, Any]:
    """Return the sort value and the id a cursor holds, as JSON values.

    Args:
        cursor: A ``next_cursor`` an earlier page returned.
        sort: The sort order of the request, which must be the cursor's.

    Returns:
        The last item's sort value and id, still to be validated.

    Raises:
        ValueError: The cursor is not one the list returned, or was made for
            another sort order.
    """
    try:
        text = base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4))
        data = json.loads(text)
    except ValueError:  # bad base64, bad UTF-8 or bad JSON
        raise ValueError("is not a cursor this list returned") from None
    if not isinstance(data, dict) or set(data) != {"sort", "value", "id"}:
        raise ValueError("is not a cursor this list returned")
    if data["sort"] != sort:
        raise ValueError("was made for another sort order; pass the same sort")
    return data["value"], data["id"]


class ErrorResponse(BaseModel):
    """The body of every error response, from 400 to 503."""

    model_config = ConfigDict(
        json_schema_extra={
            "examples": [
                {
                    "detail": "Book not found",
                    "error_code": "NOT_FOUND",
                    "timestamp": "2025-01-31T12:00:00Z",
                    "path": "/api/v1/books/42",
                    "request_id": "0b9c5a0e6f7d4e3b9a1c2d3e4f5a6b7c",
                }
            ]
        }
    )

    detail: str = Field(description="What went wrong, for people.")
    error_code: str = Field(description="What went wrong, for programs.")
    timestamp: datetime = Field(description="When the error happened (UTC).")
    path: str = Field(description="Path of the request that failed.")
    request_id: str | None = Field(
        description="Identifier of the request, also sent as X-Request-ID."
    )


class ValidationErrorItem(BaseModel):
    """One problem found in the request; the submitted value is never echoed."""

    loc: list[str | int] = Field(description="Where the problem is, e.g. body.title.")
    msg: str = Field(description="What is wrong there.")
    type: str = Field(description="Machine-readable kind of problem.")


class ValidationErrorResponse(ErrorResponse):
    """The body of a 422 response: the error body plus every problem found."""

    model_config = ConfigDict(
        json_schema_extra={
            "examples": [
                {
                    "detail": "The request is invalid",
                    "error_code": "VALIDATION_ERROR",
                    "timestamp": "2025-01-31T12:00:00Z",
                    "path": "/api/v1/books",
                    "request_id": "0b9c5a0e6f7d4e3b9a1c2d3e4f5a6b7c",
                    "errors": [
                        {
                            "loc": ["body", "title"],
                            "msg": "Field required",
                            "type": "missing",
                        }
                    ],
                }
            ]
        }
    )

    errors: list[ValidationErrorItem]


def error_responses(*status_codes: int) -> dict[int | str, dict[str, Any]]:
    """Document error responses of a route in OpenAPI.

    Pass the result as the ``responses`` argument of a route or router, e.g.
    ``@router.get("/{book_id}", responses=error_responses(404, 422))``.

    Args:
        *status_codes: HTTP status codes the route can answer with.

    Returns:
        One OpenAPI response per status code, described by its standard phrase
        and modelled by :class:`ErrorResponse` (:class:`ValidationErrorResponse`
        for 422).
    """
    return {
        code: {
            "model": ValidationErrorResponse if code == 422 else ErrorResponse,
            "description": HTTPStatus(code).phrase,
        }
        for code in status_codes
    }
