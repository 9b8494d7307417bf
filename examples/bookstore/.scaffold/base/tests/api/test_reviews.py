"""Tests of the ``/api/v1/reviews`` endpoints, from the client's side."""

from datetime import datetime
from typing import Any

import pytest
from httpx import AsyncClient
from sqlalchemy import event, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession

from app.models.review import Review
from app.models.user import User
from tests.api.test_books import create_book

URL = "/api/v1/reviews"
MISSING = object()
MISSING_ID = "00000000-0000-0000-0000-000000000000"
RATING_SAMPLES = (1, 2, 3, 4, 5, 1, 2, 3, 4, 5)
READ_ENDPOINTS = [("GET", ""), ("GET", "/{id}")]
WRITE_ENDPOINTS = [
    ("POST", ""),
    ("PUT", "/{id}"),
    ("PATCH", "/{id}"),
    ("DELETE", "/{id}"),
]
"""The routes, as (method, path below URL), by the rule that guards them."""
CHANGE_ENDPOINTS = [("PUT", "/{id}"), ("PATCH", "/{id}"), ("DELETE", "/{id}")]


@pytest.fixture
def client(admin_client: AsyncClient) -> AsyncClient:
    """The tests of this module act as an administrator, who may do everything."""
    return admin_client


def valid_payload(n: int = 0, /, **changes: Any) -> dict[str, Any]:
    """A valid request body for a new review.

    Args:
        n: Varies every value that must be unique or ordered; bodies built with
            different ``n`` (0 to 9) do not collide.
        **changes: Fields to set to other values, or to remove with ``MISSING``.

    Returns:
        The body, as JSON-ready data.
    """
    payload: dict[str, Any] = {
        "reviewer": f"Reviewer {n}",
        "rating": RATING_SAMPLES[n],
        "body": f"Body {n}",
        "posted_at": f"2025-01-{n + 1:02d}T12:00:00Z",
    }
    payload.update(changes)
    return {key: value for key, value in payload.items() if value is not MISSING}


async def create_review(
    client: AsyncClient, n: int = 0, /, **changes: Any
) -> dict[str, Any]:
    """Create a review through the API and return the response body."""
    response = await client.post(
        URL, json=await with_references(client, n, valid_payload(n, **changes))
    )
    assert response.status_code == 201, response.text
    body: dict[str, Any] = response.json()
    return body


async def with_references(
    client: AsyncClient, n: int, payload: dict[str, Any]
) -> dict[str, Any]:
    """Complete ``payload`` with the rows it must refer to, created as needed."""
    if "book_id" not in payload:
        payload["book_id"] = (await create_book(client, n))["id"]
    return payload


async def shared_references(admin_client: AsyncClient, n: int = 0) -> dict[str, Any]:
    """The rows a review must refer to that only an administrator may create."""
    return {
        "book_id": (await create_book(admin_client, n))["id"],
    }


def assert_matches(body: dict[str, Any], payload: dict[str, Any]) -> None:
    """Assert that every field of ``payload`` came back unchanged in ``body``."""
    assert body["reviewer"] == payload["reviewer"]
    assert body["rating"] == payload["rating"]
    assert body["body"] == payload["body"]
    assert datetime.fromisoformat(body["posted_at"]) == datetime.fromisoformat(
        payload["posted_at"]
    )


async def test_create_returns_the_new_review(client: AsyncClient) -> None:
    # Given a valid body
    payload = await with_references(client, 0, valid_payload())

    # When it is posted
    response = await client.post(URL, json=payload)

    # Then the review is created and returned with its id and timestamps
    assert response.status_code == 201, response.text
    body = response.json()
    assert_matches(body, payload)
    assert body["id"]
    assert body["created_at"]
    assert body["updated_at"]


async def test_get_returns_the_review(client: AsyncClient) -> None:
    # Given a review
    created = await create_review(client)

    # When it is fetched by id
    response = await client.get(f"{URL}/{created['id']}")

    # Then it is returned as created
    assert response.status_code == 200
    assert response.json() == created


async def test_get_unknown_id_answers_404(client: AsyncClient) -> None:
    # Given an id no review has / When it is fetched
    response = await client.get(f"{URL}/{MISSING_ID}")

    # Then 404 in the one error format
    assert response.status_code == 404
    assert response.json()["error_code"] == "NOT_FOUND"


async def test_list_pages_through_reviews(client: AsyncClient) -> None:
    # Given three reviews
    for n in range(3):
        await create_review(client, n)

    # When the list is read two at a time, the second page after the first's cursor
    first = (await client.get(URL, params={"size": 2})).json()
    second = (
        await client.get(URL, params={"size": 2, "cursor": first["next_cursor"]})
    ).json()

    # Then the pages hold every review exactly once, and the last has no cursor
    assert (len(first["items"]), first["size"]) == (2, 2)
    assert first["next_cursor"] is not None
    assert (len(second["items"]), second["next_cursor"]) == (1, None)
    ids = {item["id"] for item in first["items"] + second["items"]}
    assert len(ids) == 3


async def walk(
    client: AsyncClient, params: dict[str, Any], size: int = 2
) -> list[dict[str, Any]]:
    """Read every page of the list with ``params``, ``size`` reviews a page."""
    items: list[dict[str, Any]] = []
    cursor = None
    for _ in range(100):
        page_params = (
            {**params, "size": size}
            if cursor is None
            else {**params, "size": size, "cursor": cursor}
        )
        response = await client.get(URL, params=page_params)
        assert response.status_code == 200, response.text
        body = response.json()
        items += body["items"]
        cursor = body["next_cursor"]
        if cursor is None:
            return items
    raise AssertionError("the cursor never reached the last page")


@pytest.mark.parametrize(
    ("sort", "ordered", "ties"),
    [
        ("reviewer", True, True),
        ("-reviewer", True, True),
        ("rating", True, True),
        ("-rating", True, True),
        ("posted_at", True, True),
        ("-posted_at", True, True),
        ("created_at", True, False),
        ("-created_at", True, False),
        ("updated_at", True, False),
        ("-updated_at", True, False),
    ],
)
async def test_cursor_pages_walk_every_review_once_in_order(
    client: AsyncClient, sort: str, ordered: bool, ties: bool
) -> None:
    # Given five reviews
    created = [await create_review(client, n) for n in range(5)]
    if ties:  # three alike, so the id breaks ties across pages
        key = sort.removeprefix("-")
        for item in created[1:3]:
            response = await client.patch(
                f"{URL}/{item['id']}", json={key: created[0][key]}
            )
            assert response.status_code == 200, response.text
    everything = (await client.get(URL, params={"sort": sort})).json()["items"]

    # When every page is read, two at a time, after each page's cursor
    walked = await walk(client, {"sort": sort})

    # Then the pages hold each review once, in the order of one whole read
    assert [item["id"] for item in walked] == [item["id"] for item in everything]
    assert len({item["id"] for item in walked}) == 5
    if ordered:  # values the database and Python order alike
        key = sort.removeprefix("-")
        values = [item[key] for item in walked]
        assert values == sorted(values, key=_order_key, reverse=sort.startswith("-"))


def _order_key(value: Any) -> Any:
    """A sort key for JSON values: decimals (sent as text) as numbers, date-times as
    instants (their text drops a zero fraction of a second), the rest as is."""
    if isinstance(value, str):
        for parse in (float, datetime.fromisoformat):
            try:
                return parse(value)
            except ValueError:
                pass
    return value


async def test_cursor_pages_stay_stable_when_rows_are_inserted(
    client: AsyncClient,
) -> None:
    # Given four reviews and the first page of two, newest first
    created = [await create_review(client, n) for n in range(4)]
    first = (await client.get(URL, params={"size": 2})).json()

    # When two newer reviews, which sort first, are created before the second page is
    # read
    for n in range(4, 6):
        await create_review(client, n)
    second = (
        await client.get(URL, params={"size": 2, "cursor": first["next_cursor"]})
    ).json()

    # Then the second page continues where the first ended: no repeat, no gap
    listed = [item["id"] for item in first["items"] + second["items"]]
    assert listed == [item["id"] for item in reversed(created)]
    assert second["next_cursor"] is None


@pytest.mark.parametrize(
    "cursor",
    [
        "not-a-cursor",
        "e30",
        "eyJzb3J0IjoiLWNyZWF0ZWRfYXQiLCJ2YWx1ZSI6InNvb24iLCJpZCI6MX0",
        "!",
    ],
)
async def test_list_refuses_a_cursor_it_did_not_make(
    client: AsyncClient, cursor: str
) -> None:
    # Given a malformed or forged cursor / When the list is read after it
    response = await client.get(URL, params={"cursor": cursor})

    # Then 422, naming the query
    assert response.status_code == 422, response.text
    assert response.json()["error_code"] == "VALIDATION_ERROR"


async def test_list_refuses_a_cursor_made_for_another_sort(client: AsyncClient) -> None:
    # Given the cursor of a page sorted newest first
    for n in range(2):
        await create_review(client, n)
    cursor = (await client.get(URL, params={"size": 1})).json()["next_cursor"]
    assert cursor is not None

    # When the list is read after it, sorted oldest first
    response = await client.get(
        URL, params={"size": 1, "sort": "created_at", "cursor": cursor}
    )

    # Then 422: a cursor holds a position in one order only
    assert response.status_code == 422, response.text


async def test_list_shows_the_newest_first_even_within_one_second(
    client: AsyncClient,
) -> None:
    # Given three reviews created one after another, within a second
    created = [await create_review(client, n) for n in range(3)]

    # When the list is read without a sort order
    response = await client.get(URL)

    # Then the newest comes first: timestamps are finer than a second
    assert response.status_code == 200, response.text
    listed = [item["id"] for item in response.json()["items"]]
    assert listed == [item["id"] for item in reversed(created)]


@pytest.mark.parametrize("params", [{"size": 0}, {"size": 101}])
async def test_list_refuses_bad_paging(
    client: AsyncClient, params: dict[str, int]
) -> None:
    # Given paging outside its bounds / When the list is read
    response = await client.get(URL, params=params)

    # Then 422
    assert response.status_code == 422


async def test_list_sorts_both_ways(client: AsyncClient) -> None:
    # Given reviews created out of reviewer order
    for n in (1, 0, 2):
        await create_review(client, n)

    # When they are listed by reviewer, ascending then descending
    ascending = (await client.get(URL, params={"sort": "reviewer"})).json()
    descending = (await client.get(URL, params={"sort": "-reviewer"})).json()

    # Then the order follows the field
    expected = [valid_payload(n)["reviewer"] for n in range(3)]
    assert [item["reviewer"] for item in ascending["items"]] == expected
    assert [item["reviewer"] for item in descending["items"]] == expected[::-1]


@pytest.mark.parametrize(
    "sort",
    [
        "reviewer",
        "-reviewer",
        "rating",
        "-rating",
        "posted_at",
        "-posted_at",
        "created_at",
        "-created_at",
        "updated_at",
        "-updated_at",
    ],
)
async def test_list_sorts_by_every_allowed_value(
    client: AsyncClient, sort: str
) -> None:
    # Given a review
    created = await create_review(client)

    # When the list is sorted by an allowed value
    response = await client.get(URL, params={"sort": sort})

    # Then it is listed
    assert response.status_code == 200, response.text
    assert [item["id"] for item in response.json()["items"]] == [created["id"]]


async def test_list_refuses_an_unknown_sort_field(client: AsyncClient) -> None:
    # Given a sort field that is not on the allow-list / When the list is read
    response = await client.get(URL, params={"sort": "body"})

    # Then 422, before any query runs
    assert response.status_code == 422
    assert response.json()["error_code"] == "VALIDATION_ERROR"


async def test_list_refuses_an_unknown_filter(client: AsyncClient) -> None:
    # Given a filter on a field that cannot be filtered / When the list is read
    response = await client.get(URL, params={"no_such_field": "x"})

    # Then 422
    assert response.status_code == 422
    assert response.json()["errors"][0]["loc"] == ["query", "no_such_field"]


@pytest.mark.parametrize("field", ["rating", "posted_at"])
async def test_list_filters_by_a_range_of_each_ordered_field(
    client: AsyncClient, field: str
) -> None:
    # Given two reviews, the second with the greater value
    low = await create_review(client, 0)
    high = await create_review(client, 1)
    cases = [
        ("gte", high, {high["id"]}),
        ("gte", low, {low["id"], high["id"]}),
        ("gt", low, {high["id"]}),
        ("gt", high, set()),
        ("lte", low, {low["id"]}),
        ("lte", high, {low["id"], high["id"]}),
        ("lt", high, {low["id"]}),
        ("lt", low, set()),
    ]

    for operator, bound, expected in cases:
        # When the list is filtered by one bound
        response = await client.get(URL, params={f"{field}__{operator}": bound[field]})

        # Then exactly the reviews within it are listed
        assert response.status_code == 200, response.text
        found = {item["id"] for item in response.json()["items"]}
        assert found == expected, (operator, bound[field])


@pytest.mark.parametrize("field", ["body"])
async def test_list_filters_by_whether_an_optional_field_is_set(
    client: AsyncClient, field: str
) -> None:
    # Given a review with a value in the field and one without
    with_value = await create_review(client, 0)
    without = await create_review(client, 1, **{field: None})
    assert with_value[field] is not None

    # When the list is filtered by "is null", true then false
    empty = await client.get(URL, params={f"{field}__isnull": "true"})
    filled = await client.get(URL, params={f"{field}__isnull": "false"})

    # Then each lists only the matching review
    assert empty.status_code == 200, empty.text
    assert [item["id"] for item in empty.json()["items"]] == [without["id"]]
    assert [item["id"] for item in filled.json()["items"]] == [with_value["id"]]


async def test_list_searches_case_insensitively(client: AsyncClient) -> None:
    # Given two reviews
    wanted = await create_review(client, 0)
    await create_review(client, 1)

    # When the list is searched for the first one's reviewer in upper case (its last 100
    # characters at most: q's limit)
    response = await client.get(URL, params={"q": wanted["reviewer"][-100:].upper()})

    # Then only that review is found
    body = response.json()
    assert response.status_code == 200, body
    assert [item["id"] for item in body["items"]] == [wanted["id"]]


async def test_list_search_treats_a_percent_sign_literally(client: AsyncClient) -> None:
    # Given two reviews, neither holding a percent sign
    await create_review(client, 0)
    await create_review(client, 1)

    # When the list is searched for "%", the SQL LIKE wildcard
    response = await client.get(URL, params={"q": "%"})

    # Then it matches only itself, so nothing is found
    body = response.json()
    assert response.status_code == 200, body
    assert body["items"] == []


async def test_replace_sets_every_field(client: AsyncClient) -> None:
    # Given a review
    created = await create_review(client, 0)
    payload = await with_references(client, 1, valid_payload(1))

    # When it is replaced by a new body
    response = await client.put(f"{URL}/{created['id']}", json=payload)

    # Then every field has the new value and the id is kept
    assert response.status_code == 200, response.text
    assert_matches(response.json(), payload)
    assert response.json()["id"] == created["id"]


async def test_replace_unknown_id_answers_404(client: AsyncClient) -> None:
    response = await client.put(
        f"{URL}/{MISSING_ID}", json=await with_references(client, 0, valid_payload())
    )

    assert response.status_code == 404


async def test_update_changes_only_the_fields_sent(client: AsyncClient) -> None:
    # Given a review
    created = await create_review(client, 0)
    change = {"reviewer": valid_payload(1)["reviewer"]}

    # When one field is patched
    response = await client.patch(f"{URL}/{created['id']}", json=change)

    # Then that field changed and every other one is as it was
    assert response.status_code == 200, response.text
    assert_matches(response.json(), {**valid_payload(0), **change})


@pytest.mark.parametrize("field", ["reviewer", "rating", "posted_at", "book_id"])
async def test_update_refuses_null_for_a_required_field(
    client: AsyncClient, field: str
) -> None:
    # Given a review
    created = await create_review(client)

    # When a field it cannot lack is set to null
    response = await client.patch(f"{URL}/{created['id']}", json={field: None})

    # Then 422 names the field
    assert response.status_code == 422
    assert response.json()["errors"][0]["loc"] == ["body", field]


@pytest.mark.parametrize("field", ["reviewer", "rating", "posted_at", "book_id"])
async def test_openapi_says_a_required_field_may_be_left_out_but_not_null(
    client: AsyncClient, field: str
) -> None:
    # Given the OpenAPI document / When the PATCH body's schema of the field is read
    document = (await client.get("/openapi.json")).json()
    schema = document["components"]["schemas"]["ReviewUpdate"]

    # Then it is optional, and neither its type nor its default is null
    assert field not in schema.get("required", [])
    field_schema = schema["properties"][field]
    assert {"type": "null"} not in field_schema.get("anyOf", [])
    assert field_schema.get("type") != "null"
    assert "default" not in field_schema


async def test_openapi_links_a_created_review_to_what_its_ids_lead_to(
    client: AsyncClient,
) -> None:
    # Given the OpenAPI document
    document = (await client.get("/openapi.json")).json()
    operations = {
        operation["operationId"]: operation
        for path in document["paths"].values()
        for operation in path.values()
    }

    # When the links of a create's answer are read
    links = document["paths"][URL]["post"]["responses"]["201"]["links"]

    # Then the new id leads to its get, and every link
    # names an operation that takes the parameter it fills in (where the name
    # says, there)
    assert links["GetReview"] == {
        "operationId": "reviews-get",
        "parameters": {"review_id": "$response.body#/id"},
    }
    assert len(links) == 6
    for link in links.values():
        parameters = operations[link["operationId"]]["parameters"]
        for name in link["parameters"]:
            location, _, bare = name.rpartition(".")
            assert any(
                p["name"] == bare and location in ("", p["in"]) for p in parameters
            )


@pytest.mark.parametrize(
    ("method", "path", "allowed"),
    [("PUT", "", "GET, POST"), ("POST", "/{id}", "DELETE, GET, PATCH, PUT")],
)
async def test_a_method_the_path_lacks_answers_405_naming_those_it_has(
    client: AsyncClient, method: str, path: str, allowed: str
) -> None:
    # Given a path / When it is sent a method none of its routes answers
    response = await client.request(method, URL + path.format(id=MISSING_ID))

    # Then 405 names every method the path answers
    assert response.status_code == 405
    assert response.headers["Allow"] == allowed


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("reviewer", ""),
        ("rating", 0),
        ("rating", 6),
        ("body", "x" * 5001),
    ],
)
async def test_the_database_refuses_a_value_out_of_bounds(
    client: AsyncClient, session: AsyncSession, field: str, value: object
) -> None:
    # Given a review, stored through the API
    await create_review(client)

    # When a field is set past the API to a value its bounds refuse
    # Then the database's CHECK constraint refuses it too
    with pytest.raises(IntegrityError):
        async with session.begin_nested():
            await session.execute(update(Review).values({field: value}))


async def test_update_unknown_id_answers_404(client: AsyncClient) -> None:
    response = await client.patch(f"{URL}/{MISSING_ID}", json={})

    assert response.status_code == 404


async def test_delete_removes_the_review(client: AsyncClient) -> None:
    # Given a review
    created = await create_review(client)

    # When it is deleted
    response = await client.delete(f"{URL}/{created['id']}")

    # Then it is gone
    assert response.status_code == 204
    assert (await client.get(f"{URL}/{created['id']}")).status_code == 404


async def test_delete_unknown_id_answers_404(client: AsyncClient) -> None:
    response = await client.delete(f"{URL}/{MISSING_ID}")

    assert response.status_code == 404


@pytest.mark.parametrize(
    ("field", "value", "error_type"),
    [
        ("reviewer", MISSING, "missing"),
        ("reviewer", "x" * 101, "string_too_long"),
        ("reviewer", "", "string_too_short"),
        ("reviewer", "\x00", "string_pattern_mismatch"),
        ("rating", MISSING, "missing"),
        ("rating", "1", "int_type"),
        ("rating", 0, "greater_than_equal"),
        ("rating", 6, "less_than_equal"),
        ("body", "x" * 5001, "string_too_long"),
        ("body", "\x00", "string_pattern_mismatch"),
        ("posted_at", MISSING, "missing"),
        ("posted_at", "2025-01-31T12:00:00", "timezone_aware"),
        ("posted_at", 0, "datetime_parsing"),
    ],
)
async def test_create_refuses_invalid_values(
    client: AsyncClient, field: str, value: Any, error_type: str
) -> None:
    # Given a body with one invalid value
    payload = await with_references(client, 0, valid_payload(**{field: value}))

    # When it is posted
    response = await client.post(URL, json=payload)

    # Then 422 names the field and the broken constraint, without echoing input
    assert response.status_code == 422, response.text
    errors = response.json()["errors"]
    assert {"loc": ["body", field], "type": error_type} in [
        {"loc": error["loc"], "type": error["type"]} for error in errors
    ]


async def test_create_stores_the_references(
    client: AsyncClient, admin_client: AsyncClient
) -> None:
    # Given rows to refer to
    book = await create_book(admin_client, 5)

    # When a review referring to them is created
    created = await create_review(client, 0, book_id=book["id"])

    # Then it returns the references, and so does a later read
    assert created["book_id"] == book["id"]
    assert created["book"]["id"] == book["id"]
    assert (await client.get(f"{URL}/{created['id']}")).json() == created


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("book_id", MISSING_ID),
    ],
)
async def test_create_refuses_a_reference_to_a_missing_row(
    client: AsyncClient, field: str, value: Any
) -> None:
    # Given a body that refers to a row that does not exist
    payload = await with_references(client, 0, valid_payload(**{field: value}))

    # When it is posted
    response = await client.post(URL, json=payload)

    # Then 422 names the field, in the one error format, and nothing is stored
    assert response.status_code == 422, response.text
    body = response.json()
    assert body["error_code"] == "VALIDATION_ERROR"
    assert [error["loc"] for error in body["errors"]] == [["body", field]]
    assert (await client.get(URL)).json()["items"] == []


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("book_id", True),
    ],
)
async def test_create_refuses_a_reference_that_is_not_an_id(
    client: AsyncClient, field: str, value: Any
) -> None:
    # Given a body whose reference is a boolean, which no id is
    payload = await with_references(client, 0, valid_payload(**{field: value}))

    # When it is posted
    response = await client.post(URL, json=payload)

    # Then 422 names the field, and nothing is stored
    assert response.status_code == 422, response.text
    assert response.json()["errors"][0]["loc"][:2] == ["body", field]
    assert (await client.get(URL)).json()["items"] == []


async def test_list_filters_by_book_id(
    client: AsyncClient, admin_client: AsyncClient
) -> None:
    # Given a review of one book and another one
    book = await create_book(admin_client, 5)
    wanted = await create_review(client, 0, book_id=book["id"])
    await create_review(client, 1)

    # When the list is filtered by that book
    response = await client.get(URL, params={"book_id": book["id"]})

    # Then only the first one is listed
    assert response.status_code == 200, response.text
    assert [item["id"] for item in response.json()["items"]] == [wanted["id"]]


async def test_lists_the_reviews_of_a_book(
    client: AsyncClient, admin_client: AsyncClient
) -> None:
    # Given a review of one book and another one
    book = await create_book(admin_client, 5)
    wanted = await create_review(client, 0, book_id=book["id"])
    await create_review(client, 1)

    # When the book's reviews are listed
    response = await client.get(f"/api/v1/books/{book['id']}/reviews")

    # Then only the first one is listed; an unknown book answers 404
    assert response.status_code == 200, response.text
    assert [item["id"] for item in response.json()["items"]] == [wanted["id"]]
    missing = await client.get(f"/api/v1/books/{MISSING_ID}/reviews")
    assert missing.status_code == 404
    assert missing.json()["error_code"] == "NOT_FOUND"


async def test_deleting_a_referenced_book_answers_409(
    client: AsyncClient, admin_client: AsyncClient
) -> None:
    # Given a review that refers to a book
    book = await create_book(admin_client, 5)
    review = await create_review(client, 0, book_id=book["id"])

    # When the book is deleted
    response = await admin_client.delete(
        f"/api/v1/books/{book['id']}", headers={"If-Match": "*"}
    )

    # Then 409, and both stay (on_delete: restrict)
    assert response.status_code == 409, response.text
    assert response.json()["error_code"] == "CONFLICT"
    kept = await client.get(f"{URL}/{review['id']}")
    assert kept.json()["book_id"] == book["id"]


async def test_list_issues_the_same_number_of_statements_for_any_page_size(
    client: AsyncClient, engine: AsyncEngine, admin_client: AsyncClient
) -> None:
    # Given three reviews that refer to other rows
    book = await create_book(admin_client, 5)
    for n in range(3):
        await create_review(client, n, book_id=book["id"])
    statements: list[str] = []

    def record(conn: Any, cursor: Any, statement: str, *args: Any) -> None:
        statements.append(statement)

    # When a page of one and a page of three are listed, counting SQL statements
    counts = []
    event.listen(engine.sync_engine, "before_cursor_execute", record)
    try:
        for size in (1, 3):
            statements.clear()
            response = await client.get(URL, params={"size": size})
            assert len(response.json()["items"]) == size
            counts.append(len(statements))
    finally:
        event.remove(engine.sync_engine, "before_cursor_execute", record)

    # Then both take as many statements: relations are loaded eagerly, not per row
    assert counts[0] == counts[1]


@pytest.mark.parametrize(("method", "path"), [*READ_ENDPOINTS, *WRITE_ENDPOINTS])
async def test_endpoints_for_signed_in_users_answer_401_without_a_token(
    anonymous_client: AsyncClient, method: str, path: str
) -> None:
    # Given no access token / When an endpoint that needs one is called
    url = URL + path.format(id=MISSING_ID)
    response = await anonymous_client.request(method, url, json=valid_payload())

    # Then 401 in the one error format
    assert response.status_code == 401
    assert response.json()["error_code"] == "UNAUTHORIZED"


async def test_create_makes_the_caller_the_owner(
    user_client: AsyncClient, user: User, admin_client: AsyncClient
) -> None:
    # Given a signed-in user / When they create a review
    created = await create_review(
        user_client, 0, **await shared_references(admin_client, 0)
    )

    # Then it is theirs
    assert created["owner_id"] == str(user.id)


async def test_another_user_reads_a_review_with_its_owner(
    user_client: AsyncClient, other_user_client: AsyncClient, admin_client: AsyncClient
) -> None:
    # Given a review of a user
    created = await create_review(
        user_client, 0, **await shared_references(admin_client, 0)
    )

    # When another user lists the reviews and gets it
    listed = (await other_user_client.get(URL)).json()
    fetched = await other_user_client.get(f"{URL}/{created['id']}")

    # Then they see it, and whose it is
    assert [item["id"] for item in listed["items"]] == [created["id"]]
    assert fetched.status_code == 200
    assert fetched.json() == created
    assert fetched.json()["owner_id"] == created["owner_id"]


@pytest.mark.parametrize(("method", "path"), CHANGE_ENDPOINTS)
async def test_another_user_may_not_change_a_review(
    user_client: AsyncClient,
    other_user_client: AsyncClient,
    method: str,
    path: str,
    admin_client: AsyncClient,
) -> None:
    # Given a review of a user
    created = await create_review(
        user_client, 0, **await shared_references(admin_client, 0)
    )

    # When another user, who may read it, tries to change or delete it
    url = URL + path.format(id=created["id"])
    body = valid_payload(1, book_id=created["book_id"])
    response = await other_user_client.request(method, url, json=body)

    # Then 403, and the review is unchanged
    assert response.status_code == 403, response.text
    assert response.json()["error_code"] == "FORBIDDEN"
    assert (await user_client.get(f"{URL}/{created['id']}")).json() == created


async def test_an_admin_may_read_change_and_delete_any_review(
    user_client: AsyncClient, admin_client: AsyncClient
) -> None:
    # Given a review of a user
    created = await create_review(
        user_client, 0, **await shared_references(admin_client, 0)
    )

    # When an administrator lists, gets, changes and deletes it
    listed = (await admin_client.get(URL)).json()
    fetched = await admin_client.get(f"{URL}/{created['id']}")
    changed = await admin_client.patch(f"{URL}/{created['id']}", json={})
    deleted = await admin_client.delete(f"{URL}/{created['id']}")

    # Then each succeeds (moderation), the owner stays, and the review is gone
    assert [item["id"] for item in listed["items"]] == [created["id"]]
    assert fetched.json() == created
    assert changed.status_code == 200, changed.text
    assert changed.json()["owner_id"] == created["owner_id"]
    assert deleted.status_code == 204
    assert (await user_client.get(f"{URL}/{created['id']}")).status_code == 404


async def test_the_reviews_of_a_book_need_a_token(
    anonymous_client: AsyncClient,
) -> None:
    # Given the nested list of the book's reviews
    url = f"/api/v1/books/{MISSING_ID}/reviews"

    # When it is called without a token
    response = await anonymous_client.get(url)

    # Then 401, before the book is looked up
    assert response.status_code == 401
