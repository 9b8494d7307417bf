"""Tests of the ``/api/v1/people`` endpoints, from the client's side."""

import datetime as dt
from decimal import Decimal
from typing import Any

import pytest
from httpx import AsyncClient
from sqlalchemy import update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession

from app.models.person import Person

URL = "/api/v1/people"
MISSING = object()
MISSING_ID = 2147483647
DISCOUNT_SAMPLES = (
    "0.00",
    "0.11",
    "0.22",
    "0.33",
    "0.44",
    "0.55",
    "0.66",
    "0.77",
    "0.88",
    "0.99",
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
    """A valid request body for a new person.

    Args:
        n: Varies every value that must be unique or ordered; bodies built with
            different ``n`` (0 to 9) do not collide.
        **changes: Fields to set to other values, or to remove with ``MISSING``.

    Returns:
        The body, as JSON-ready data.
    """
    payload: dict[str, Any] = {
        "email": f"user{n}@example.com",
        "full_name": f"Full name {n}",
        "date": f"2025-01-{n + 1:02d}",
        "status": ["active", "inactive", "banned"][n % 3],
        "score": f"{n + 1}.00",
        "initial": f"{n:01d}",
        "discount": DISCOUNT_SAMPLES[n],
        "updated_on": f"2025-01-{n + 1:02d}T12:00:00Z",
    }
    payload.update(changes)
    return {key: value for key, value in payload.items() if value is not MISSING}


async def create_person(
    client: AsyncClient, n: int = 0, /, **changes: Any
) -> dict[str, Any]:
    """Create a person through the API and return the response body."""
    response = await client.post(URL, json=valid_payload(n, **changes))
    assert response.status_code == 201, response.text
    body: dict[str, Any] = response.json()
    return body


def assert_matches(body: dict[str, Any], payload: dict[str, Any]) -> None:
    """Assert that every field of ``payload`` came back unchanged in ``body``."""
    assert body["email"] == payload["email"]
    assert body["full_name"] == payload["full_name"]
    assert body["date"] == payload["date"]
    assert body["status"] == payload["status"]
    assert Decimal(body["score"]) == Decimal(payload["score"])
    assert body["initial"] == payload["initial"]
    assert Decimal(body["discount"]) == Decimal(payload["discount"])
    assert dt.datetime.fromisoformat(body["updated_on"]) == dt.datetime.fromisoformat(
        payload["updated_on"]
    )


async def test_create_returns_the_new_person(client: AsyncClient) -> None:
    # Given a valid body
    payload = valid_payload()

    # When it is posted
    response = await client.post(URL, json=payload)

    # Then the person is created and returned with its id and timestamps
    assert response.status_code == 201, response.text
    body = response.json()
    assert_matches(body, payload)
    assert body["id"]
    assert body["created_at"]
    assert body["updated_at"]


async def test_create_applies_defaults(client: AsyncClient) -> None:
    # Given a body that leaves out every field that has a default
    payload = valid_payload(status=MISSING)

    # When it is posted
    response = await client.post(URL, json=payload)

    # Then the defaults are stored
    assert response.status_code == 201, response.text
    assert response.json()["status"] == "active"


async def test_get_returns_the_person(client: AsyncClient) -> None:
    # Given a person
    created = await create_person(client)

    # When it is fetched by id
    response = await client.get(f"{URL}/{created['id']}")

    # Then it is returned as created
    assert response.status_code == 200
    assert response.json() == created


async def test_get_unknown_id_answers_404(client: AsyncClient) -> None:
    # Given an id no person has / When it is fetched
    response = await client.get(f"{URL}/{MISSING_ID}")

    # Then 404 in the one error format
    assert response.status_code == 404
    assert response.json()["error_code"] == "NOT_FOUND"


async def test_list_pages_through_people(client: AsyncClient) -> None:
    # Given three people
    for n in range(3):
        await create_person(client, n)

    # When the list is read two at a time, and one page past the end
    first = (await client.get(URL, params={"size": 2})).json()
    second = (await client.get(URL, params={"size": 2, "page": 2})).json()
    beyond = (await client.get(URL, params={"size": 2, "page": 3})).json()

    # Then the pages hold every person exactly once, and each of them
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
    # Given three people created one after another, within a second
    created = [await create_person(client, n) for n in range(3)]

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
    # Given people created out of full name order
    for n in (1, 0, 2):
        await create_person(client, n)

    # When they are listed by full name, ascending then descending
    ascending = (await client.get(URL, params={"sort": "full_name"})).json()
    descending = (await client.get(URL, params={"sort": "-full_name"})).json()

    # Then the order follows the field
    expected = [valid_payload(n)["full_name"] for n in range(3)]
    assert [item["full_name"] for item in ascending["items"]] == expected
    assert [item["full_name"] for item in descending["items"]] == expected[::-1]


@pytest.mark.parametrize(
    "sort",
    [
        "email",
        "-email",
        "full_name",
        "-full_name",
        "date",
        "-date",
        "status",
        "-status",
        "score",
        "-score",
        "initial",
        "-initial",
        "discount",
        "-discount",
        "updated_on",
        "-updated_on",
        "created_at",
        "-created_at",
        "updated_at",
        "-updated_at",
    ],
)
async def test_list_sorts_by_every_allowed_value(
    client: AsyncClient, sort: str
) -> None:
    # Given a person
    created = await create_person(client)

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


@pytest.mark.parametrize(("param", "field"), [("email", "email"), ("status", "status")])
async def test_list_filters_by_each_filterable_field(
    client: AsyncClient, param: str, field: str
) -> None:
    # Given two people that differ in the field
    wanted = await create_person(client, 0)
    other = await create_person(client, 1)
    assert wanted[field] != other[field]

    # When the list is filtered by the first one's value, then by the other's
    response = await client.get(URL, params={param: wanted[field]})
    other_response = await client.get(URL, params={param: other[field]})

    # Then each lists only the person with that value
    body = response.json()
    assert response.status_code == 200, body
    assert [item["id"] for item in body["items"]] == [wanted["id"]]
    assert [item["id"] for item in other_response.json()["items"]] == [other["id"]]


@pytest.mark.parametrize(("param", "field"), [("email", "email"), ("status", "status")])
async def test_list_filters_by_several_values_of_a_field(
    client: AsyncClient, param: str, field: str
) -> None:
    # Given two people that differ in the field
    first = await create_person(client, 0)
    second = await create_person(client, 1)

    # When the list is filtered by both values, then by the second alone
    both = await client.get(URL, params={param: [first[field], second[field]]})
    one = await client.get(URL, params={param: [second[field]]})

    # Then the first lists both people, the second only the second one
    assert both.status_code == 200, both.text
    assert {item["id"] for item in both.json()["items"]} == {first["id"], second["id"]}
    assert [item["id"] for item in one.json()["items"]] == [second["id"]]


@pytest.mark.parametrize("field", ["date", "score", "discount", "updated_on"])
async def test_list_filters_by_a_range_of_each_ordered_field(
    client: AsyncClient, field: str
) -> None:
    # Given two people, the second with the greater value
    low = await create_person(client, 0)
    high = await create_person(client, 1)
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

        # Then exactly the people within it are listed
        assert response.status_code == 200, response.text
        found = {item["id"] for item in response.json()["items"]}
        assert found == expected, (operator, bound[field])


@pytest.mark.parametrize(
    "field", ["date", "score", "initial", "discount", "updated_on"]
)
async def test_list_filters_by_whether_an_optional_field_is_set(
    client: AsyncClient, field: str
) -> None:
    # Given a person with a value in the field and one without
    with_value = await create_person(client, 0)
    without = await create_person(client, 1, **{field: None})
    assert with_value[field] is not None

    # When the list is filtered by "is null", true then false
    empty = await client.get(URL, params={f"{field}__isnull": "true"})
    filled = await client.get(URL, params={f"{field}__isnull": "false"})

    # Then each lists only the matching person
    assert empty.status_code == 200, empty.text
    assert [item["id"] for item in empty.json()["items"]] == [without["id"]]
    assert [item["id"] for item in filled.json()["items"]] == [with_value["id"]]


async def test_list_searches_case_insensitively(client: AsyncClient) -> None:
    # Given two people
    wanted = await create_person(client, 0)
    await create_person(client, 1)

    # When the list is searched for the first one's email in upper case (its last 100
    # characters at most: q's limit)
    response = await client.get(URL, params={"q": wanted["email"][-100:].upper()})

    # Then only that person is found
    body = response.json()
    assert response.status_code == 200, body
    assert [item["id"] for item in body["items"]] == [wanted["id"]]


async def test_list_search_treats_a_percent_sign_literally(client: AsyncClient) -> None:
    # Given two people, neither holding a percent sign
    await create_person(client, 0)
    await create_person(client, 1)

    # When the list is searched for "%", the SQL LIKE wildcard
    response = await client.get(URL, params={"q": "%"})

    # Then it matches only itself, so nothing is found
    body = response.json()
    assert response.status_code == 200, body
    assert body["items"] == []


async def test_replace_sets_every_field(client: AsyncClient) -> None:
    # Given a person
    created = await create_person(client, 0)
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
    # Given a person
    created = await create_person(client, 0)
    change = {"email": valid_payload(1)["email"]}

    # When one field is patched
    response = await client.patch(f"{URL}/{created['id']}", json=change)

    # Then that field changed and every other one is as it was
    assert response.status_code == 200, response.text
    assert_matches(response.json(), {**valid_payload(0), **change})


@pytest.mark.parametrize("field", ["email", "full_name", "status"])
async def test_update_refuses_null_for_a_required_field(
    client: AsyncClient, field: str
) -> None:
    # Given a person
    created = await create_person(client)

    # When a field it cannot lack is set to null
    response = await client.patch(f"{URL}/{created['id']}", json={field: None})

    # Then 422 names the field
    assert response.status_code == 422
    assert response.json()["errors"][0]["loc"] == ["body", field]


@pytest.mark.parametrize("field", ["email", "full_name", "status"])
async def test_openapi_says_a_required_field_may_be_left_out_but_not_null(
    client: AsyncClient, field: str
) -> None:
    # Given the OpenAPI document / When the PATCH body's schema of the field is read
    document = (await client.get("/openapi.json")).json()
    schema = document["components"]["schemas"]["PersonUpdate"]

    # Then it is optional, and neither its type nor its default is null
    assert field not in schema.get("required", [])
    field_schema = schema["properties"][field]
    assert {"type": "null"} not in field_schema.get("anyOf", [])
    assert field_schema.get("type") != "null"
    assert "default" not in field_schema


async def test_openapi_links_a_created_person_to_what_its_ids_lead_to(
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
    assert links["GetPerson"] == {
        "operationId": "people-get",
        "parameters": {"person_id": "$response.body#/id"},
    }
    assert len(links) == 4
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
        ("full_name", ""),
        ("score", -100.01),
        ("score", 100.01),
        ("discount", -0.01),
    ],
)
async def test_the_database_refuses_a_value_out_of_bounds(
    client: AsyncClient, session: AsyncSession, field: str, value: object
) -> None:
    # Given a person, stored through the API
    await create_person(client)

    # When a field is set past the API to a value its bounds refuse
    # Then the database's CHECK constraint refuses it too
    with pytest.raises(IntegrityError):
        async with session.begin_nested():
            await session.execute(update(Person).values({field: value}))


async def test_update_unknown_id_answers_404(client: AsyncClient) -> None:
    response = await client.patch(f"{URL}/{MISSING_ID}", json={})

    assert response.status_code == 404


async def test_delete_removes_the_person(client: AsyncClient) -> None:
    # Given a person
    created = await create_person(client)

    # When it is deleted
    response = await client.delete(f"{URL}/{created['id']}")

    # Then it is gone
    assert response.status_code == 204
    assert (await client.get(f"{URL}/{created['id']}")).status_code == 404


async def test_delete_unknown_id_answers_404(client: AsyncClient) -> None:
    response = await client.delete(f"{URL}/{MISSING_ID}")

    assert response.status_code == 404


@pytest.mark.parametrize("field", ["email"])
async def test_duplicate_unique_value_answers_409(
    client: AsyncClient, field: str
) -> None:
    # Given a person
    first = await create_person(client, 0)

    # When another one is created with the same value of a unique field
    response = await client.post(URL, json=valid_payload(1, **{field: first[field]}))

    # Then 409 in the one error format
    assert response.status_code == 409, response.text
    assert response.json()["error_code"] == "CONFLICT"


@pytest.mark.parametrize("field", ["email"])
async def test_update_to_a_taken_unique_value_answers_409(
    client: AsyncClient, field: str
) -> None:
    # Given two people
    first = await create_person(client, 0)
    second = await create_person(client, 1)

    # When the second takes the first one's value of a unique field
    response = await client.patch(f"{URL}/{second['id']}", json={field: first[field]})

    # Then 409
    assert response.status_code == 409, response.text


@pytest.mark.parametrize(
    ("field", "value", "error_type"),
    [
        ("email", MISSING, "missing"),
        ("email", "not-an-email", "value_error"),
        ("full_name", MISSING, "missing"),
        ("full_name", "x" * 201, "string_too_long"),
        ("full_name", "", "string_too_short"),
        ("full_name", "\x00", "string_pattern_mismatch"),
        ("date", 0, "date_parsing"),
        ("status", "no-such-choice", "enum"),
        ("score", 1, "decimal_parsing"),
        ("score", "-101", "greater_than_equal"),
        ("score", "101", "less_than_equal"),
        ("score", "1111", "decimal_whole_digits"),
        ("score", "0.111", "decimal_max_places"),
        ("score", "-100.000", "string_pattern_mismatch"),
        ("initial", "x" * 2, "string_too_long"),
        ("initial", "\x00", "string_pattern_mismatch"),
        ("discount", 1, "decimal_parsing"),
        ("discount", "-1", "decimal_whole_digits"),
        ("discount", "0.111", "decimal_max_digits"),
        ("discount", "0.000", "string_pattern_mismatch"),
        ("updated_on", "2025-01-31T12:00:00", "timezone_aware"),
        ("updated_on", 0, "datetime_parsing"),
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


async def test_a_user_may_read_people_but_not_change_them(
    client: AsyncClient, user_client: AsyncClient
) -> None:
    # Given a person an administrator created
    created = await create_person(client)

    # When a signed-in user reads it, then tries to change and delete it
    listed = await user_client.get(URL)
    fetched = await user_client.get(f"{URL}/{created['id']}")
    changed = await user_client.patch(f"{URL}/{created['id']}", json={})
    deleted = await user_client.delete(f"{URL}/{created['id']}")

    # Then reading succeeds, changing answers 403, and the person is unchanged
    assert [item["id"] for item in listed.json()["items"]] == [created["id"]]
    assert fetched.json() == created
    assert (changed.status_code, deleted.status_code) == (403, 403)
    assert (await client.get(f"{URL}/{created['id']}")).json() == created
