"""Access tokens: no guessable signing key, issuer and audience, clock skew."""

from datetime import UTC, datetime, timedelta
from typing import Any

import jwt
import pytest
from fastapi import FastAPI
from httpx import AsyncClient, Response

from app.core.config import Settings
from app.core.security import create_access_token
from app.main import create_app
from app.models.user import User

ME = "/api/v1/auth/me"
FORMER_DEFAULT_KEY = "development-only-secret-key-replace-me-in-production"
"""The constant key that older versions of this template signed with."""


def token(user: User, settings: Settings, key: str, **changes: Any) -> str:
    """An access token for ``user`` signed with ``key``, ``changes`` applied."""
    now = datetime.now(UTC)
    claims: dict[str, Any] = {
        "sub": str(user.id),
        "type": "access",
        "iss": settings.jwt_issuer,
        "aud": settings.jwt_audience,
        "iat": now,
        "exp": now + timedelta(minutes=5),
        **changes,
    }
    return jwt.encode(claims, key, algorithm=settings.jwt_algorithm)


async def me(client: AsyncClient, bearer: str) -> Response:
    """Read ``/auth/me`` with ``bearer`` as the access token."""
    return await client.get(ME, headers={"Authorization": f"Bearer {bearer}"})


@pytest.fixture
def app(settings: Settings, monkeypatch: pytest.MonkeyPatch) -> FastAPI:
    """The application started without SECRET_KEY, in development."""
    monkeypatch.delenv("SECRET_KEY", raising=False)
    return create_app(
        Settings(
            _env_file=None,
            environment="development",
            database_url=settings.database_url,
        )
    )


@pytest.fixture
def app_settings(app: FastAPI) -> Settings:
    """The settings the application runs with, its random signing key included."""
    settings: Settings = app.state.settings
    return settings


# Short keys are what an attacker guesses; PyJWT warns about signing with them.
@pytest.mark.filterwarnings("ignore:The HMAC key is .* below the minimum")
@pytest.mark.parametrize(
    "guess",
    [FORMER_DEFAULT_KEY, "secret", "changeme", "development", "x" * 64],
)
async def test_without_a_key_no_guessed_key_forges_a_token(
    client: AsyncClient, app_settings: Settings, user: User, guess: str
) -> None:
    # Given an app started without SECRET_KEY, which signs with a random key
    own = create_access_token(str(user.id), app_settings)
    assert (await me(client, own)).status_code == 200

    # When a token is forged with a guessed key / Then it is refused
    forged = token(user, app_settings, guess)
    assert (await me(client, forged)).status_code == 401


@pytest.mark.parametrize("claim", ["iss", "aud"])
async def test_a_token_of_another_issuer_or_audience_answers_401(
    client: AsyncClient, user: User, app_settings: Settings, claim: str
) -> None:
    # Given a token with the right key but another issuer or audience
    key = app_settings.secret_key.get_secret_value()
    forged = token(user, app_settings, key, **{claim: "another-service"})

    # When it is used / Then 401
    assert (await me(client, forged)).status_code == 401


async def test_issued_tokens_name_this_service_as_issuer_and_audience(
    user: User, app_settings: Settings
) -> None:
    encoded = create_access_token(str(user.id), app_settings)

    claims = jwt.decode(encoded, options={"verify_signature": False})

    assert claims["iss"] == app_settings.jwt_issuer == "every-field"
    assert claims["aud"] == app_settings.jwt_audience


@pytest.mark.parametrize(("seconds_ago", "status"), [(5, 200), (120, 401)])
async def test_clock_skew_within_the_leeway_is_allowed(
    client: AsyncClient,
    user: User,
    app_settings: Settings,
    seconds_ago: int,
    status: int,
) -> None:
    # Given a token that expired a few seconds ago, or well past the leeway
    assert app_settings.jwt_leeway_seconds == 30
    expired = datetime.now(UTC) - timedelta(seconds=seconds_ago)
    key = app_settings.secret_key.get_secret_value()
    issued = expired - timedelta(minutes=5)
    old = token(user, app_settings, key, exp=expired, iat=issued)

    # When it is used / Then it passes within the leeway only
    assert (await me(client, old)).status_code == status
