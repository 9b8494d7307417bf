"""Tests of the ``/api/v1/books`` endpoints, from the client's side."""

from datetime import UTC, datetime
from decimal import Decimal
from typing import Any
from uuid import UUID

import pytest
from httpx import AsyncClient
from sqlalchemy import event, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession
from sqlalchemy.orm.exc import StaleDataError

from app.models.book import Book
from app.repositories.book import BookRepository
from tests.api.test_authors import create_author
from tests.api.test_categories import create_category
from tests.api.test_tags import create_tag

URL = "/api/v1/books"
MISSING = object()
MISSING_ID = "00000000-0000-0000-0000-000000000000"
ISBN_SAMPLES = (
    "0343746830652",
    "1041350722978",
    "2739854514205",
    "3437468306521",
    "4135072297847",
    "5823676089173",
    "6521280961599",
    "7229784753816",
    "8917398545142",
    "9615992437468",
)
PRICE_SAMPLES = (
    "0.00",
    "1.00",
    "2.00",
    "3.00",
    "4.00",
    "5.00",
    "6.00",
    "7.00",
    "8.00",
    "9.00",
)
READ_ENDPOINTS = [("GET", ""), ("GET", "/{id}")]
WRITE_ENDPOINTS = [
    ("POST", ""),
    ("PUT", "/{id}"),
    ("PATCH", "/{id}"),
    ("DELETE", "/{id}"),
]
"""The routes, as (method, path below URL), by the rule that guards them."""


@pytest.fixture
def client(admin_client: AsyncClient) -> AsyncClient:
    """The tests of this module act as an administrator, who may do everything."""
    return admin_client


def valid_payload(n: int = 0, /, **changes: Any) -> dict[str, Any]:
    """A valid request body for a new book.

    Args:
        n: Varies every value that must be unique or ordered; bodies built with
            different ``n`` (0 to 9) do not collide.
        **changes: Fields to set to other values, or to remove with ``MISSING``.

    Returns:
        The body, as JSON-ready data.
    """
    payload: dict[str, Any] = {
        "title": f"Title {n}",
        "isbn": ISBN_SAMPLES[n],
        "price": PRICE_SAMPLES[n],
        "status": ["draft", "published", "out-of-print"][n % 3],
        "published_on": f"2025-01-{n + 1:02d}",
        "summary": f"Summary {n}",
    }
    payload.update(changes)
    return {key: value for key, value in payload.items() if value is not MISSING}


async def create_book(
    client: AsyncClient, n: int = 0, /, **changes: Any
) -> dict[str, Any]:
    """Create a book through the API and return the response body."""
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
    if "author_id" not in payload:
        payload["author_id"] = (await create_author(client, n))["id"]
    return payload


async def shared_references(admin_client: AsyncClient, n: int = 0) -> dict[str, Any]:
    """The rows a book must refer to that only an administrator may create."""
    return {
        "author_id": (await create_author(admin_client, n))["id"],
    }


def if_match(row: dict[str, Any]) -> dict[str, str]:
    """The ``If-Match`` header that names the version of ``row``, for a change."""
    return {"If-Match": f'"{row["version"]}"'}


def assert_matches(body: dict[str, Any], payload: dict[str, Any]) -> None:
    """Assert that every field of ``payload`` came back unchanged in ``body``."""
    assert body["title"] == payload["title"]
    assert body["isbn"] == payload["isbn"]
    assert Decimal(body["price"]) == Decimal(payload["price"])
    assert body["status"] == payload["status"]
    assert body["published_on"] == payload["published_on"]
    assert body["summary"] == payload["summary"]


async def test_create_returns_the_new_book(client: AsyncClient) -> None:
    # Given a valid body
    payload = await with_references(client, 0, valid_payload())

    # When it is posted
    response = await client.post(URL, json=payload)

    # Then the book is created and returned with its id and timestamps
    assert response.status_code == 201, response.text
    body = response.json()
    assert_matches(body, payload)
    assert body["id"]
    assert body["created_at"]
    assert body["updated_at"]


async def test_create_applies_defaults(client: AsyncClient) -> None:
    # Given a body that leaves out every field that has a default
    payload = await with_references(client, 0, valid_payload(status=MISSING))

    # When it is posted
    response = await client.post(URL, json=payload)

    # Then the defaults are stored
    assert response.status_code == 201, response.text
    assert response.json()["status"] == "draft"


async def test_get_returns_the_book(client: AsyncClient) -> None:
    # Given a book
    created = await create_book(client)

    # When it is fetched by id
    response = await client.get(f"{URL}/{created['id']}")

    # Then it is returned as created
    assert response.status_code == 200
    assert response.json() == created


async def test_get_unknown_id_answers_404(client: AsyncClient) -> None:
    # Given an id no book has / When it is fetched
    response = await client.get(f"{URL}/{MISSING_ID}")

    # Then 404 in the one error format
    assert response.status_code == 404
    assert response.json()["error_code"] == "NOT_FOUND"


async def test_list_pages_through_books(client: AsyncClient) -> None:
    # Given three books
    for n in range(3):
        await create_book(client, n)

    # When the list is read two at a time, and one page past the end
    first = (await client.get(URL, params={"size": 2})).json()
    second = (await client.get(URL, params={"size": 2, "page": 2})).json()
    beyond = (await client.get(URL, params={"size": 2, "page": 3})).json()

    # Then the pages hold every book exactly once, and each of them
    # (full, last or past the end) counts all three
    assert (first["total"], first["page"], first["size"], first["pages"]) == (
        3,
        1,
        2,
        2,
    )
    assert len(first["items"]) == 2
    assert len(second["items"]) == 1
    assert beyond["items"] == []
    assert [page["total"] for page in (first, second, beyond)] == [3, 3, 3]
    ids = {item["id"] for item in first["items"] + second["items"]}
    assert len(ids) == 3


async def test_list_shows_the_newest_first_even_within_one_second(
    client: AsyncClient,
) -> None:
    # Given three books created one after another, within a second
    created = [await create_book(client, n) for n in range(3)]

    # When the list is read without a sort order
    response = await client.get(URL)

    # Then the newest comes first: timestamps are finer than a second
    assert response.status_code == 200, response.text
    listed = [item["id"] for item in response.json()["items"]]
    assert listed == [item["id"] for item in reversed(created)]


@pytest.mark.parametrize("params", [{"page": 0}, {"size": 0}, {"size": 101}])
async def test_list_refuses_bad_paging(
    client: AsyncClient, params: dict[str, int]
) -> None:
    # Given paging outside its bounds / When the list is read
    response = await client.get(URL, params=params)

    # Then 422
    assert response.status_code == 422


async def test_list_sorts_both_ways(client: AsyncClient) -> None:
    # Given books created out of title order
    for n in (1, 0, 2):
        await create_book(client, n)

    # When they are listed by title, ascending then descending
    ascending = (await client.get(URL, params={"sort": "title"})).json()
    descending = (await client.get(URL, params={"sort": "-title"})).json()

    # Then the order follows the field
    expected = [valid_payload(n)["title"] for n in range(3)]
    assert [item["title"] for item in ascending["items"]] == expected
    assert [item["title"] for item in descending["items"]] == expected[::-1]


@pytest.mark.parametrize(
    "sort",
    [
        "title",
        "-title",
        "isbn",
        "-isbn",
        "price",
        "-price",
        "status",
        "-status",
        "published_on",
        "-published_on",
        "created_at",
        "-created_at",
        "updated_at",
        "-updated_at",
    ],
)
async def test_list_sorts_by_every_allowed_value(
    client: AsyncClient, sort: str
) -> None:
    # Given a book
    created = await create_book(client)

    # When the list is sorted by an allowed value
    response = await client.get(URL, params={"sort": sort})

    # Then it is listed
    assert response.status_code == 200, response.text
    assert [item["id"] for item in response.json()["items"]] == [created["id"]]


async def test_list_refuses_an_unknown_sort_field(client: AsyncClient) -> None:
    # Given a sort field that is not on the allow-list / When the list is read
    response = await client.get(URL, params={"sort": "summary"})

    # Then 422, before any query runs
    assert response.status_code == 422
    assert response.json()["error_code"] == "VALIDATION_ERROR"


async def test_list_refuses_an_unknown_filter(client: AsyncClient) -> None:
    # Given a filter on a field that cannot be filtered / When the list is read
    response = await client.get(URL, params={"no_such_field": "x"})

    # Then 422
    assert response.status_code == 422
    assert response.json()["errors"][0]["loc"] == ["query", "no_such_field"]


@pytest.mark.parametrize(
    ("param", "field"), [("title", "title"), ("isbn", "isbn"), ("status", "status")]
)
async def test_list_filters_by_each_filterable_field(
    client: AsyncClient, param: str, field: str
) -> None:
    # Given two books that differ in the field
    wanted = await create_book(client, 0)
    other = await create_book(client, 1)
    assert wanted[field] != other[field]

    # When the list is filtered by the first one's value, then by the other's
    response = await client.get(URL, params={param: wanted[field]})
    other_response = await client.get(URL, params={param: other[field]})

    # Then each lists only the book with that value
    body = response.json()
    assert response.status_code == 200, body
    assert [item["id"] for item in body["items"]] == [wanted["id"]]
    assert [item["id"] for item in other_response.json()["items"]] == [other["id"]]


@pytest.mark.parametrize(
    ("param", "field"), [("title", "title"), ("isbn", "isbn"), ("status", "status")]
)
async def test_list_filters_by_several_values_of_a_field(
    client: AsyncClient, param: str, field: str
) -> None:
    # Given two books that differ in the field
    first = await create_book(client, 0)
    second = await create_book(client, 1)

    # When the list is filtered by both values, then by the second alone
    both = await client.get(URL, params={param: [first[field], second[field]]})
    one = await client.get(URL, params={param: [second[field]]})

    # Then the first lists both books, the second only the second one
    assert both.status_code == 200, both.text
    assert {item["id"] for item in both.json()["items"]} == {first["id"], second["id"]}
    assert [item["id"] for item in one.json()["items"]] == [second["id"]]


@pytest.mark.parametrize("field", ["price", "published_on"])
async def test_list_filters_by_a_range_of_each_ordered_field(
    client: AsyncClient, field: str
) -> None:
    # Given two books, the second with the greater value
    low = await create_book(client, 0)
    high = await create_book(client, 1)
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

        # Then exactly the books within it are listed
        assert response.status_code == 200, response.text
        found = {item["id"] for item in response.json()["items"]}
        assert found == expected, (operator, bound[field])


@pytest.mark.parametrize("field", ["published_on", "summary"])
async def test_list_filters_by_whether_an_optional_field_is_set(
    client: AsyncClient, field: str
) -> None:
    # Given a book with a value in the field and one without
    with_value = await create_book(client, 0)
    without = await create_book(client, 1, **{field: None})
    assert with_value[field] is not None

    # When the list is filtered by "is null", true then false
    empty = await client.get(URL, params={f"{field}__isnull": "true"})
    filled = await client.get(URL, params={f"{field}__isnull": "false"})

    # Then each lists only the matching book
    assert empty.status_code == 200, empty.text
    assert [item["id"] for item in empty.json()["items"]] == [without["id"]]
    assert [item["id"] for item in filled.json()["items"]] == [with_value["id"]]


async def test_list_searches_case_insensitively(client: AsyncClient) -> None:
    # Given two books
    wanted = await create_book(client, 0)
    await create_book(client, 1)

    # When the list is searched for the first one's title in upper case (its last 100
    # characters at most: q's limit)
    response = await client.get(URL, params={"q": wanted["title"][-100:].upper()})

    # Then only that book is found
    body = response.json()
    assert response.status_code == 200, body
    assert [item["id"] for item in body["items"]] == [wanted["id"]]


async def test_list_search_treats_a_percent_sign_literally(client: AsyncClient) -> None:
    # Given two books, neither holding a percent sign
    await create_book(client, 0)
    await create_book(client, 1)

    # When the list is searched for "%", the SQL LIKE wildcard
    response = await client.get(URL, params={"q": "%"})

    # Then it matches only itself, so nothing is found
    body = response.json()
    assert response.status_code == 200, body
    assert body["items"] == []


async def test_replace_sets_every_field(client: AsyncClient) -> None:
    # Given a book
    created = await create_book(client, 0)
    payload = await with_references(client, 1, valid_payload(1))

    # When it is replaced by a new body
    response = await client.put(
        f"{URL}/{created['id']}", json=payload, headers=if_match(created)
    )

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
    # Given a book
    created = await create_book(client, 0)
    change = {"title": valid_payload(1)["title"]}

    # When one field is patched
    response = await client.patch(
        f"{URL}/{created['id']}", json=change, headers=if_match(created)
    )

    # Then that field changed and every other one is as it was
    assert response.status_code == 200, response.text
    assert_matches(response.json(), {**valid_payload(0), **change})


@pytest.mark.parametrize(
    "field", ["title", "isbn", "price", "status", "author_id", "tag_ids"]
)
async def test_update_refuses_null_for_a_required_field(
    client: AsyncClient, field: str
) -> None:
    # Given a book
    created = await create_book(client)

    # When a field it cannot lack is set to null
    response = await client.patch(f"{URL}/{created['id']}", json={field: None})

    # Then 422 names the field
    assert response.status_code == 422
    assert response.json()["errors"][0]["loc"] == ["body", field]


@pytest.mark.parametrize(
    "field", ["title", "isbn", "price", "status", "author_id", "tag_ids"]
)
async def test_openapi_says_a_required_field_may_be_left_out_but_not_null(
    client: AsyncClient, field: str
) -> None:
    # Given the OpenAPI document / When the PATCH body's schema of the field is read
    document = (await client.get("/openapi.json")).json()
    schema = document["components"]["schemas"]["BookUpdate"]

    # Then it is optional, and neither its type nor its default is null
    assert field not in schema.get("required", [])
    field_schema = schema["properties"][field]
    assert {"type": "null"} not in field_schema.get("anyOf", [])
    assert field_schema.get("type") != "null"
    assert "default" not in field_schema


async def test_openapi_links_a_created_book_to_what_its_ids_lead_to(
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
    assert links["GetBook"] == {
        "operationId": "books-get",
        "parameters": {"book_id": "$response.body#/id"},
    }
    update = links["UpdateBook"]["parameters"]
    assert update["header.If-Match"] == "$response.header.ETag"
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
        ("title", ""),
        ("isbn", ""),
        ("price", -0.01),
    ],
)
async def test_the_database_refuses_a_value_out_of_bounds(
    client: AsyncClient, session: AsyncSession, field: str, value: object
) -> None:
    # Given a book, stored through the API
    await create_book(client)

    # When a field is set past the API to a value its bounds refuse
    # Then the database's CHECK constraint refuses it too
    with pytest.raises(IntegrityError):
        async with session.begin_nested():
            await session.execute(update(Book).values({field: value}))


async def test_update_unknown_id_answers_404(client: AsyncClient) -> None:
    response = await client.patch(f"{URL}/{MISSING_ID}", json={})

    assert response.status_code == 404


async def test_delete_removes_the_book(client: AsyncClient) -> None:
    # Given a book
    created = await create_book(client)

    # When it is deleted
    response = await client.delete(f"{URL}/{created['id']}", headers=if_match(created))

    # Then it is gone
    assert response.status_code == 204
    assert (await client.get(f"{URL}/{created['id']}")).status_code == 404


async def test_delete_unknown_id_answers_404(client: AsyncClient) -> None:
    response = await client.delete(f"{URL}/{MISSING_ID}")

    assert response.status_code == 404


async def test_create_and_get_send_the_version_as_a_strong_etag(
    client: AsyncClient,
) -> None:
    # Given a new book
    response = await client.post(
        URL, json=await with_references(client, 0, valid_payload())
    )
    assert response.status_code == 201, response.text

    # When it is fetched
    fetched = await client.get(f"{URL}/{response.json()['id']}")

    # Then both answers carry its first version, in the body and as a quoted ETag
    assert response.json()["version"] == 1
    assert response.headers["ETag"] == '"1"'
    assert fetched.headers["ETag"] == '"1"'
    assert fetched.json()["version"] == 1


async def test_each_change_naming_the_current_etag_makes_a_new_version(
    client: AsyncClient,
) -> None:
    # Given a book and the ETag a read of it sent
    created = await create_book(client, 0)
    url = f"{URL}/{created['id']}"
    etag = (await client.get(url)).headers["ETag"]

    # When it is patched, then replaced, each time naming the ETag last sent
    patched = await client.patch(
        url, json={"title": valid_payload(1)["title"]}, headers={"If-Match": etag}
    )
    replaced = await client.put(
        url,
        json=await with_references(client, 2, valid_payload(2)),
        headers={"If-Match": patched.headers["ETag"]},
    )

    # Then each succeeds and answers the next version, which a read then sends
    assert patched.status_code == 200, patched.text
    assert (patched.headers["ETag"], patched.json()["version"]) == ('"2"', 2)
    assert replaced.status_code == 200, replaced.text
    assert (replaced.headers["ETag"], replaced.json()["version"]) == ('"3"', 3)
    assert (await client.get(url)).headers["ETag"] == '"3"'


async def test_of_two_changes_naming_the_same_version_only_the_first_succeeds(
    client: AsyncClient,
) -> None:
    # Given a book that two clients read at version 1
    created = await create_book(client, 0)
    url = f"{URL}/{created['id']}"
    first = {"title": valid_payload(1)["title"]}
    second = {"title": valid_payload(2)["title"]}

    # When both send a change naming that version
    won = await client.patch(url, json=first, headers=if_match(created))
    lost = await client.patch(url, json=second, headers=if_match(created))

    # Then the second answers 412 and the first one's change stays
    assert won.status_code == 200, won.text
    assert lost.status_code == 412, lost.text
    assert lost.json()["error_code"] == "PRECONDITION_FAILED"
    assert (await client.get(url)).json() == won.json()


async def test_a_change_to_the_tags_alone_makes_a_new_version(
    client: AsyncClient, admin_client: AsyncClient
) -> None:
    # Given a book and one of the tags
    created = await create_book(client, 0)
    linked = await create_tag(admin_client, 5)

    # When it is linked to it, and nothing else changes
    response = await client.patch(
        f"{URL}/{created['id']}",
        json={"tag_ids": [linked["id"]]},
        headers=if_match(created),
    )

    # Then that is a new version too
    assert response.status_code == 200, response.text
    assert response.headers["ETag"] == '"2"'


@pytest.mark.parametrize("method", ["PUT", "PATCH", "DELETE"])
async def test_a_change_without_if_match_answers_428(
    client: AsyncClient, method: str
) -> None:
    # Given a book
    created = await create_book(client, 0)
    body = valid_payload(1, author_id=created["author_id"])

    # When it is changed without If-Match
    response = await client.request(method, f"{URL}/{created['id']}", json=body)

    # Then 428 in the one error format, and the book is as it was
    assert response.status_code == 428, response.text
    assert response.json()["error_code"] == "PRECONDITION_REQUIRED"
    assert (await client.get(f"{URL}/{created['id']}")).json() == created


@pytest.mark.parametrize("method", ["PUT", "PATCH", "DELETE"])
@pytest.mark.parametrize("etag", ['"2"', '"0"', 'W/"1"', "1"])
async def test_a_change_naming_another_version_answers_412(
    client: AsyncClient, method: str, etag: str
) -> None:
    # Given a book at version 1
    created = await create_book(client, 0)
    body = valid_payload(1, author_id=created["author_id"])

    # When it is changed naming another version, a weak tag or an unquoted one
    response = await client.request(
        method, f"{URL}/{created['id']}", json=body, headers={"If-Match": etag}
    )

    # Then 412 in the one error format, and the book is as it was
    assert response.status_code == 412, response.text
    assert response.json()["error_code"] == "PRECONDITION_FAILED"
    assert (await client.get(f"{URL}/{created['id']}")).json() == created


async def test_if_match_star_matches_the_current_version(client: AsyncClient) -> None:
    # Given a book
    created = await create_book(client, 0)

    # When it is deleted with If-Match: *, which names whatever version is current
    response = await client.delete(f"{URL}/{created['id']}", headers={"If-Match": "*"})

    # Then it is gone
    assert response.status_code == 204, response.text
    assert (await client.get(f"{URL}/{created['id']}")).status_code == 404


async def test_the_database_refuses_a_write_to_a_version_another_wrote(
    client: AsyncClient, session: AsyncSession
) -> None:
    # Given a book that two requests read at once, at one version
    created = await create_book(client, 0)
    connection = await session.connection()
    async with (
        AsyncSession(connection, join_transaction_mode="create_savepoint") as first,
        AsyncSession(connection, join_transaction_mode="create_savepoint") as second,
    ):
        mine = await first.get_one(Book, UUID(created["id"]))
        theirs = await second.get_one(Book, UUID(created["id"]))

        # When both write a change, the second after the first
        mine.updated_at = theirs.updated_at = datetime.now(UTC)
        await BookRepository(first).save(mine)

        # Then the second matches no row: the version it read is gone
        with pytest.raises(StaleDataError):
            await BookRepository(second).save(theirs)
        assert mine.version == 2


async def test_openapi_says_each_change_needs_if_match_and_may_answer_412_or_428(
    client: AsyncClient,
) -> None:
    # When the OpenAPI document is fetched
    paths = (await client.get("/openapi.json")).json()["paths"]

    # Then PUT, PATCH and DELETE require the If-Match header and document 412 and 428
    for method in ("put", "patch", "delete"):
        operation = paths[URL + "/{book_id}"][method]
        headers = [p for p in operation["parameters"] if p["in"] == "header"]
        assert [(p["name"], p["required"]) for p in headers] == [("If-Match", True)]
        assert {"412", "428"} <= set(operation["responses"])


@pytest.mark.parametrize("field", ["isbn"])
async def test_duplicate_unique_value_answers_409(
    client: AsyncClient, field: str
) -> None:
    # Given a book
    first = await create_book(client, 0)

    # When another one is created with the same value of a unique field
    response = await client.post(
        URL,
        json=await with_references(
            client, 1, valid_payload(1, **{field: first[field]})
        ),
    )

    # Then 409 in the one error format
    assert response.status_code == 409, response.text
    assert response.json()["error_code"] == "CONFLICT"


@pytest.mark.parametrize("field", ["isbn"])
async def test_update_to_a_taken_unique_value_answers_409(
    client: AsyncClient, field: str
) -> None:
    # Given two books
    first = await create_book(client, 0)
    second = await create_book(client, 1)

    # When the second takes the first one's value of a unique field
    response = await client.patch(
        f"{URL}/{second['id']}", json={field: first[field]}, headers=if_match(second)
    )

    # Then 409
    assert response.status_code == 409, response.text


@pytest.mark.parametrize(
    ("field", "value", "error_type"),
    [
        ("title", MISSING, "missing"),
        ("title", "x" * 201, "string_too_long"),
        ("title", "", "string_too_short"),
        ("title", "\x00", "string_pattern_mismatch"),
        ("isbn", MISSING, "missing"),
        ("isbn", "x" * 14, "string_too_long"),
        ("isbn", "", "string_too_short"),
        ("isbn", "!", "string_pattern_mismatch"),
        ("price", MISSING, "missing"),
        ("price", 1, "decimal_parsing"),
        ("price", "-1", "greater_than_equal"),
        ("price", "111111111", "decimal_whole_digits"),
        ("price", "0.111", "decimal_max_places"),
        ("price", "0.000", "string_pattern_mismatch"),
        ("status", "no-such-choice", "enum"),
        ("published_on", 0, "date_parsing"),
        ("summary", "\x00", "string_pattern_mismatch"),
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
    author = await create_author(admin_client, 5)
    category = await create_category(admin_client, 6)
    tag = await create_tag(admin_client, 7)

    # When a book referring to them is created
    created = await create_book(
        client,
        0,
        author_id=author["id"],
        category_id=category["id"],
        tag_ids=[tag["id"]],
    )

    # Then it returns the references, and so does a later read
    assert created["author_id"] == author["id"]
    assert created["category_id"] == category["id"]
    assert created["tag_ids"] == [tag["id"]]
    assert created["author"]["id"] == author["id"]
    assert [item["id"] for item in created["tags"]] == [tag["id"]]
    assert (await client.get(f"{URL}/{created['id']}")).json() == created


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("author_id", MISSING_ID),
        ("category_id", MISSING_ID),
        ("tag_ids", [MISSING_ID]),
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
        ("author_id", True),
        ("category_id", True),
        ("tag_ids", [True]),
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


async def test_list_filters_by_author_id(
    client: AsyncClient, admin_client: AsyncClient
) -> None:
    # Given a book of one author and another one
    author = await create_author(admin_client, 5)
    wanted = await create_book(client, 0, author_id=author["id"])
    await create_book(client, 1)

    # When the list is filtered by that author
    response = await client.get(URL, params={"author_id": author["id"]})

    # Then only the first one is listed
    assert response.status_code == 200, response.text
    assert [item["id"] for item in response.json()["items"]] == [wanted["id"]]


async def test_lists_the_books_of_an_author(
    client: AsyncClient, admin_client: AsyncClient
) -> None:
    # Given a book of one author and another one
    author = await create_author(admin_client, 5)
    wanted = await create_book(client, 0, author_id=author["id"])
    await create_book(client, 1)

    # When the author's books are listed
    response = await client.get(f"/api/v1/authors/{author['id']}/books")

    # Then only the first one is listed; an unknown author answers 404
    assert response.status_code == 200, response.text
    assert [item["id"] for item in response.json()["items"]] == [wanted["id"]]
    missing = await client.get(f"/api/v1/authors/{MISSING_ID}/books")
    assert missing.status_code == 404
    assert missing.json()["error_code"] == "NOT_FOUND"


async def test_a_deleted_author_keeps_its_books_and_takes_no_new_ones(
    client: AsyncClient, admin_client: AsyncClient
) -> None:
    # Given a book that refers to an author
    author = await create_author(admin_client, 5)
    book = await create_book(client, 0, author_id=author["id"])

    # When the author is deleted (a soft delete: its row stays)
    response = await admin_client.delete(f"/api/v1/authors/{author['id']}")

    # Then the book stays and still refers to it, but a new one may not
    # (422, as for an id no row has), and its books list answers 404
    assert response.status_code == 204, response.text
    kept = await client.get(f"{URL}/{book['id']}")
    assert kept.status_code == 200
    assert kept.json()["author_id"] == author["id"]
    refused = await client.post(
        URL,
        json={
            **await with_references(client, 1, valid_payload(1)),
            "author_id": author["id"],
        },
    )
    assert refused.status_code == 422, refused.text
    nested = await client.get(f"/api/v1/authors/{author['id']}/books")
    assert nested.status_code == 404


async def test_list_filters_by_category_id(
    client: AsyncClient, admin_client: AsyncClient
) -> None:
    # Given a book of one category and another one
    category = await create_category(admin_client, 5)
    wanted = await create_book(client, 0, category_id=category["id"])
    await create_book(client, 1)

    # When the list is filtered by that category
    response = await client.get(URL, params={"category_id": category["id"]})

    # Then only the first one is listed
    assert response.status_code == 200, response.text
    assert [item["id"] for item in response.json()["items"]] == [wanted["id"]]


async def test_lists_the_books_of_a_category(
    client: AsyncClient, admin_client: AsyncClient
) -> None:
    # Given a book of one category and another one
    category = await create_category(admin_client, 5)
    wanted = await create_book(client, 0, category_id=category["id"])
    await create_book(client, 1)

    # When the category's books are listed
    response = await client.get(f"/api/v1/categories/{category['id']}/books")

    # Then only the first one is listed; an unknown category answers 404
    assert response.status_code == 200, response.text
    assert [item["id"] for item in response.json()["items"]] == [wanted["id"]]
    missing = await client.get(f"/api/v1/categories/{MISSING_ID}/books")
    assert missing.status_code == 404
    assert missing.json()["error_code"] == "NOT_FOUND"


async def test_deleting_the_category_clears_category_id(
    client: AsyncClient, admin_client: AsyncClient
) -> None:
    # Given a book that refers to a category
    category = await create_category(admin_client, 5)
    book = await create_book(client, 0, category_id=category["id"])

    # When the category is deleted
    response = await admin_client.delete(f"/api/v1/categories/{category['id']}")

    # Then the book stays and no longer refers to it (on_delete: set null)
    assert response.status_code == 204, response.text
    kept = await client.get(f"{URL}/{book['id']}")
    assert kept.status_code == 200
    assert kept.json()["category_id"] is None


async def test_list_filters_by_one_of_the_tags(
    client: AsyncClient, admin_client: AsyncClient
) -> None:
    # Given a book linked to one of two tags, and one linked to none
    first = await create_tag(admin_client, 5)
    second = await create_tag(admin_client, 6)
    wanted = await create_book(client, 0, tag_ids=[first["id"]])
    await create_book(client, 1)

    # When the list is filtered by both tags, then by the other one
    both = await client.get(URL, params={"tag_id": [first["id"], second["id"]]})
    other = await client.get(URL, params={"tag_id": [second["id"]]})

    # Then the first lists only the linked book, the second none
    assert both.status_code == 200, both.text
    assert [item["id"] for item in both.json()["items"]] == [wanted["id"]]
    assert other.json()["items"] == []


async def test_lists_the_books_of_a_tag(
    client: AsyncClient, admin_client: AsyncClient
) -> None:
    # Given a book linked to one of two tags, and one linked to none
    first = await create_tag(admin_client, 5)
    second = await create_tag(admin_client, 6)
    wanted = await create_book(client, 0, tag_ids=[first["id"]])
    await create_book(client, 1)

    # When the books of each tag are listed
    url = "/api/v1/tags/{id}/books"
    linked = await client.get(url.format(id=first["id"]))
    unlinked = await client.get(url.format(id=second["id"]))

    # Then the first lists only the linked book, the second none; an unknown tag answers
    # 404
    assert linked.status_code == 200, linked.text
    assert [item["id"] for item in linked.json()["items"]] == [wanted["id"]]
    assert linked.json()["total"] == 1
    assert unlinked.status_code == 200, unlinked.text
    assert unlinked.json()["items"] == []
    missing = await client.get(url.format(id=MISSING_ID))
    assert missing.status_code == 404
    assert missing.json()["error_code"] == "NOT_FOUND"


async def test_tags_are_added_and_removed(
    client: AsyncClient, admin_client: AsyncClient
) -> None:
    # Given a book and two tags
    book = await create_book(client, 0)
    first = await create_tag(admin_client, 5)
    second = await create_tag(admin_client, 6)

    # When both are added, then the first one removed
    added = await client.patch(
        f"{URL}/{book['id']}",
        json={"tag_ids": [first["id"], second["id"]]},
        headers=if_match(book),
    )
    removed = await client.patch(
        f"{URL}/{book['id']}",
        json={"tag_ids": [second["id"]]},
        headers=if_match(added.json()),
    )

    # Then the book refers to both, then to the second one only
    assert added.status_code == 200, added.text
    assert sorted(added.json()["tag_ids"]) == sorted([first["id"], second["id"]])
    assert removed.status_code == 200, removed.text
    assert removed.json()["tag_ids"] == [second["id"]]
    fetched = await client.get(f"{URL}/{book['id']}")
    assert fetched.json()["tag_ids"] == [second["id"]]


async def test_deleting_one_of_the_tags_unlinks_it(
    client: AsyncClient, admin_client: AsyncClient
) -> None:
    # Given a book linked to one of the tags
    linked = await create_tag(admin_client, 5)
    book = await create_book(client, 0, tag_ids=[linked["id"]])

    # When that row is deleted
    response = await admin_client.delete(f"/api/v1/tags/{linked['id']}")

    # Then the link goes with it and the book stays
    assert response.status_code == 204, response.text
    fetched = await client.get(f"{URL}/{book['id']}")
    assert fetched.json()["tag_ids"] == []


async def test_list_issues_the_same_number_of_statements_for_any_page_size(
    client: AsyncClient, engine: AsyncEngine, admin_client: AsyncClient
) -> None:
    # Given three books that refer to other rows
    author = await create_author(admin_client, 5)
    category = await create_category(admin_client, 6)
    tag = await create_tag(admin_client, 7)
    for n in range(3):
        await create_book(
            client,
            n,
            author_id=author["id"],
            category_id=category["id"],
            tag_ids=[tag["id"]],
        )
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


@pytest.mark.parametrize(("method", "path"), WRITE_ENDPOINTS)
async def test_endpoints_for_signed_in_users_answer_401_without_a_token(
    anonymous_client: AsyncClient, method: str, path: str
) -> None:
    # Given no access token / When an endpoint that needs one is called
    url = URL + path.format(id=MISSING_ID)
    response = await anonymous_client.request(method, url, json=valid_payload())

    # Then 401 in the one error format
    assert response.status_code == 401
    assert response.json()["error_code"] == "UNAUTHORIZED"


@pytest.mark.parametrize(("method", "path"), WRITE_ENDPOINTS)
async def test_endpoints_for_admins_answer_403_to_a_user_who_is_not_one(
    user_client: AsyncClient, method: str, path: str
) -> None:
    # Given a signed-in user without the admin role / When an admin's endpoint is called
    url = URL + path.format(id=MISSING_ID)
    response = await user_client.request(method, url, json=valid_payload())

    # Then 403 in the one error format, whether the id exists or not
    assert response.status_code == 403
    assert response.json()["error_code"] == "FORBIDDEN"


async def test_anyone_may_read_books(
    client: AsyncClient, anonymous_client: AsyncClient
) -> None:
    # Given a book
    created = await create_book(client)

    # When an anonymous caller lists the books and gets it
    listed = await anonymous_client.get(URL)
    fetched = await anonymous_client.get(f"{URL}/{created['id']}")

    # Then both answer as they would a signed-in user
    assert [item["id"] for item in listed.json()["items"]] == [created["id"]]
    assert fetched.status_code == 200
    assert fetched.json() == created


async def test_a_user_may_read_books_but_not_change_them(
    client: AsyncClient, user_client: AsyncClient
) -> None:
    # Given a book an administrator created
    created = await create_book(client)

    # When a signed-in user reads it, then tries to change and delete it
    listed = await user_client.get(URL)
    fetched = await user_client.get(f"{URL}/{created['id']}")
    changed = await user_client.patch(f"{URL}/{created['id']}", json={})
    deleted = await user_client.delete(f"{URL}/{created['id']}")

    # Then reading succeeds, changing answers 403, and the book is unchanged
    assert [item["id"] for item in listed.json()["items"]] == [created["id"]]
    assert fetched.json() == created
    assert (changed.status_code, deleted.status_code) == (403, 403)
    assert (await client.get(f"{URL}/{created['id']}")).json() == created
