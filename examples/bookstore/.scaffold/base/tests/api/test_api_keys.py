"""API keys: created by administrators, shown once, acting as their user."""

from datetime import UTC, datetime, timedelta
from typing import Any
from uuid import UUID

import pytest
from httpx import AsyncClient
from sqlalchemy.ext.asyncio import AsyncSession

from app.models.api_key import ApiKey
from app.models.user import User

KEYS = "/api/v1/api-keys"
MISSING_ID = "00000000-0000-4000-8000-000000000000"


async def create_key(admin_client: AsyncClient, **body: Any) -> dict[str, Any]:
    """Create an API key as an administrator and return the answer."""
    response = await admin_client.post(KEYS, json={"name": "billing sync", **body})
    assert response.status_code == 201, response.text
    created: dict[str, Any] = response.json()
    return created


async def test_a_key_is_shown_once_and_never_listed(admin_client: AsyncClient) -> None:
    # Given a key an administrator created
    created = await create_key(admin_client)

    # When the keys are listed
    response = await admin_client.get(KEYS)

    # Then the key was shown at creation only; the list shows its prefix
    assert created["key"].startswith("sk_")
    assert created["prefix"] == created["key"][:12]
    assert created["role"] == "admin"
    assert response.status_code == 200
    [listed] = response.json()["items"]
    assert listed["id"] == created["id"]
    assert listed["prefix"] == created["prefix"]
    assert "key" not in listed
    assert created["key"] not in response.text


async def test_the_key_is_stored_as_a_digest(
    admin_client: AsyncClient, session: AsyncSession
) -> None:
    # Given a new key
    created = await create_key(admin_client)

    # When its row is read
    api_key = await session.get(ApiKey, UUID(created["id"]))

    # Then the row holds a digest of the key, never the key
    assert api_key is not None
    assert len(api_key.key_digest) == 64
    assert created["key"] not in {api_key.key_digest, api_key.prefix}


async def test_an_admin_key_acts_as_its_administrator(
    admin_client: AsyncClient, client: AsyncClient, admin: User
) -> None:
    # Given a key of the administrator
    email = admin.email
    key = (await create_key(admin_client))["key"]

    # When a service sends it to an administrators' route
    response = await client.get("/api/v1/users", headers={"X-API-Key": key})
    me = await client.get("/api/v1/auth/me", headers={"X-API-Key": key})

    # Then it is let in as that administrator
    assert response.status_code == 200
    assert me.json()["email"] == email


async def test_a_user_role_key_is_refused_on_admin_routes(
    admin_client: AsyncClient, client: AsyncClient, user: User
) -> None:
    # Given a key acting as a user without the admin role
    email = user.email
    created = await create_key(admin_client, user_id=str(user.id))
    headers = {"X-API-Key": created["key"]}

    # When it is sent to a route for signed-in users and to one for admins
    me = await client.get("/api/v1/auth/me", headers=headers)
    users = await client.get("/api/v1/users", headers=headers)

    # Then the first lets it in as the user, the second refuses it
    assert created["role"] == "user"
    assert me.status_code == 200
    assert me.json()["email"] == email
    assert users.status_code == 403


async def test_a_revoked_key_is_refused(
    admin_client: AsyncClient, client: AsyncClient
) -> None:
    # Given a key that was revoked
    created = await create_key(admin_client)
    revoked = await admin_client.delete(f"{KEYS}/{created['id']}")
    assert revoked.status_code == 204

    # When it is sent
    headers = {"X-API-Key": created["key"]}
    response = await client.get("/api/v1/auth/me", headers=headers)

    # Then it is refused, and listed as revoked
    assert response.status_code == 401
    assert response.json()["error_code"] == "UNAUTHORIZED"
    [listed] = (await admin_client.get(KEYS)).json()["items"]
    assert listed["revoked_at"] is not None


async def test_an_expired_key_is_refused(
    admin_client: AsyncClient, client: AsyncClient, session: AsyncSession
) -> None:
    # Given a key whose expiry has passed
    created = await create_key(admin_client, expires_in_days=1)
    api_key = await session.get(ApiKey, UUID(created["id"]))
    assert api_key is not None
    api_key.expires_at = datetime.now(UTC) - timedelta(seconds=1)
    await session.commit()

    # When it is sent
    headers = {"X-API-Key": created["key"]}
    response = await client.get("/api/v1/auth/me", headers=headers)

    # Then it is refused
    assert response.status_code == 401


async def test_a_wrong_key_is_refused(client: AsyncClient) -> None:
    # Given a key nobody issued
    # When it is sent
    response = await client.get(
        "/api/v1/auth/me", headers={"X-API-Key": "sk_not-a-key-anyone-issued"}
    )

    # Then it is refused
    assert response.status_code == 401


async def test_wrong_keys_are_rate_limited(client: AsyncClient) -> None:
    # Given a client guessing keys
    # When it keeps guessing past the limit
    statuses = []
    for guess in range(11):
        headers = {"X-API-Key": f"sk_guess{guess}"}
        response = await client.get("/api/v1/auth/me", headers=headers)
        statuses.append(response.status_code)

    # Then it is refused with 429 once the limit is reached
    assert statuses[:10] == [401] * 10
    assert statuses[10] == 429


async def test_only_administrators_manage_keys(user_client: AsyncClient) -> None:
    # Given a signed-in user without the admin role
    # When they try to create or list keys
    created = await user_client.post(KEYS, json={"name": "mine"})
    listed = await user_client.get(KEYS)

    # Then both are refused
    assert created.status_code == 403
    assert listed.status_code == 403


async def test_a_key_for_an_unknown_user_is_refused(admin_client: AsyncClient) -> None:
    # Given a user id nobody has
    # When a key is asked for it
    response = await admin_client.post(
        KEYS, json={"name": "ghost", "user_id": MISSING_ID}
    )

    # Then it is refused
    assert response.status_code == 404


@pytest.mark.parametrize("user_id", [True, 0, -(2**64), 2**64])
async def test_a_user_id_that_is_no_id_is_refused(
    admin_client: AsyncClient, user_id: object
) -> None:
    # Given a boolean, or a number no id can be, for the user id
    # When a key is asked for it
    response = await admin_client.post(KEYS, json={"name": "flag", "user_id": user_id})

    # Then it is refused as invalid, naming the field
    assert response.status_code == 422, response.text
    assert response.json()["errors"][0]["loc"] == ["body", "user_id"]


async def test_revoking_an_unknown_key_answers_404(admin_client: AsyncClient) -> None:
    # Given a key id nobody has
    # When it is revoked
    response = await admin_client.delete(f"{KEYS}/{MISSING_ID}")

    # Then the answer is 404
    assert response.status_code == 404
