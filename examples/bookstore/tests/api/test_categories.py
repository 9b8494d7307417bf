"""Tests of the ``/api/v1/categories`` endpoints, from the client's side."""

from typing import Any

import pytest
from httpx import AsyncClient
from sqlalchemy import event, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession

from app.models.category import Category

URL = "/api/v1/categories"
MISSING = object()
MISSING_ID = "00000000-0000-0000-0000-000000000000"
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
    """A valid request body for a new category.

    Args:
        n: Varies every value that must be unique or ordered; bodies built with
            different ``n`` (0 to 9) do not collide.
        **changes: Fields to set to other values, or to remove with ``MISSING``.

    Returns:
        The body, as JSON-ready data.
    """
    payload: dict[str, Any] = {
        "name": f"Name {n}",
    }
    payload.update(changes)
    return {key: value for key, value in payload.items() if value is not MISSING}


async def create_category(
    client: AsyncClient, n: int = 0, /, **changes: Any
) -> dict[str, Any]:
    """Create a category through the API and return the response body."""
    response = await client.post(URL, json=valid_payload(n, **changes))
    assert response.status_code == 201, response.text
    body: dict[str, Any] = response.json()
    return body


def assert_matches(body: dict[str, Any], payload: dict[str, Any]) -> None:
    """Assert that every field of ``payload`` came back unchanged in ``body``."""
    assert body["name"] == payload["name"]


async def test_create_returns_the_new_category(client: AsyncClient) -> None:
    # Given a valid body
    payload = valid_payload()

    # When it is posted
    response = await client.post(URL, json=payload)

    # Then the category is created and returned with its id and timestamps
    assert response.status_code == 201, response.text
    body = response.json()
    assert_matches(body, payload)
    assert body["id"]
    assert body["created_at"]
    assert body["updated_at"]


async def test_get_returns_the_category(client: AsyncClient) -> None:
    # Given a category
    created = await create_category(client)

    # When it is fetched by id
    response = await client.get(f"{URL}/{created['id']}")

    # Then it is returned as created
    assert response.status_code == 200
    assert response.json() == created


async def test_get_unknown_id_answers_404(client: AsyncClient) -> None:
    # Given an id no category has / When it is fetched
    response = await client.get(f"{URL}/{MISSING_ID}")

    # Then 404 in the one error format
    assert response.status_code == 404
    assert response.json()["error_code"] == "NOT_FOUND"


async def test_list_pages_through_categories(client: AsyncClient) -> None:
    # Given three categories
    for n in range(3):
        await create_category(client, n)

    # When the list is read two at a time, and one page past the end
    first = (await client.get(URL, params={"size": 2})).json()
    second = (await client.get(URL, params={"size": 2, "page": 2})).json()
    beyond = (await client.get(URL, params={"size": 2, "page": 3})).json()

    # Then the pages hold every category exactly once, and each of them
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
    # Given three categories created one after another, within a second
    created = [await create_category(client, n) for n in range(3)]

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
    # Given categories created out of name order
    for n in (1, 0, 2):
        await create_category(client, n)

    # When they are listed by name, ascending then descending
    ascending = (await client.get(URL, params={"sort": "name"})).json()
    descending = (await client.get(URL, params={"sort": "-name"})).json()

    # Then the order follows the field
    expected = [valid_payload(n)["name"] for n in range(3)]
    assert [item["name"] for item in ascending["items"]] == expected
    assert [item["name"] for item in descending["items"]] == expected[::-1]


@pytest.mark.parametrize(
    "sort", ["name", "-name", "created_at", "-created_at", "updated_at", "-updated_at"]
)
async def test_list_sorts_by_every_allowed_value(
    client: AsyncClient, sort: str
) -> None:
    # Given a category
    created = await create_category(client)

    # When the list is sorted by an allowed value
    response = await client.get(URL, params={"sort": sort})

    # Then it is listed
    assert response.status_code == 200, response.text
    assert [item["id"] for item in response.json()["items"]] == [created["id"]]


async def test_list_refuses_an_unknown_sort_field(client: AsyncClient) -> None:
    # Given a sort field that is not on the allow-list / When the list is read
    response = await client.get(URL, params={"sort": "no-such-field"})

    # Then 422, before any query runs
    assert response.status_code == 422
    assert response.json()["error_code"] == "VALIDATION_ERROR"


async def test_list_refuses_an_unknown_filter(client: AsyncClient) -> None:
    # Given a filter on a field that cannot be filtered / When the list is read
    response = await client.get(URL, params={"no_such_field": "x"})

    # Then 422
    assert response.status_code == 422
    assert response.json()["errors"][0]["loc"] == ["query", "no_such_field"]


@pytest.mark.parametrize(("param", "field"), [("name", "name")])
async def test_list_filters_by_each_filterable_field(
    client: AsyncClient, param: str, field: str
) -> None:
    # Given two categories that differ in the field
    wanted = await create_category(client, 0)
    other = await create_category(client, 1)
    assert wanted[field] != other[field]

    # When the list is filtered by the first one's value, then by the other's
    response = await client.get(URL, params={param: wanted[field]})
    other_response = await client.get(URL, params={param: other[field]})

    # Then each lists only the category with that value
    body = response.json()
    assert response.status_code == 200, body
    assert [item["id"] for item in body["items"]] == [wanted["id"]]
    assert [item["id"] for item in other_response.json()["items"]] == [other["id"]]


@pytest.mark.parametrize(("param", "field"), [("name", "name")])
async def test_list_filters_by_several_values_of_a_field(
    client: AsyncClient, param: str, field: str
) -> None:
    # Given two categories that differ in the field
    first = await create_category(client, 0)
    second = await create_category(client, 1)

    # When the list is filtered by both values, then by the second alone
    both = await client.get(URL, params={param: [first[field], second[field]]})
    one = await client.get(URL, params={param: [second[field]]})

    # Then the first lists both categories, the second only the second one
    assert both.status_code == 200, both.text
    assert {item["id"] for item in both.json()["items"]} == {first["id"], second["id"]}
    assert [item["id"] for item in one.json()["items"]] == [second["id"]]


async def test_list_searches_case_insensitively(client: AsyncClient) -> None:
    # Given two categories
    wanted = await create_category(client, 0)
    await create_category(client, 1)

    # When the list is searched for the first one's name in upper case (its last 100
    # characters at most: q's limit)
    response = await client.get(URL, params={"q": wanted["name"][-100:].upper()})

    # Then only that category is found
    body = response.json()
    assert response.status_code == 200, body
    assert [item["id"] for item in body["items"]] == [wanted["id"]]


async def test_list_search_treats_a_percent_sign_literally(client: AsyncClient) -> None:
    # Given two categories, neither holding a percent sign
    await create_category(client, 0)
    await create_category(client, 1)

    # When the list is searched for "%", the SQL LIKE wildcard
    response = await client.get(URL, params={"q": "%"})

    # Then it matches only itself, so nothing is found
    body = response.json()
    assert response.status_code == 200, body
    assert body["items"] == []


async def test_replace_sets_every_field(client: AsyncClient) -> None:
    # Given a category
    created = await create_category(client, 0)
    payload = valid_payload(1)

    # When it is replaced by a new body
    response = await client.put(f"{URL}/{created['id']}", json=payload)

    # Then every field has the new value and the id is kept
    assert response.status_code == 200, response.text
    assert_matches(response.json(), payload)
    assert response.json()["id"] == created["id"]


async def test_replace_unknown_id_answers_404(client: AsyncClient) -> None:
    response = await client.put(f"{URL}/{MISSING_ID}", json=valid_payload())

    assert response.status_code == 404


async def test_update_changes_only_the_fields_sent(client: AsyncClient) -> None:
    # Given a category
    created = await create_category(client, 0)
    change = {"name": valid_payload(1)["name"]}

    # When one field is patched
    response = await client.patch(f"{URL}/{created['id']}", json=change)

    # Then that field changed and every other one is as it was
    assert response.status_code == 200, response.text
    assert_matches(response.json(), {**valid_payload(0), **change})


@pytest.mark.parametrize("field", ["name"])
async def test_update_refuses_null_for_a_required_field(
    client: AsyncClient, field: str
) -> None:
    # Given a category
    created = await create_category(client)

    # When a field it cannot lack is set to null
    response = await client.patch(f"{URL}/{created['id']}", json={field: None})

    # Then 422 names the field
    assert response.status_code == 422
    assert response.json()["errors"][0]["loc"] == ["body", field]


@pytest.mark.parametrize("field", ["name"])
async def test_openapi_says_a_required_field_may_be_left_out_but_not_null(
    client: AsyncClient, field: str
) -> None:
    # Given the OpenAPI document / When the PATCH body's schema of the field is read
    document = (await client.get("/openapi.json")).json()
    schema = document["components"]["schemas"]["CategoryUpdate"]

    # Then it is optional, and neither its type nor its default is null
    assert field not in schema.get("required", [])
    field_schema = schema["properties"][field]
    assert {"type": "null"} not in field_schema.get("anyOf", [])
    assert field_schema.get("type") != "null"
    assert "default" not in field_schema


async def test_openapi_links_a_created_category_to_what_its_ids_lead_to(
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
    assert links["GetCategory"] == {
        "operationId": "categories-get",
        "parameters": {"category_id": "$response.body#/id"},
    }
    assert len(links) == 5
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
        ("name", ""),
    ],
)
async def test_the_database_refuses_a_value_out_of_bounds(
    client: AsyncClient, session: AsyncSession, field: str, value: object
) -> None:
    # Given a category, stored through the API
    await create_category(client)

    # When a field is set past the API to a value its bounds refuse
    # Then the database's CHECK constraint refuses it too
    with pytest.raises(IntegrityError):
        async with session.begin_nested():
            await session.execute(update(Category).values({field: value}))


async def test_update_unknown_id_answers_404(client: AsyncClient) -> None:
    response = await client.patch(f"{URL}/{MISSING_ID}", json={})

    assert response.status_code == 404


async def test_delete_removes_the_category(client: AsyncClient) -> None:
    # Given a category
    created = await create_category(client)

    # When it is deleted
    response = await client.delete(f"{URL}/{created['id']}")

    # Then it is gone
    assert response.status_code == 204
    assert (await client.get(f"{URL}/{created['id']}")).status_code == 404


async def test_delete_unknown_id_answers_404(client: AsyncClient) -> None:
    response = await client.delete(f"{URL}/{MISSING_ID}")

    assert response.status_code == 404


@pytest.mark.parametrize("field", ["name"])
async def test_duplicate_unique_value_answers_409(
    client: AsyncClient, field: str
) -> None:
    # Given a category
    first = await create_category(client, 0)

    # When another one is created with the same value of a unique field
    response = await client.post(URL, json=valid_payload(1, **{field: first[field]}))

    # Then 409 in the one error format
    assert response.status_code == 409, response.text
    assert response.json()["error_code"] == "CONFLICT"


@pytest.mark.parametrize("field", ["name"])
async def test_update_to_a_taken_unique_value_answers_409(
    client: AsyncClient, field: str
) -> None:
    # Given two categories
    first = await create_category(client, 0)
    second = await create_category(client, 1)

    # When the second takes the first one's value of a unique field
    response = await client.patch(f"{URL}/{second['id']}", json={field: first[field]})

    # Then 409
    assert response.status_code == 409, response.text


@pytest.mark.parametrize(
    ("field", "value", "error_type"),
    [
        ("name", MISSING, "missing"),
        ("name", "x" * 101, "string_too_long"),
        ("name", "", "string_too_short"),
        ("name", "\x00", "string_pattern_mismatch"),
    ],
)
async def test_create_refuses_invalid_values(
    client: AsyncClient, field: str, value: Any, error_type: str
) -> None:
    # Given a body with one invalid value
    payload = valid_payload(**{field: value})

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
    parent = await create_category(admin_client, 9)

    # When a category referring to them is created
    created = await create_category(client, 0, parent_id=parent["id"])

    # Then it returns the references, and so does a later read
    assert created["parent_id"] == parent["id"]
    assert (await client.get(f"{URL}/{created['id']}")).json() == created


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("parent_id", MISSING_ID),
    ],
)
async def test_create_refuses_a_reference_to_a_missing_row(
    client: AsyncClient, field: str, value: Any
) -> None:
    # Given a body that refers to a row that does not exist
    payload = valid_payload(**{field: value})

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
        ("parent_id", True),
    ],
)
async def test_create_refuses_a_reference_that_is_not_an_id(
    client: AsyncClient, field: str, value: Any
) -> None:
    # Given a body whose reference is a boolean, which no id is
    payload = valid_payload(**{field: value})

    # When it is posted
    response = await client.post(URL, json=payload)

    # Then 422 names the field, and nothing is stored
    assert response.status_code == 422, response.text
    assert response.json()["errors"][0]["loc"][:2] == ["body", field]
    assert (await client.get(URL)).json()["items"] == []


async def test_list_filters_by_parent_id(
    client: AsyncClient, admin_client: AsyncClient
) -> None:
    # Given a category of one parent and another one
    parent = await create_category(admin_client, 5)
    wanted = await create_category(client, 0, parent_id=parent["id"])
    await create_category(client, 1)

    # When the list is filtered by that parent
    response = await client.get(URL, params={"parent_id": parent["id"]})

    # Then only the first one is listed
    assert response.status_code == 200, response.text
    assert [item["id"] for item in response.json()["items"]] == [wanted["id"]]


async def test_lists_the_categories_of_a_parent(
    client: AsyncClient, admin_client: AsyncClient
) -> None:
    # Given a category of one parent and another one
    parent = await create_category(admin_client, 5)
    wanted = await create_category(client, 0, parent_id=parent["id"])
    await create_category(client, 1)

    # When the parent's children are listed
    response = await client.get(f"/api/v1/categories/{parent['id']}/children")

    # Then only the first one is listed; an unknown parent answers 404
    assert response.status_code == 200, response.text
    assert [item["id"] for item in response.json()["items"]] == [wanted["id"]]
    missing = await client.get(f"/api/v1/categories/{MISSING_ID}/children")
    assert missing.status_code == 404
    assert missing.json()["error_code"] == "NOT_FOUND"


async def test_deleting_the_parent_clears_parent_id(
    client: AsyncClient, admin_client: AsyncClient
) -> None:
    # Given a category that refers to a parent
    parent = await create_category(admin_client, 5)
    category = await create_category(client, 0, parent_id=parent["id"])

    # When the parent is deleted
    response = await admin_client.delete(f"/api/v1/categories/{parent['id']}")

    # Then the category stays and no longer refers to it (on_delete: set null)
    assert response.status_code == 204, response.text
    kept = await client.get(f"{URL}/{category['id']}")
    assert kept.status_code == 200
    assert kept.json()["parent_id"] is None


async def test_list_issues_the_same_number_of_statements_for_any_page_size(
    client: AsyncClient, engine: AsyncEngine, admin_client: AsyncClient
) -> None:
    # Given three categories that refer to other rows
    parent = await create_category(admin_client, 9)
    for n in range(3):
        await create_category(client, n, parent_id=parent["id"])
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


async def test_anyone_may_read_categories(
    client: AsyncClient, anonymous_client: AsyncClient
) -> None:
    # Given a category
    created = await create_category(client)

    # When an anonymous caller lists the categories and gets it
    listed = await anonymous_client.get(URL)
    fetched = await anonymous_client.get(f"{URL}/{created['id']}")

    # Then both answer as they would a signed-in user
    assert [item["id"] for item in listed.json()["items"]] == [created["id"]]
    assert fetched.status_code == 200
    assert fetched.json() == created


async def test_a_user_may_read_categories_but_not_change_them(
    client: AsyncClient, user_client: AsyncClient
) -> None:
    # Given a category an administrator created
    created = await create_category(client)

    # When a signed-in user reads it, then tries to change and delete it
    listed = await user_client.get(URL)
    fetched = await user_client.get(f"{URL}/{created['id']}")
    changed = await user_client.patch(f"{URL}/{created['id']}", json={})
    deleted = await user_client.delete(f"{URL}/{created['id']}")

    # Then reading succeeds, changing answers 403, and the category is unchanged
    assert [item["id"] for item in listed.json()["items"]] == [created["id"]]
    assert fetched.json() == created
    assert (changed.status_code, deleted.status_code) == (403, 403)
    assert (await client.get(f"{URL}/{created['id']}")).json() == created
