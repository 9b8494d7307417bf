"""Tests of the ``/api/v1/products`` endpoints, from the client's side."""

from datetime import datetime
from decimal import Decimal
from typing import Any

import pytest
from httpx import AsyncClient
from sqlalchemy import update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession

from app.models.product import Product

URL = "/api/v1/products"
MISSING = object()
MISSING_ID = 2147483647
SKU_SAMPLES = (
    "ADY-1746",
    "BKV-2205",
    "CRS-3753",
    "DYP-4212",
    "EFN-5760",
    "FMK-6229",
    "GTH-7777",
    "HAF-8236",
    "IHC-9784",
    "JOZ-1816",
)
STOCK_SAMPLES = (0, 1, 2, 3, 4, 5, 6, 7, 8, 9)
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
    """A valid request body for a new product.

    Args:
        n: Varies every value that must be unique or ordered; bodies built with
            different ``n`` (0 to 9) do not collide.
        **changes: Fields to set to other values, or to remove with ``MISSING``.

    Returns:
        The body, as JSON-ready data.
    """
    payload: dict[str, Any] = {
        "sku": SKU_SAMPLES[n],
        "name": f"Name {n}",
        "description": f"Description {n}",
        "price": f"{n + 1}.00",
        "weight_kg": n + 1.5,
        "stock": STOCK_SAMPLES[n],
        "active": n % 2 == 0,
        "released_on": f"2025-01-{n + 1:02d}",
        "restocked_at": f"2025-01-{n + 1:02d}T12:00:00Z",
        "supplier_ref": f"00000000-0000-4000-8000-{n:012d}",
        "contact": f"user{n}@example.com",
        "homepage": f"https://example.com/products/{n}",
        "attributes": {"n": n},
        "packaging": ["small", "medium", "large"][n % 3],
    }
    payload.update(changes)
    return {key: value for key, value in payload.items() if value is not MISSING}


async def create_product(
    client: AsyncClient, n: int = 0, /, **changes: Any
) -> dict[str, Any]:
    """Create a product through the API and return the response body."""
    response = await client.post(URL, json=valid_payload(n, **changes))
    assert response.status_code == 201, response.text
    body: dict[str, Any] = response.json()
    return body


def assert_matches(body: dict[str, Any], payload: dict[str, Any]) -> None:
    """Assert that every field of ``payload`` came back unchanged in ``body``."""
    assert body["sku"] == payload["sku"]
    assert body["name"] == payload["name"]
    assert body["description"] == payload["description"]
    assert Decimal(body["price"]) == Decimal(payload["price"])
    assert body["weight_kg"] == pytest.approx(payload["weight_kg"])
    assert body["stock"] == payload["stock"]
    assert body["active"] == payload["active"]
    assert body["released_on"] == payload["released_on"]
    assert datetime.fromisoformat(body["restocked_at"]) == datetime.fromisoformat(
        payload["restocked_at"]
    )
    assert body["supplier_ref"] == payload["supplier_ref"]
    assert body["contact"] == payload["contact"]
    assert body["homepage"] == payload["homepage"]
    assert body["attributes"] == payload["attributes"]
    assert body["packaging"] == payload["packaging"]


async def test_create_returns_the_new_product(client: AsyncClient) -> None:
    # Given a valid body
    payload = valid_payload()

    # When it is posted
    response = await client.post(URL, json=payload)

    # Then the product is created and returned with its id and timestamps
    assert response.status_code == 201, response.text
    body = response.json()
    assert_matches(body, payload)
    assert body["id"]
    assert body["created_at"]
    assert body["updated_at"]


async def test_create_applies_defaults(client: AsyncClient) -> None:
    # Given a body that leaves out every field that has a default
    payload = valid_payload(stock=MISSING, active=MISSING, packaging=MISSING)

    # When it is posted
    response = await client.post(URL, json=payload)

    # Then the defaults are stored
    assert response.status_code == 201, response.text
    assert response.json()["stock"] == 0
    assert response.json()["active"] is True
    assert response.json()["packaging"] == "medium"


async def test_get_returns_the_product(client: AsyncClient) -> None:
    # Given a product
    created = await create_product(client)

    # When it is fetched by id
    response = await client.get(f"{URL}/{created['id']}")

    # Then it is returned as created
    assert response.status_code == 200
    assert response.json() == created


async def test_get_unknown_id_answers_404(client: AsyncClient) -> None:
    # Given an id no product has / When it is fetched
    response = await client.get(f"{URL}/{MISSING_ID}")

    # Then 404 in the one error format
    assert response.status_code == 404
    assert response.json()["error_code"] == "NOT_FOUND"


async def test_list_pages_through_products(client: AsyncClient) -> None:
    # Given three products
    for n in range(3):
        await create_product(client, n)

    # When the list is read two at a time, and one page past the end
    first = (await client.get(URL, params={"size": 2})).json()
    second = (await client.get(URL, params={"size": 2, "page": 2})).json()
    beyond = (await client.get(URL, params={"size": 2, "page": 3})).json()

    # Then the pages hold every product exactly once, and each of them
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
    # Given three products created one after another, within a second
    created = [await create_product(client, n) for n in range(3)]

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
    # Given products created out of name order
    for n in (1, 0, 2):
        await create_product(client, n)

    # When they are listed by name, ascending then descending
    ascending = (await client.get(URL, params={"sort": "name"})).json()
    descending = (await client.get(URL, params={"sort": "-name"})).json()

    # Then the order follows the field
    expected = [valid_payload(n)["name"] for n in range(3)]
    assert [item["name"] for item in ascending["items"]] == expected
    assert [item["name"] for item in descending["items"]] == expected[::-1]


@pytest.mark.parametrize(
    "sort",
    [
        "sku",
        "-sku",
        "name",
        "-name",
        "price",
        "-price",
        "weight_kg",
        "-weight_kg",
        "stock",
        "-stock",
        "active",
        "-active",
        "released_on",
        "-released_on",
        "restocked_at",
        "-restocked_at",
        "supplier_ref",
        "-supplier_ref",
        "contact",
        "-contact",
        "homepage",
        "-homepage",
        "packaging",
        "-packaging",
        "created_at",
        "-created_at",
        "updated_at",
        "-updated_at",
    ],
)
async def test_list_sorts_by_every_allowed_value(
    client: AsyncClient, sort: str
) -> None:
    # Given a product
    created = await create_product(client)

    # When the list is sorted by an allowed value
    response = await client.get(URL, params={"sort": sort})

    # Then it is listed
    assert response.status_code == 200, response.text
    assert [item["id"] for item in response.json()["items"]] == [created["id"]]


async def test_list_refuses_an_unknown_sort_field(client: AsyncClient) -> None:
    # Given a sort field that is not on the allow-list / When the list is read
    response = await client.get(URL, params={"sort": "description"})

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
    ("param", "field"),
    [
        ("sku", "sku"),
        ("name", "name"),
        ("active", "active"),
        ("packaging", "packaging"),
    ],
)
async def test_list_filters_by_each_filterable_field(
    client: AsyncClient, param: str, field: str
) -> None:
    # Given two products that differ in the field
    wanted = await create_product(client, 0)
    other = await create_product(client, 1)
    assert wanted[field] != other[field]

    # When the list is filtered by the first one's value, then by the other's
    response = await client.get(URL, params={param: wanted[field]})
    other_response = await client.get(URL, params={param: other[field]})

    # Then each lists only the product with that value
    body = response.json()
    assert response.status_code == 200, body
    assert [item["id"] for item in body["items"]] == [wanted["id"]]
    assert [item["id"] for item in other_response.json()["items"]] == [other["id"]]


@pytest.mark.parametrize(
    ("param", "field"), [("sku", "sku"), ("name", "name"), ("packaging", "packaging")]
)
async def test_list_filters_by_several_values_of_a_field(
    client: AsyncClient, param: str, field: str
) -> None:
    # Given two products that differ in the field
    first = await create_product(client, 0)
    second = await create_product(client, 1)

    # When the list is filtered by both values, then by the second alone
    both = await client.get(URL, params={param: [first[field], second[field]]})
    one = await client.get(URL, params={param: [second[field]]})

    # Then the first lists both products, the second only the second one
    assert both.status_code == 200, both.text
    assert {item["id"] for item in both.json()["items"]} == {first["id"], second["id"]}
    assert [item["id"] for item in one.json()["items"]] == [second["id"]]


@pytest.mark.parametrize(
    "field", ["price", "weight_kg", "stock", "released_on", "restocked_at"]
)
async def test_list_filters_by_a_range_of_each_ordered_field(
    client: AsyncClient, field: str
) -> None:
    # Given two products, the second with the greater value
    low = await create_product(client, 0)
    high = await create_product(client, 1)
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

        # Then exactly the products within it are listed
        assert response.status_code == 200, response.text
        found = {item["id"] for item in response.json()["items"]}
        assert found == expected, (operator, bound[field])


@pytest.mark.parametrize(
    "field",
    [
        "description",
        "weight_kg",
        "released_on",
        "restocked_at",
        "supplier_ref",
        "contact",
        "homepage",
    ],
)
async def test_list_filters_by_whether_an_optional_field_is_set(
    client: AsyncClient, field: str
) -> None:
    # Given a product with a value in the field and one without
    with_value = await create_product(client, 0)
    without = await create_product(client, 1, **{field: None})
    assert with_value[field] is not None

    # When the list is filtered by "is null", true then false
    empty = await client.get(URL, params={f"{field}__isnull": "true"})
    filled = await client.get(URL, params={f"{field}__isnull": "false"})

    # Then each lists only the matching product
    assert empty.status_code == 200, empty.text
    assert [item["id"] for item in empty.json()["items"]] == [without["id"]]
    assert [item["id"] for item in filled.json()["items"]] == [with_value["id"]]


async def test_list_searches_case_insensitively(client: AsyncClient) -> None:
    # Given two products
    wanted = await create_product(client, 0)
    await create_product(client, 1)

    # When the list is searched for the first one's name in upper case (its last 100
    # characters at most: q's limit)
    response = await client.get(URL, params={"q": wanted["name"][-100:].upper()})

    # Then only that product is found
    body = response.json()
    assert response.status_code == 200, body
    assert [item["id"] for item in body["items"]] == [wanted["id"]]


async def test_list_search_treats_a_percent_sign_literally(client: AsyncClient) -> None:
    # Given two products, neither holding a percent sign
    await create_product(client, 0)
    await create_product(client, 1)

    # When the list is searched for "%", the SQL LIKE wildcard
    response = await client.get(URL, params={"q": "%"})

    # Then it matches only itself, so nothing is found
    body = response.json()
    assert response.status_code == 200, body
    assert body["items"] == []


async def test_replace_sets_every_field(client: AsyncClient) -> None:
    # Given a product
    created = await create_product(client, 0)
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
    # Given a product
    created = await create_product(client, 0)
    change = {"sku": valid_payload(1)["sku"]}

    # When one field is patched
    response = await client.patch(f"{URL}/{created['id']}", json=change)

    # Then that field changed and every other one is as it was
    assert response.status_code == 200, response.text
    assert_matches(response.json(), {**valid_payload(0), **change})


@pytest.mark.parametrize(
    "field", ["sku", "name", "price", "stock", "active", "packaging"]
)
async def test_update_refuses_null_for_a_required_field(
    client: AsyncClient, field: str
) -> None:
    # Given a product
    created = await create_product(client)

    # When a field it cannot lack is set to null
    response = await client.patch(f"{URL}/{created['id']}", json={field: None})

    # Then 422 names the field
    assert response.status_code == 422
    assert response.json()["errors"][0]["loc"] == ["body", field]


@pytest.mark.parametrize(
    "field", ["sku", "name", "price", "stock", "active", "packaging"]
)
async def test_openapi_says_a_required_field_may_be_left_out_but_not_null(
    client: AsyncClient, field: str
) -> None:
    # Given the OpenAPI document / When the PATCH body's schema of the field is read
    document = (await client.get("/openapi.json")).json()
    schema = document["components"]["schemas"]["ProductUpdate"]

    # Then it is optional, and neither its type nor its default is null
    assert field not in schema.get("required", [])
    field_schema = schema["properties"][field]
    assert {"type": "null"} not in field_schema.get("anyOf", [])
    assert field_schema.get("type") != "null"
    assert "default" not in field_schema


async def test_openapi_links_a_created_product_to_what_its_ids_lead_to(
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
    assert links["GetProduct"] == {
        "operationId": "products-get",
        "parameters": {"product_id": "$response.body#/id"},
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
        ("sku", ""),
        ("name", "x" * 1),
        ("description", "x" * 2001),
        ("price", -0.01),
        ("price", 100000.01),
        ("weight_kg", -1),
        ("weight_kg", 1001),
        ("stock", -1),
    ],
)
async def test_the_database_refuses_a_value_out_of_bounds(
    client: AsyncClient, session: AsyncSession, field: str, value: object
) -> None:
    # Given a product, stored through the API
    await create_product(client)

    # When a field is set past the API to a value its bounds refuse
    # Then the database's CHECK constraint refuses it too
    with pytest.raises(IntegrityError):
        async with session.begin_nested():
            await session.execute(update(Product).values({field: value}))


async def test_update_unknown_id_answers_404(client: AsyncClient) -> None:
    response = await client.patch(f"{URL}/{MISSING_ID}", json={})

    assert response.status_code == 404


async def test_delete_removes_the_product(client: AsyncClient) -> None:
    # Given a product
    created = await create_product(client)

    # When it is deleted
    response = await client.delete(f"{URL}/{created['id']}")

    # Then it is gone
    assert response.status_code == 204
    assert (await client.get(f"{URL}/{created['id']}")).status_code == 404


async def test_delete_unknown_id_answers_404(client: AsyncClient) -> None:
    response = await client.delete(f"{URL}/{MISSING_ID}")

    assert response.status_code == 404


@pytest.mark.parametrize("field", ["sku"])
async def test_duplicate_unique_value_answers_409(
    client: AsyncClient, field: str
) -> None:
    # Given a product
    first = await create_product(client, 0)

    # When another one is created with the same value of a unique field
    response = await client.post(URL, json=valid_payload(1, **{field: first[field]}))

    # Then 409 in the one error format
    assert response.status_code == 409, response.text
    assert response.json()["error_code"] == "CONFLICT"


@pytest.mark.parametrize("field", ["sku"])
async def test_update_to_a_taken_unique_value_answers_409(
    client: AsyncClient, field: str
) -> None:
    # Given two products
    first = await create_product(client, 0)
    second = await create_product(client, 1)

    # When the second takes the first one's value of a unique field
    response = await client.patch(f"{URL}/{second['id']}", json={field: first[field]})

    # Then 409
    assert response.status_code == 409, response.text


@pytest.mark.parametrize(
    ("field", "value", "error_type"),
    [
        ("sku", MISSING, "missing"),
        ("sku", "x" * 13, "string_too_long"),
        ("sku", "", "string_too_short"),
        ("sku", "!", "string_pattern_mismatch"),
        ("name", MISSING, "missing"),
        ("name", "x" * 121, "string_too_long"),
        ("name", "x" * 1, "string_too_short"),
        ("name", "\x00" * 2, "string_pattern_mismatch"),
        ("description", "x" * 2001, "string_too_long"),
        ("description", "\x00", "string_pattern_mismatch"),
        ("price", MISSING, "missing"),
        ("price", 1, "decimal_parsing"),
        ("price", "-1", "greater_than_equal"),
        ("price", "100001", "less_than_equal"),
        ("price", "111111111", "decimal_whole_digits"),
        ("price", "0.111", "decimal_max_places"),
        ("price", "0.000", "string_pattern_mismatch"),
        ("weight_kg", "1.5", "float_type"),
        ("weight_kg", -1.0, "greater_than_equal"),
        ("weight_kg", 1001.0, "less_than_equal"),
        ("stock", "1", "int_type"),
        ("stock", -1, "greater_than_equal"),
        ("stock", 2147483648, "less_than_equal"),
        ("active", 0, "bool_type"),
        ("released_on", 0, "date_parsing"),
        ("restocked_at", "2025-01-31T12:00:00", "timezone_aware"),
        ("restocked_at", 0, "datetime_parsing"),
        ("supplier_ref", "not-a-uuid", "uuid_parsing"),
        ("contact", "not-an-email", "value_error"),
        ("homepage", "not a url", "url_parsing"),
        ("attributes", [1, 2], "dict_type"),
        ("packaging", "no-such-choice", "enum"),
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


async def test_a_user_may_read_products_but_not_change_them(
    client: AsyncClient, user_client: AsyncClient
) -> None:
    # Given a product an administrator created
    created = await create_product(client)

    # When a signed-in user reads it, then tries to change and delete it
    listed = await user_client.get(URL)
    fetched = await user_client.get(f"{URL}/{created['id']}")
    changed = await user_client.patch(f"{URL}/{created['id']}", json={})
    deleted = await user_client.delete(f"{URL}/{created['id']}")

    # Then reading succeeds, changing answers 403, and the product is unchanged
    assert [item["id"] for item in listed.json()["items"]] == [created["id"]]
    assert fetched.json() == created
    assert (changed.status_code, deleted.status_code) == (403, 403)
    assert (await client.get(f"{URL}/{created['id']}")).json() == created
