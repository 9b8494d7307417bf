"""User management: administrators only; 401 without a token, 403 without the role."""

import pytest
from fastapi import FastAPI
from httpx import AsyncClient

from app.models.user import User

URL = "/api/v1/users"
MISSING_ID = 2147483647


async def test_admin_lists_users_without_their_passwords(
    admin_client: AsyncClient, user: User
) -> None:
    # Given an administrator and a user / When the administrator lists users
    response = await admin_client.get(URL)

    # Then both are listed, with no password hash
    assert response.status_code == 200, response.text
    body = response.json()
    assert body["total"] == 2
    assert {item["email"] for item in body["items"]} == {
        "admin@example.com",
        user.email,
    }
    assert "hashed_password" not in response.text


@pytest.mark.parametrize(
    ("method", "path"),
    [
        ("GET", ""),
        ("GET", "/{id}"),
        ("PATCH", "/{id}"),
        ("DELETE", "/{id}"),
    ],
)
async def test_every_endpoint_answers_401_without_a_token_and_403_to_a_user(
    client: AsyncClient, user_client: AsyncClient, user: User, method: str, path: str
) -> None:
    # Given a route of the user management
    url = URL + path.format(id=user.id)
    body = {"role": "admin"} if method == "PATCH" else None

    # When it is called anonymously, then by a user without the admin role
    anonymous = await client.request(method, url, json=body)
    signed_in = await user_client.request(method, url, json=body)

    # Then 401 and 403, in the one error format
    assert anonymous.status_code == 401
    assert anonymous.json()["error_code"] == "UNAUTHORIZED"
    assert signed_in.status_code == 403
    assert signed_in.json()["error_code"] == "FORBIDDEN"


async def test_admin_gets_a_user(admin_client: AsyncClient, user: User) -> None:
    response = await admin_client.get(f"{URL}/{user.id}")

    assert response.status_code == 200
    assert response.json()["email"] == user.email


async def test_admin_gets_404_for_an_unknown_user(admin_client: AsyncClient) -> None:
    response = await admin_client.get(f"{URL}/{MISSING_ID}")

    assert response.status_code == 404


async def test_admin_promotes_and_deactivates_a_user(
    admin_client: AsyncClient, user: User
) -> None:
    # Given a user / When the administrator makes them an inactive admin
    response = await admin_client.patch(
        f"{URL}/{user.id}", json={"role": "admin", "is_active": False}
    )

    # Then both changes are stored
    assert response.status_code == 200, response.text
    assert response.json()["role"] == "admin"
    assert response.json()["is_active"] is False


async def test_deactivated_user_is_signed_out(
    admin_client: AsyncClient, user_client: AsyncClient, user: User
) -> None:
    # Given a user who is deactivated
    await admin_client.patch(f"{URL}/{user.id}", json={"is_active": False})

    # When their still unexpired token is used / Then 401
    assert (await user_client.get("/api/v1/auth/me")).status_code == 401


@pytest.mark.parametrize("change", [{"role": "user"}, {"is_active": False}])
async def test_admin_cannot_demote_or_deactivate_themself(
    admin_client: AsyncClient, admin: User, change: dict[str, object]
) -> None:
    response = await admin_client.patch(f"{URL}/{admin.id}", json=change)

    assert response.status_code == 409


@pytest.mark.parametrize(
    "change", [{"role": None}, {"is_active": None}, {"is_active": 0}]
)
async def test_update_refuses_null_and_what_is_not_a_boolean(
    admin_client: AsyncClient, app: FastAPI, user: User, change: dict[str, object]
) -> None:
    # Given a change the schema does not allow: null, or 0 for false
    # When it is sent
    response = await admin_client.patch(f"{URL}/{user.id}", json=change)

    # Then 422, and the schema says so: it allows no null
    assert response.status_code == 422
    [field] = change
    schema = app.openapi()["components"]["schemas"]["UserUpdate"]["properties"]
    assert "null" not in str(schema[field])


async def test_admin_deletes_a_user(admin_client: AsyncClient, user: User) -> None:
    # Given a user / When the administrator deletes them
    response = await admin_client.delete(f"{URL}/{user.id}")

    # Then they are gone
    assert response.status_code == 204
    assert (await admin_client.get(f"{URL}/{user.id}")).status_code == 404


async def test_admin_cannot_delete_themself(
    admin_client: AsyncClient, admin: User
) -> None:
    response = await admin_client.delete(f"{URL}/{admin.id}")

    assert response.status_code == 409
