"""The shared schemas: the page of a list, the documented error responses and
the input types, which accept exactly what their JSON schema says.
"""

import json
import re
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal
from http import HTTPStatus
from typing import Annotated, Any

import pytest
from pydantic import Field, TypeAdapter, ValidationError

from app.schemas.common import (
    CURSOR_PATTERN,
    MAX_JSON_DEPTH,
    DecimalText,
    Email,
    ErrorResponse,
    HttpUrlStr,
    IsoDate,
    JsonInteger,
    JsonObject,
    Page,
    PageQuery,
    UtcDatetime,
    ValidationErrorResponse,
    decode_cursor,
    encode_cursor,
    error_responses,
)


@pytest.mark.parametrize(
    ("total", "size", "pages"),
    [(0, 10, 0), (1, 10, 1), (10, 10, 1), (11, 10, 2), (100, 1, 100)],
)
def test_page_counts_the_pages_that_total_items_fill(
    total: int, size: int, pages: int
) -> None:
    # Given a total number of items and a page size
    # When a page is built
    page = Page[int].create([], total=total, page=1, size=size)

    # Then it tells how many pages there are, rounding up
    assert page.pages == pages


def test_a_cursor_gives_back_the_sort_value_and_id_it_was_made_of() -> None:
    # Given the cursor after an item sorted by a date-time
    posted = datetime(2025, 1, 31, 12, 0, 0, 123456, tzinfo=UTC)
    cursor = encode_cursor("-posted_at", posted, 42)

    # When it is read back under the same sort order
    value, last_id = decode_cursor(cursor, "-posted_at")

    # Then it holds the value as JSON and the id, in URL-safe characters
    assert (value, last_id) == (posted.isoformat().replace("+00:00", "Z"), 42)
    assert re.fullmatch(CURSOR_PATTERN, cursor)


@pytest.mark.parametrize(
    "cursor", ["not base64!", "AAAA", "bnVsbA", "eyJzb3J0IjoiaWQifQ", "_-_-"]
)
def test_a_cursor_the_list_did_not_make_is_refused(cursor: str) -> None:
    # Given a cursor that is no base64 of the cursor's JSON object
    # When it is read
    # Then it is refused
    with pytest.raises(ValueError, match="not a cursor"):
        decode_cursor(cursor, "id")


def test_a_cursor_made_for_another_sort_order_is_refused() -> None:
    # Given a cursor made for one sort order
    cursor = encode_cursor("created_at", "2025-01-31T12:00:00Z", 1)

    # When it is read under the opposite order
    # Then it is refused
    with pytest.raises(ValueError, match="another sort order"):
        decode_cursor(cursor, "-created_at")


def test_page_keeps_its_items_and_position() -> None:
    # Given the items of the second page of five items, two per page
    # When the page is built
    page = Page[str].create(["c", "d"], total=5, page=2, size=2)

    # Then it serialises to the documented shape
    assert page.model_dump() == {
        "items": ["c", "d"],
        "total": 5,
        "page": 2,
        "size": 2,
        "pages": 3,
    }


def test_page_refuses_a_size_below_one() -> None:
    # Given a page size of zero
    # When a page is built
    # Then it is refused
    with pytest.raises(ValueError, match="at least 1"):
        Page[int].create([], total=3, page=1, size=0)


def test_error_responses_document_the_one_error_format() -> None:
    # Given the status codes a route can answer with
    # When its error responses are documented
    responses = error_responses(404, 409, 422)

    # Then each is described, validation errors by their own schema
    assert responses == {
        404: {"model": ErrorResponse, "description": "Not Found"},
        409: {"model": ErrorResponse, "description": "Conflict"},
        422: {
            "model": ValidationErrorResponse,
            "description": HTTPStatus.UNPROCESSABLE_ENTITY.phrase,
        },
    }


def test_page_query_defaults_to_the_first_page_of_fifty() -> None:
    # Given no paging parameters / When the query is parsed
    query = PageQuery()

    # Then the first page of 50 items is asked for
    assert (query.page, query.size) == (1, 50)


@pytest.mark.parametrize(("page", "size"), [(0, 10), (1, 0), (1, 101)])
def test_page_query_refuses_paging_out_of_bounds(page: int, size: int) -> None:
    with pytest.raises(ValidationError):
        PageQuery(page=page, size=size)


def test_date_times_are_converted_to_utc() -> None:
    # Given a date-time one hour ahead of UTC / When it is validated
    value = TypeAdapter(UtcDatetime).validate_python("2030-06-01T01:00:00+01:00")

    # Then it is the same instant, in UTC
    assert value == datetime(2030, 6, 1, tzinfo=UTC)
    assert value.utcoffset() == timedelta(0)


@pytest.mark.parametrize(
    "text", ["0001-01-01T00:00:00+01:00", "9999-12-31T23:59:59-01:00"]
)
def test_date_times_outside_utc_range_are_refused(text: str) -> None:
    # Given a valid date-time that lies outside year 1 to 9999 in UTC
    # When it is validated / Then it is refused, not left to fail in the database
    with pytest.raises(ValidationError, match="out of range once converted to UTC"):
        TypeAdapter(UtcDatetime).validate_python(text)


def refused(annotation: Any, value: object) -> str | None:
    """The error type of ``value`` given as JSON, or None if it is accepted."""
    try:
        TypeAdapter(annotation).validate_python(value)
    except ValidationError as exc:
        return str(exc.errors()[0]["type"])
    return None


@pytest.mark.parametrize("value", [0, 1.5, "0", "1700000000", "2025-01-31T00:00:00"])
def test_a_date_is_written_yyyy_mm_dd_and_never_read_from_a_number(
    value: object,
) -> None:
    assert refused(IsoDate, value) == "date_parsing"
    assert TypeAdapter(IsoDate).validate_python("2025-01-31") == date(2025, 1, 31)


@pytest.mark.parametrize("value", [0, 0.5, "0.5", "2025-01-31 12:00:00Z"])
def test_a_date_time_is_written_as_rfc_3339_says(value: object) -> None:
    assert refused(UtcDatetime, value) == "datetime_parsing"
    assert refused(UtcDatetime, "2025-01-31T12:00:00") == "timezone_aware"


Count = Annotated[int, Field(ge=0, le=9), JsonInteger]


def test_an_integer_refuses_text_and_booleans_and_keeps_its_bounds() -> None:
    assert refused(Count, "3") == "int_type"
    assert refused(Count, True) == "int_type"
    assert refused(Count, 10) == "less_than_equal"
    assert TypeAdapter(Count).validate_python(3.0) == 3
    assert TypeAdapter(Count).json_schema()["maximum"] == 9


PATTERN = r"^(?:0|[1-9])(?:\.[0-9]{1,2})?$"
Price = Annotated[
    Decimal, Field(max_digits=3, decimal_places=2, ge=0), DecimalText(PATTERN)
]


@pytest.mark.parametrize("value", [1.5, 1, "1e2", "+1", "01", "-0", " 1", "1."])
def test_a_decimal_is_a_plain_string_never_a_json_number(value: object) -> None:
    assert refused(Price, value) == "decimal_parsing"


def test_a_decimal_is_documented_by_the_pattern_of_what_it_accepts() -> None:
    # Given the strings the pattern allows and some it does not
    spellings = ["0", "9.99", "1.5", "10", "-1", "0.001", "1.50"]

    # Then the field accepts exactly the ones the pattern matches
    for text in spellings:
        matches = re.fullmatch(PATTERN, text) is not None
        assert (refused(Price, text) is None) == matches, text
    assert TypeAdapter(Price).json_schema() == {"type": "string", "pattern": PATTERN}


def test_an_email_address_may_use_a_reserved_domain() -> None:
    assert TypeAdapter(Email).validate_python("ada@Example.TEST") == "ada@example.test"
    assert refused(Email, "not-an-email") == "value_error"


def test_a_url_is_kept_as_written_so_it_fits_its_length() -> None:
    # Given the longest URL its field takes, which normalising would lengthen
    site = "https://" + "a" * 2071 + ".com"
    field = Annotated[HttpUrlStr, Field(max_length=2083)]

    # Then it is accepted as written; a scheme other than http(s) is not
    assert TypeAdapter(field).validate_python(site) == site
    assert refused(field, "ftp://example.com/file") == "url_scheme"


def nested(depth: int) -> dict[str, Any]:
    """A JSON object ``depth`` levels deep, objects and lists in turn."""
    value: Any = 1
    for level in range(depth - 1):
        value = [value] if level % 2 else {"a": value}
    return {"a": value}


def test_a_json_object_nests_at_most_max_json_depth_levels() -> None:
    # Given objects as deep as allowed, one level deeper, and far deeper (one
    # that could be read but not written back as JSON, breaking every read)
    adapter = TypeAdapter(JsonObject)

    # Then the first is kept as it is, and the others are refused
    assert adapter.validate_python(nested(MAX_JSON_DEPTH)) == nested(MAX_JSON_DEPTH)
    assert refused(JsonObject, nested(MAX_JSON_DEPTH + 1)) == "json_too_deep"
    assert refused(JsonObject, nested(600)) == "json_too_deep"
    assert adapter.validate_json('{"tags": ["a", {"b": null}]}') == {
        "tags": ["a", {"b": None}]
    }


def test_a_json_objects_schema_is_any_object_as_is_its_validation() -> None:
    # Given the JSON schema clients read for a JSON object
    schema = TypeAdapter(JsonObject).json_schema()

    # Then it is any object, which every client generator reads, and the
    # validator takes objects only
    assert schema == {"type": "object", "additionalProperties": True}
    assert refused(JsonObject, ["a"]) == "dict_type"
    assert refused(JsonObject, "{}") == "dict_type"


@pytest.mark.parametrize("number", ["NaN", "Infinity", "-Infinity"])
def test_a_json_object_holds_only_finite_numbers(number: str) -> None:
    # Given a non-finite number, which Python's JSON reader takes (PostgreSQL
    # refuses it in JSON), deep in an object / Then the object is refused
    adapter = TypeAdapter(JsonObject)
    with pytest.raises(ValidationError) as caught:
        adapter.validate_python(json.loads(f'{{"a": [1, {{"b": {number}}}]}}'))
    assert caught.value.errors()[0]["type"] == "json_not_finite"
    assert adapter.validate_python({"a": [1.5, -2e300]}) == {"a": [1.5, -2e300]}


@pytest.mark.parametrize("document", ['{"a": ["\\ud800"]}', '{"\\udfff": 1}'])
def test_a_json_object_holds_only_text_a_database_stores(document: str) -> None:
    # Given half of a surrogate pair (no character at all) in a string or a
    # key, as Python's JSON reader takes it / Then the object is refused
    with pytest.raises(ValidationError) as caught:
        TypeAdapter(JsonObject).validate_python(json.loads(document))
    assert caught.value.errors()[0]["type"] == "json_string"


def test_a_json_object_keeps_nul_and_any_character() -> None:
    # Given U+0000 in strings and keys (a JSON column stores it escaped) and
    # characters beyond ASCII / Then the object is kept as it is
    kept = {"a\x00": ["x\x00y", {"naïve": "😀"}]}
    assert TypeAdapter(JsonObject).validate_python(kept) == kept
