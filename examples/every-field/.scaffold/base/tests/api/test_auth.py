"""Registration, login, token refresh and logout, over HTTP with bearer tokens."""

import logging
from datetime import UTC, datetime, timedelta
from typing import Any

import jwt
import pytest
from fastapi import FastAPI
from httpx import AsyncClient, Response
from sqlalchemy.ext.asyncio import AsyncSession

from app.core.config import Settings
from app.core.rate_limit import RateLimiter
from app.core.security import create_access_token
from app.models.user import User
from tests.auth import PASSWORD, create_user

AUTH = "/api/v1/auth"


async def log_in(client: AsyncClient, email: str, password: str = PASSWORD) -> Response:
    """Post the OAuth2 password form to the login endpoint."""
    return await client.post(
        f"{AUTH}/login", data={"username": email, "password": password}
    )


async def tokens_of(client: AsyncClient, user: User) -> dict[str, Any]:
    """Log ``user`` in and return the token response body."""
    response = await log_in(client, user.email)
    assert response.status_code == 200, response.text
    body: dict[str, Any] = response.json()
    return body


def signed(claims: dict[str, Any], settings: Settings, **options: Any) -> str:
    """A JWT with ``claims``, signed with the application's key by default."""
    key = options.pop("key", settings.secret_key.get_secret_value())
    algorithm = options.pop("algorithm", settings.jwt_algorithm)
    return jwt.encode(claims, key, algorithm=algorithm)


def claims_for(user: User, settings: Settings, **changes: Any) -> dict[str, Any]:
    """Valid access token claims for ``user``, with ``changes`` applied."""
    now = datetime.now(UTC)
    claims: dict[str, Any] = {
        "sub": str(user.id),
        "type": "access",
        "iss": settings.jwt_issuer,
        "aud": settings.jwt_audience,
        "iat": now,
        "exp": now + timedelta(minutes=5),
    }
    claims.update(changes)
    return {key: value for key, value in claims.items() if value is not None}


async def me(client: AsyncClient, token: str) -> Response:
    """Read ``/auth/me`` with ``token`` as the bearer token."""
    return await client.get(f"{AUTH}/me", headers={"Authorization": f"Bearer {token}"})


def test_openapi_offers_the_password_flow_of_the_login_endpoint(app: FastAPI) -> None:
    # Given the application / When its OpenAPI document is built
    schemes = app.openapi()["components"]["securitySchemes"]

    # Then the docs' Authorize button logs in through /auth/login
    flow = schemes["OAuth2PasswordBearer"]["flows"]["password"]
    assert flow["tokenUrl"] == f"{AUTH}/login"


def test_openapi_gives_the_password_length_the_api_checks(
    app: FastAPI, settings: Settings
) -> None:
    # Given the application / When its OpenAPI document is built
    schemas = app.openapi()["components"]["schemas"]

    # Then every new password's minimum is PASSWORD_MIN_LENGTH, as checked
    minimum = settings.password_min_length
    assert schemas["UserCreate"]["properties"]["password"]["minLength"] == minimum
    new_password = schemas["PasswordChange"]["properties"]["new_password"]
    assert new_password["minLength"] == minimum


async def test_register_creates_a_user_without_revealing_the_password(
    client: AsyncClient,
) -> None:
    # Given a new email address and a password
    payload = {"email": "new@example.com", "password": "a-long-secret-phrase"}

    # When they are registered
    response = await client.post(f"{AUTH}/register", json=payload)

    # Then a plain user is created, and no password or hash comes back
    assert response.status_code == 201, response.text
    body = response.json()
    assert body["email"] == "new@example.com"
    assert body["role"] == "user"
    assert body["is_active"] is True
    assert "password" not in response.text
    assert "hashed_password" not in body


async def test_register_refuses_a_taken_email_in_any_case(
    client: AsyncClient, user: User
) -> None:
    # Given a registered user / When someone registers their email in upper case
    payload = {"email": user.email.upper(), "password": "another-long-phrase"}
    response = await client.post(f"{AUTH}/register", json=payload)

    # Then 409
    assert response.status_code == 409
    assert response.json()["error_code"] == "CONFLICT"


@pytest.mark.parametrize("password", ["pw-7", "x" * 129])
async def test_register_refuses_a_password_of_bad_length_without_echoing_it(
    client: AsyncClient, password: str
) -> None:
    # Given a password too short or too long / When it is registered
    payload = {"email": "new@example.com", "password": password}
    response = await client.post(f"{AUTH}/register", json=payload)

    # Then 422 names the field, and the password is not in the answer
    assert response.status_code == 422
    assert response.json()["errors"][0]["loc"] == ["body", "password"]
    assert password not in response.text


async def test_login_returns_bearer_tokens(client: AsyncClient, user: User) -> None:
    # Given a registered user / When they log in
    body = await tokens_of(client, user)

    # Then an access and a refresh token are handed out
    assert body["token_type"] == "bearer"
    assert body["expires_in"] > 0
    assert body["refresh_token"]

    # And the access token identifies them
    response = await me(client, body["access_token"])
    assert response.status_code == 200
    assert response.json()["email"] == user.email


async def test_login_accepts_the_email_in_any_case(
    client: AsyncClient, user: User
) -> None:
    response = await log_in(client, user.email.upper())

    assert response.status_code == 200, response.text


@pytest.mark.parametrize(
    ("email", "password"),
    [
        ("user@example.com", "wrong-password"),
        ("nobody@example.com", PASSWORD),
        ("user@example.com", "x" * 1000),
        ("user\x00@example.com", PASSWORD),  # PostgreSQL refuses NUL in a query
        ("user@example.com", "wrong\x00password"),
    ],
)
async def test_login_with_wrong_credentials_answers_401_alike(
    client: AsyncClient, user: User, email: str, password: str
) -> None:
    # Given a wrong password or an unknown email / When they are used to log in
    response = await log_in(client, email, password)

    # Then 401, with the same detail either way and no password echoed
    assert response.status_code == 401
    assert response.json()["detail"] == "Incorrect email or password"
    assert response.headers["WWW-Authenticate"] == "Bearer"
    assert password not in response.text


async def test_login_of_a_deactivated_user_answers_403(
    client: AsyncClient, session: AsyncSession, settings: Settings
) -> None:
    # Given a deactivated user
    await create_user(session, settings, "gone@example.com", is_active=False)

    # When they log in with the right password
    response = await log_in(client, "gone@example.com")

    # Then 403
    assert response.status_code == 403


async def test_login_rehashes_a_password_hashed_with_old_parameters(
    client: AsyncClient, session: AsyncSession, settings: Settings
) -> None:
    # Given a user whose password was hashed with other Argon2 parameters
    old = settings.model_copy(update={"password_hash_time_cost": 2})
    user = await create_user(session, old, "old@example.com")
    old_hash = user.hashed_password

    # When they log in
    response = await log_in(client, user.email)

    # Then the stored hash is replaced by one with the current parameters
    assert response.status_code == 200
    await session.refresh(user)
    assert user.hashed_password != old_hash
    assert f"t={settings.password_hash_time_cost}," in user.hashed_password


async def test_me_without_a_token_answers_401(client: AsyncClient) -> None:
    response = await client.get(f"{AUTH}/me")

    assert response.status_code == 401
    assert response.json()["error_code"] == "UNAUTHORIZED"
    assert response.headers["WWW-Authenticate"] == "Bearer"


async def test_expired_token_answers_401(
    client: AsyncClient, user: User, settings: Settings
) -> None:
    # Given a token issued long enough ago to have expired
    issued = datetime.now(UTC) - timedelta(hours=2)
    token = create_access_token(str(user.id), settings, now=issued)

    # When it is used / Then 401
    assert (await me(client, token)).status_code == 401


async def test_tampered_token_answers_401(
    client: AsyncClient, user: User, other_user: User, settings: Settings
) -> None:
    # Given a valid token whose payload is swapped for another user's
    token = create_access_token(str(user.id), settings)
    header, _, signature = token.split(".")
    forged_payload = signed(claims_for(other_user, settings), settings).split(".")[1]
    forged = f"{header}.{forged_payload}.{signature}"

    # When it is used / Then 401
    assert (await me(client, forged)).status_code == 401


async def test_unsigned_token_answers_401(
    client: AsyncClient, user: User, settings: Settings
) -> None:
    # Given a token with "alg": "none" and no signature
    token = jwt.encode(claims_for(user, settings), key=None, algorithm="none")

    # When it is used / Then 401
    assert (await me(client, token)).status_code == 401


async def test_token_signed_with_another_algorithm_answers_401(
    client: AsyncClient, user: User, settings: Settings
) -> None:
    # Given a token signed with the right key but another algorithm
    other = "HS384" if settings.jwt_algorithm != "HS384" else "HS256"
    token = signed(claims_for(user, settings), settings, algorithm=other)

    # When it is used / Then 401
    assert (await me(client, token)).status_code == 401


async def test_token_signed_with_another_key_answers_401(
    client: AsyncClient, user: User, settings: Settings
) -> None:
    token = signed(claims_for(user, settings), settings, key="another-key-" * 4)

    assert (await me(client, token)).status_code == 401


@pytest.mark.parametrize("claim", ["sub", "exp", "iat", "iss", "aud"])
async def test_token_without_a_required_claim_answers_401(
    client: AsyncClient, user: User, settings: Settings, claim: str
) -> None:
    token = signed(claims_for(user, settings, **{claim: None}), settings)

    assert (await me(client, token)).status_code == 401


async def test_token_of_a_deactivated_user_answers_401(
    client: AsyncClient, session: AsyncSession, user: User, settings: Settings
) -> None:
    # Given a valid token of a user who is then deactivated
    token = create_access_token(str(user.id), settings)
    user.is_active = False
    await session.commit()

    # When it is used / Then 401
    assert (await me(client, token)).status_code == 401


async def test_refresh_rotates_the_tokens(client: AsyncClient, user: User) -> None:
    # Given a logged-in user
    first = await tokens_of(client, user)

    # When they refresh
    response = await client.post(
        f"{AUTH}/refresh", json={"refresh_token": first["refresh_token"]}
    )

    # Then new tokens are handed out, which work
    assert response.status_code == 200, response.text
    second = response.json()
    assert second["refresh_token"] != first["refresh_token"]
    assert (await me(client, second["access_token"])).status_code == 200


async def test_reusing_a_refresh_token_revokes_the_whole_chain(
    client: AsyncClient, user: User
) -> None:
    # Given a refresh token that was already exchanged for a newer one
    first = await tokens_of(client, user)
    old = {"refresh_token": first["refresh_token"]}
    newer = (await client.post(f"{AUTH}/refresh", json=old)).json()

    # When the old one is presented again
    reused = await client.post(f"{AUTH}/refresh", json=old)

    # Then it is refused, and so is the newer one of the same chain
    assert reused.status_code == 401
    again = {"refresh_token": newer["refresh_token"]}
    assert (await client.post(f"{AUTH}/refresh", json=again)).status_code == 401


async def test_refresh_with_an_unknown_token_answers_401(client: AsyncClient) -> None:
    response = await client.post(f"{AUTH}/refresh", json={"refresh_token": "forged"})

    assert response.status_code == 401


async def test_refresh_without_a_token_answers_401(client: AsyncClient) -> None:
    assert (await client.post(f"{AUTH}/refresh")).status_code == 401


async def test_logout_revokes_the_refresh_token(
    client: AsyncClient, user: User
) -> None:
    # Given a logged-in user
    tokens = await tokens_of(client, user)
    body = {"refresh_token": tokens["refresh_token"]}

    # When they log out
    response = await client.post(f"{AUTH}/logout", json=body)

    # Then their refresh token no longer works
    assert response.status_code == 204
    assert (await client.post(f"{AUTH}/refresh", json=body)).status_code == 401


async def test_login_is_rate_limited(
    app: FastAPI, client: AsyncClient, user: User
) -> None:
    # Given a limit of two login attempts a minute
    app.state.rate_limiter = RateLimiter("2/minute", "async+memory://")

    # When a client tries three times
    statuses = [(await log_in(client, user.email)).status_code for _ in range(3)]

    # Then the third attempt answers 429 in the one error format
    assert statuses == [200, 200, 429]
    response = await log_in(client, user.email)
    assert response.json()["error_code"] == "TOO_MANY_REQUESTS"
    assert int(response.headers["Retry-After"]) >= 1


@pytest.mark.parametrize(
    ("path", "body"),
    [
        ("/register", {"email": "new@example.com", "password": "long-enough-1"}),
        ("/refresh", {"refresh_token": "unknown"}),
    ],
)
async def test_register_and_refresh_are_rate_limited(
    app: FastAPI, client: AsyncClient, path: str, body: dict[str, str]
) -> None:
    # Given a limit of one request a minute
    app.state.rate_limiter = RateLimiter("1/minute", "async+memory://")

    # When a client sends two requests / Then the second answers 429
    await client.post(f"{AUTH}{path}", json=body)
    response = await client.post(f"{AUTH}{path}", json=body)
    assert response.status_code == 429


async def test_neither_passwords_nor_tokens_are_logged(
    client: AsyncClient, user: User, caplog: pytest.LogCaptureFixture
) -> None:
    # Given every log record captured
    caplog.set_level(logging.DEBUG)

    # When a user logs in, fails to, refreshes and logs out
    tokens = await tokens_of(client, user)
    await log_in(client, user.email, "wrong-password-123")
    body = {"refresh_token": tokens["refresh_token"]}
    await client.post(f"{AUTH}/refresh", json=body)
    await client.post(f"{AUTH}/logout", json=body)

    # Then the requests were logged, but no password and no token
    assert f"{AUTH}/login" in caplog.text
    secrets = [PASSWORD, "wrong-password-123", *body.values(), tokens["access_token"]]
    for secret in secrets:
        assert secret not in caplog.text
