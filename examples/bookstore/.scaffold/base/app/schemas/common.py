"""Schemas shared by every resource: the page of a list, the error bodies, and
the types of inputs whose JSON schema says exactly what they accept.
"""

import base64
import json
import math
import re
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime
from decimal import Decimal
from http import HTTPStatus
from typing import Annotated, Any, Generic, Self, TypeVar

from email_validator import EmailNotValidError, validate_email
from pydantic import (
    AfterValidator,
    AnyHttpUrl,
    AwareDatetime,
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    GetCoreSchemaHandler,
    GetJsonSchemaHandler,
    PlainValidator,
    TypeAdapter,
    ValidationError,
)
from pydantic.json_schema import JsonSchemaValue
from pydantic_core import PydanticCustomError, core_schema, to_jsonable_python

T = TypeVar("T")

NO_NUL = r"^[^\x00]*$"
"""The pattern of free text: anything but U+0000, which PostgreSQL cannot store."""

_DATE = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")
_DATETIME = re.compile(
    r"[0-9]{4}-[0-9]{2}-[0-9]{2}[Tt][0-9]{2}:[0-9]{2}:[0-9]{2}(?:\.[0-9]+)?"
    r"(?:[Zz]|[+-][0-9]{2}:[0-9]{2})?"
)
_DECIMAL = re.compile(r"-?(?:0|[1-9][0-9]*)(?:\.[0-9]+)?")
_HTTP_URL: TypeAdapter[AnyHttpUrl] = TypeAdapter(AnyHttpUrl)


def _iso_date(value: object) -> object:
    """Refuse a date not written ``YYYY-MM-DD``: a number, a timestamp."""
    if isinstance(value, date) or (isinstance(value, str) and _DATE.fullmatch(value)):
        return value
    raise PydanticCustomError(
        "date_parsing", "Input should be a date written YYYY-MM-DD, e.g. 2025-01-31"
    )


def _iso_datetime(value: object) -> object:
    """Refuse a date-time not written as RFC 3339 says: a number, a timestamp.

    The offset is checked after: a date-time without one is refused as naive.
    """
    if isinstance(value, datetime) or (
        isinstance(value, str) and _DATETIME.fullmatch(value)
    ):
        return value
    raise PydanticCustomError(
        "datetime_parsing",
        "Input should be a date-time written as RFC 3339 says, "
        "e.g. 2025-01-31T12:00:00Z",
    )


def _json_integer(value: object) -> object:
    """Take a JSON integer (``3`` or ``3.0``); refuse text and booleans."""
    if isinstance(value, float) and value.is_integer():
        return int(value)
    if isinstance(value, int) and not isinstance(value, bool):
        return value
    raise PydanticCustomError("int_type", "Input should be a valid integer")


def _to_utc(value: datetime) -> datetime:
    """Convert ``value`` to UTC, refusing instants before or after what UTC holds.

    ``0001-01-01T00:00:00+01:00`` is valid input but lies before year 1 in UTC,
    where the database stores it.
    """
    try:
        return value.astimezone(UTC)
    except OverflowError as exc:
        raise ValueError("date-time is out of range once converted to UTC") from exc


JsonInteger = BeforeValidator(_json_integer)
"""Metadata of an ``int`` field, after its ``Field``: refuse ``"3"`` and ``true``.

After the ``Field``, so that the JSON schema keeps its ``minimum`` and ``maximum``.
"""

IsoDate = Annotated[date, BeforeValidator(_iso_date)]
"""A date written ``YYYY-MM-DD``; a number is not taken for a timestamp."""

UtcDatetime = Annotated[
    AwareDatetime, BeforeValidator(_iso_datetime), AfterValidator(_to_utc)
]
"""A date-time with a time zone, converted to UTC as it is stored."""


def _email(value: str) -> str:
    """Check the syntax of an email address; return it normalised.

    Reserved domains (``.test``, ``.local``) are syntax too: whether mail
    reaches an address is not checked.
    """
    try:
        checked = validate_email(
            value,
            check_deliverability=False,
            globally_deliverable=False,
            test_environment=True,
        )
    except EmailNotValidError as exc:
        raise PydanticCustomError(
            "value_error",
            "value is not a valid email address: {reason}",
            {"reason": str(exc)},
        ) from None
    return checked.normalized


Email = Annotated[
    str, AfterValidator(_email), Field(json_schema_extra={"format": "email"})
]
"""An email address, normalised (the domain in lower case)."""


def _http_url(value: str) -> str:
    """Check that ``value`` is an http or https URL; keep it as written.

    Kept as written, it fits the length its field allows (a normalised URL can
    be longer: ``https://example.com`` gains a ``/``).
    """
    try:
        _HTTP_URL.validate_python(value)
    except ValidationError as exc:
        error = exc.errors()[0]
        raise PydanticCustomError(error["type"], error["msg"]) from None
    return value


HttpUrlStr = Annotated[
    str, AfterValidator(_http_url), Field(json_schema_extra={"format": "uri"})
]
"""An http or https URL, stored and returned as written."""


MAX_JSON_DEPTH = 32
"""How deeply a JSON field's value may nest."""


def _json_object(value: object) -> dict[str, Any]:
    """Take a JSON object that can be stored and read back; refuse the rest.

    Python's JSON reader takes what the database or the JSON writer would
    refuse, failing the write or every later read of the row: an object
    nested deeper than :data:`MAX_JSON_DEPTH` levels, ``NaN`` and the
    infinities, and strings (keys too) holding half of a UTF-16 surrogate
    pair, which is no character. U+0000 is kept: a JSON column stores it
    escaped, as ``\\u0000``.
    """
    if not isinstance(value, dict):
        raise PydanticCustomError("dict_type", "Input should be a JSON object")
    pending: list[tuple[object, int]] = [(value, 1)]
    while pending:
        item, depth = pending.pop()
        if isinstance(item, str):
            if not item.isascii() and not _encodable(item):
                raise PydanticCustomError(
                    "json_string", "JSON strings must be Unicode text"
                )
            continue
        if isinstance(item, float) and not math.isfinite(item):
            raise PydanticCustomError(
                "json_not_finite",
                "JSON numbers must be finite, not {value}",
                {"value": str(item)},
            )
        if not isinstance(item, dict | list):
            continue
        if depth > MAX_JSON_DEPTH:
            raise PydanticCustomError(
                "json_too_deep",
                "JSON nested deeper than {limit} levels",
                {"limit": MAX_JSON_DEPTH},
            )
        children = [*item, *item.values()] if isinstance(item, dict) else item
        pending.extend((child, depth + 1) for child in children)
    return value


def _encodable(text: str) -> bool:
    """Whether ``text`` is valid Unicode (no lone surrogate)."""
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        return False
    return True


JsonObject = Annotated[
    dict[str, Any],
    PlainValidator(_json_object, json_schema_input_type=dict[str, Any]),
]
"""A JSON object of finite numbers, at most :data:`MAX_JSON_DEPTH` levels deep.

Its OpenAPI schema is any object: JSON Schema cannot bound the depth.
"""


@dataclass(frozen=True)
class DecimalText:
    """Take a decimal written as a JSON string, such as ``"19.90"``.

    A JSON number is refused: a float cannot hold ``0.10`` exactly. The field's
    own constraints then check digits, places and range; ``pattern`` spells out
    all of them for the JSON schema, so clients know exactly what passes. A
    string those constraints let through is held to ``pattern`` too: Pydantic
    drops trailing zeros before it counts places (``"1.500"`` would pass as
    ``1.5`` where two places are allowed).

    Attributes:
        pattern: The strings the field accepts, as a regular expression.
    """

    pattern: str

    def __get_pydantic_core_schema__(
        self, source: Any, handler: GetCoreSchemaHandler
    ) -> core_schema.CoreSchema:
        """Check the spelling, then the decimal's own validation, then ``pattern``."""
        spelled = re.compile(self.pattern)

        def validate(
            value: object, decimal: core_schema.ValidatorFunctionWrapHandler
        ) -> object:
            checked = decimal(_decimal_text(value))
            if isinstance(value, str) and not spelled.fullmatch(value):
                raise PydanticCustomError(
                    "string_pattern_mismatch",
                    "String should match pattern '{pattern}'",
                    {"pattern": self.pattern},
                )
            return checked

        return core_schema.no_info_wrap_validator_function(validate, handler(source))

    def __get_pydantic_json_schema__(
        self, schema: core_schema.CoreSchema, handler: GetJsonSchemaHandler
    ) -> JsonSchemaValue:
        """Describe the field as the strings it accepts."""
        return {"type": "string", "pattern": self.pattern}


def _decimal_text(value: object) -> object:
    """Refuse a decimal that is not a plain decimal string (nor a ``Decimal``)."""
    if isinstance(value, Decimal):
        return value
    if (
        isinstance(value, str)
        and _DECIMAL.fullmatch(value)
        and not (value.startswith("-") and Decimal(value) == 0)
    ):
        return value
    raise PydanticCustomError(
        "decimal_parsing",
        'Input should be a decimal written as a string, e.g. "19.90"',
    )


def _without_default(schema: dict[str, Any]) -> None:
    """Leave the ``null`` default out of a field's JSON schema."""
    schema.pop("default", None)


def omittable(**constraints: Any) -> Any:
    """Declare a field that may be left out, but not set to ``null``.

    Annotate the field ``T | SkipJsonSchema[None]``: it is ``None`` when left
    out, and its JSON schema neither allows ``null`` nor shows it as the
    default. A ``PATCH`` body's validator refuses an explicit ``null``; a
    query parameter cannot be ``null`` at all.

    Args:
        constraints: What else :func:`pydantic.Field` takes for the field
            (bounds, a pattern, its description).

    Returns:
        The field's default and schema, as :func:`pydantic.Field` returns them.
    """
    return Field(None, json_schema_extra=_without_default, **constraints)


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
