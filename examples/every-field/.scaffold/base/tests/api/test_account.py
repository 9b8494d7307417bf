"""A user's account: password change and reset, logging out everywhere, and the
sessions that role changes, deactivation and time end.
"""

import logging
from datetime import UTC, datetime, timedelta
from email.message import EmailMessage
from typing import Any, cast
from urllib.parse import parse_qs, urlsplit

import pytest
from fastapi import FastAPI
from httpx import AsyncClient, Response
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession

from app.api.v1.endpoints.auth import get_mail_sender
from app.core.config import Settings
from app.core.rate_limit import RateLimiter
from app.models.password_reset_token import PasswordResetToken
from app.models.refresh_token import RefreshToken
from app.models.user import User
from tests.auth import PASSWORD, auth_headers

AUTH = "/api/v1/auth"
NEW_PASSWORD = "a-brand-new-passphrase"


class Outbox:
    """A mail sender that keeps what it is given."""

    def __init__(self) -> None:
        self.messages: list[EmailMessage] = []

    async def send(self, message: EmailMessage) -> None:
        """Keep ``message``."""
        self.messages.append(message)

    def reset_token(self) -> str:
        """The token in the link of the last mail."""
        body: str = self.messages[-1].get_content()
        link = next(word for word in body.split() if "token=" in word)
        return parse_qs(urlsplit(link).query)["token"][0]


@pytest.fixture
def outbox(api: FastAPI) -> Outbox:
    """The mail the application sends, kept instead of sent."""
    outbox = Outbox()
    api.dependency_overrides[get_mail_sender] = lambda: outbox
    return outbox


async def log_in(client: AsyncClient, email: str, password: str = PASSWORD) -> Response:
    """Post the login form."""
    return await client.post(
        f"{AUTH}/login", data={"username": email, "password": password}
    )


async def session_of(client: AsyncClient, user: User) -> dict[str, Any]:
    """Log ``user`` in; return the token response."""
    response = await log_in(client, user.email)
    assert response.status_code == 200, response.text
    return cast(dict[str, Any], response.json())


async def refresh(client: AsyncClient, tokens: dict[str, Any]) -> Response:
    """Exchange the refresh token of ``tokens``."""
    body = {"refresh_token": tokens["refresh_token"]}
    return await client.post(f"{AUTH}/refresh", json=body)


def bearer(tokens: dict[str, Any]) -> dict[str, str]:
    """The Authorization header of the access token in ``tokens``."""
    return {"Authorization": f"Bearer {tokens['access_token']}"}


def security_events(caplog: pytest.LogCaptureFixture) -> list[dict[str, Any]]:
    """The security events logged, as structlog event dictionaries."""
    return [
        cast(dict[str, Any], record.msg)
        for record in caplog.records
        if record.name == "app.security"
    ]


async def test_registration_stores_the_email_in_lower_case(
    client: AsyncClient, session: AsyncSession
) -> None:
    # Given an address in mixed case / When it is registered
    payload = {"email": "Ada.Lovelace@Example.COM", "password": "a-long-passphrase"}
    response = await client.post(f"{AUTH}/register", json=payload)

    # Then it is stored, and answered, in lower case
    assert response.status_code == 201, response.text
    assert response.json()["email"] == "ada.lovelace@example.com"
    stored = await session.scalar(select(User.email))
    assert stored == "ada.lovelace@example.com"


async def test_the_database_refuses_an_email_that_is_not_lower_case(
    session: AsyncSession, user: User
) -> None:
    # Given a user / When a row bypassing the application stores a mixed-case email
    session.add(User(email="USER@example.com", hashed_password="x"))

    # Then the database refuses it
    with pytest.raises(IntegrityError):
        await session.flush()
    await session.rollback()


async def test_registration_can_be_closed(
    api: FastAPI, client: AsyncClient, session: AsyncSession, settings: Settings
) -> None:
    # Given an application with registration disabled
    api.state.settings = settings.model_copy(update={"registration_enabled": False})

    # When someone registers
    payload = {"email": "new@example.com", "password": "a-long-passphrase"}
    response = await client.post(f"{AUTH}/register", json=payload)

    # Then 403 in the one error format, and no account is made
    assert response.status_code == 403
    assert response.json()["error_code"] == "FORBIDDEN"
    assert response.json()["detail"] == "Registration is closed"
    assert await session.scalar(select(User)) is None


async def test_changing_the_password_ends_every_session_and_starts_a_new_one(
    client: AsyncClient, user: User, caplog: pytest.LogCaptureFixture
) -> None:
    # Given a user logged in on two devices
    caplog.set_level(logging.INFO)
    email = user.email
    laptop, phone = await session_of(client, user), await session_of(client, user)

    # When they change their password on the laptop
    response = await client.post(
        f"{AUTH}/password",
        json={"current_password": PASSWORD, "new_password": NEW_PASSWORD},
        headers=bearer(laptop),
    )

    # Then they get the tokens of a new session, which work
    assert response.status_code == 200, response.text
    fresh = response.json()
    assert (await refresh(client, fresh)).status_code == 200

    # And neither old session can be refreshed any more
    assert (await refresh(client, laptop)).status_code == 401
    assert (await refresh(client, phone)).status_code == 401

    # And only the new password logs in
    assert (await log_in(client, email)).status_code == 401
    assert (await log_in(client, email, NEW_PASSWORD)).status_code == 200

    # And the change is a security event that holds no password or token
    [event] = [e for e in security_events(caplog) if e["event"] == "password_changed"]
    assert event["user_id"] == str(user.id)
    for secret in (PASSWORD, NEW_PASSWORD, fresh["refresh_token"]):
        assert secret not in caplog.text


async def test_changing_the_password_needs_the_current_one(
    client: AsyncClient, user: User
) -> None:
    # Given a logged-in user
    tokens = await session_of(client, user)

    # When they give a wrong current password
    response = await client.post(
        f"{AUTH}/password",
        json={"current_password": "not-my-password", "new_password": NEW_PASSWORD},
        headers=bearer(tokens),
    )

    # Then 403, and nothing changed: their session goes on
    assert response.status_code == 403
    assert (await refresh(client, tokens)).status_code == 200


@pytest.mark.parametrize(
    ("path", "body"),
    [
        ("/password", {"current_password": PASSWORD, "new_password": NEW_PASSWORD}),
        ("/logout-all", None),
    ],
)
async def test_account_changes_need_an_access_token(
    client: AsyncClient, path: str, body: dict[str, str] | None
) -> None:
    response = await client.post(f"{AUTH}{path}", json=body)

    assert response.status_code == 401


async def test_logout_all_ends_every_session(
    client: AsyncClient, user: User, caplog: pytest.LogCaptureFixture
) -> None:
    # Given a user logged in on two devices
    caplog.set_level(logging.INFO)
    laptop, phone = await session_of(client, user), await session_of(client, user)

    # When they log out everywhere from the phone
    response = await client.post(f"{AUTH}/logout-all", headers=bearer(phone))

    # Then no session can be refreshed, and a new login works
    assert response.status_code == 204
    assert (await refresh(client, laptop)).status_code == 401
    assert (await refresh(client, phone)).status_code == 401
    assert (await log_in(client, user.email)).status_code == 200
    assert "sessions_revoked" in [e["event"] for e in security_events(caplog)]


async def test_reusing_a_refresh_token_is_a_security_event(
    client: AsyncClient, user: User, caplog: pytest.LogCaptureFixture
) -> None:
    # Given a refresh token that was exchanged already
    caplog.set_level(logging.INFO)
    user_id = str(user.id)
    tokens = await session_of(client, user)
    assert (await refresh(client, tokens)).status_code == 200

    # When it is presented again
    assert (await refresh(client, tokens)).status_code == 401

    # Then a warning names the user and the chain, but not the token
    [event] = [
        e for e in security_events(caplog) if e["event"] == "refresh_token_reused"
    ]
    assert event["user_id"] == user_id
    assert event["family_id"]
    assert tokens["refresh_token"] not in caplog.text


async def test_password_reset_answers_alike_for_known_and_unknown_addresses(
    client: AsyncClient, user: User, outbox: Outbox
) -> None:
    # When a reset is asked for a registered and an unknown address
    known = await client.post(f"{AUTH}/password-reset", json={"email": user.email})
    unknown = await client.post(
        f"{AUTH}/password-reset", json={"email": "nobody@example.com"}
    )

    # Then both get the same empty 202, and only the registered user gets mail
    assert (known.status_code, known.content) == (202, b"")
    assert (unknown.status_code, unknown.content) == (202, b"")
    assert [message["To"] for message in outbox.messages] == [user.email]


async def test_a_password_reset_sets_the_password_and_ends_every_session(
    client: AsyncClient,
    session: AsyncSession,
    user: User,
    outbox: Outbox,
    settings: Settings,
    caplog: pytest.LogCaptureFixture,
) -> None:
    # Given a logged-in user who asks for a reset, in any case of their address
    caplog.set_level(logging.INFO)
    tokens = await session_of(client, user)
    await client.post(f"{AUTH}/password-reset", json={"email": user.email.upper()})
    reset_token = outbox.reset_token()

    # Then the link goes to the client's reset page, and only a digest is stored
    assert outbox.messages[-1].get_content().count(settings.password_reset_url) == 1
    digests = await session.scalars(select(PasswordResetToken.token_digest))
    assert reset_token not in list(digests)

    # When they set a new password with the token
    confirm = {"token": reset_token, "new_password": NEW_PASSWORD}
    response = await client.post(f"{AUTH}/password-reset/confirm", json=confirm)

    # Then the new password works, the old session is over
    assert response.status_code == 204, response.text
    assert (await log_in(client, user.email, NEW_PASSWORD)).status_code == 200
    assert (await refresh(client, tokens)).status_code == 401

    # And the token is single-use
    again = {"token": reset_token, "new_password": "yet-another-passphrase"}
    response = await client.post(f"{AUTH}/password-reset/confirm", json=again)
    assert response.status_code == 403
    assert response.json()["error_code"] == "FORBIDDEN"

    # And both steps are security events, neither holding the token
    events = [e["event"] for e in security_events(caplog)]
    assert "password_reset_requested" in events
    assert "password_reset_completed" in events
    assert reset_token not in caplog.text


async def test_a_newer_reset_token_and_a_reset_retire_the_other_tokens(
    client: AsyncClient, user: User, outbox: Outbox
) -> None:
    # Given three reset requests in a row
    tokens = []
    for _ in range(3):
        await client.post(f"{AUTH}/password-reset", json={"email": user.email})
        tokens.append(outbox.reset_token())
    first, second, last = tokens

    # When the first is used / Then it no longer works: a newer one was issued
    confirm = {"token": first, "new_password": NEW_PASSWORD}
    response = await client.post(f"{AUTH}/password-reset/confirm", json=confirm)
    assert response.status_code == 403

    # And after the last one is used, the second does not work either
    confirm = {"token": last, "new_password": NEW_PASSWORD}
    response = await client.post(f"{AUTH}/password-reset/confirm", json=confirm)
    assert response.status_code == 204
    confirm = {"token": second, "new_password": "yet-another-passphrase"}
    response = await client.post(f"{AUTH}/password-reset/confirm", json=confirm)
    assert response.status_code == 403


async def test_an_expired_reset_token_is_refused(
    client: AsyncClient, session: AsyncSession, user: User, outbox: Outbox
) -> None:
    # Given a reset token past its lifetime
    email = user.email
    await client.post(f"{AUTH}/password-reset", json={"email": email})
    token = await session.scalar(select(PasswordResetToken))
    assert token is not None
    token.expires_at = datetime.now(UTC) - timedelta(seconds=1)
    await session.commit()

    # When it is used / Then 403, and the password is unchanged
    confirm = {"token": outbox.reset_token(), "new_password": NEW_PASSWORD}
    response = await client.post(f"{AUTH}/password-reset/confirm", json=confirm)
    assert response.status_code == 403
    assert (await log_in(client, email)).status_code == 200


async def test_a_deactivated_user_gets_no_reset_mail(
    client: AsyncClient, session: AsyncSession, user: User, outbox: Outbox
) -> None:
    user.is_active = False
    await session.commit()

    response = await client.post(f"{AUTH}/password-reset", json={"email": user.email})

    assert response.status_code == 202
    assert outbox.messages == []


@pytest.mark.parametrize(
    ("change", "event"),
    [
        ({"role": "admin"}, "role_changed"),
        ({"is_active": False}, "account_deactivated"),
    ],
)
async def test_a_role_change_or_deactivation_ends_the_users_sessions(
    client: AsyncClient,
    admin_client: AsyncClient,
    user: User,
    caplog: pytest.LogCaptureFixture,
    change: dict[str, Any],
    event: str,
) -> None:
    # Given a logged-in user
    caplog.set_level(logging.INFO)
    tokens = await session_of(client, user)

    # When an administrator changes their role or deactivates them
    response = await admin_client.patch(f"/api/v1/users/{user.id}", json=change)
    assert response.status_code == 200, response.text

    # Then their session cannot be refreshed, and the change is a security event
    assert (await refresh(client, tokens)).status_code == 401
    [logged] = [e for e in security_events(caplog) if e["event"] == event]
    assert logged["user_id"] == str(user.id)


async def test_reactivation_revives_no_session(
    client: AsyncClient, admin_client: AsyncClient, user: User
) -> None:
    # Given a user whose session ended when they were deactivated
    tokens = await session_of(client, user)
    url = f"/api/v1/users/{user.id}"
    await admin_client.patch(url, json={"is_active": False})

    # When they are reactivated
    response = await admin_client.patch(url, json={"is_active": True})

    # Then the old session stays over; logging in again works
    assert response.status_code == 200
    assert (await refresh(client, tokens)).status_code == 401
    assert (await log_in(client, user.email)).status_code == 200


async def test_an_unrelated_change_keeps_the_sessions(
    client: AsyncClient, admin_client: AsyncClient, user: User
) -> None:
    tokens = await session_of(client, user)

    await admin_client.patch(f"/api/v1/users/{user.id}", json={"role": "user"})

    assert (await refresh(client, tokens)).status_code == 200


async def test_a_session_ends_at_its_absolute_lifetime_however_often_refreshed(
    client: AsyncClient, session: AsyncSession, user: User, settings: Settings
) -> None:
    # Given a session started (nearly) SESSION_LIFETIME_DAYS ago
    tokens = await session_of(client, user)
    lifetime = timedelta(days=settings.session_lifetime_days)
    started = datetime.now(UTC) - lifetime + timedelta(minutes=1)
    rows = await session.scalars(select(RefreshToken))
    for row in rows:
        row.session_started_at = started
    await session.commit()

    # When it is refreshed / Then the new token carries the login time, and
    # expires with the session rather than REFRESH_TOKEN_EXPIRE_DAYS later
    response = await refresh(client, tokens)
    assert response.status_code == 200, response.text
    newest = await session.scalar(
        select(RefreshToken).where(RefreshToken.revoked_at.is_(None))
    )
    assert newest is not None
    assert newest.session_started_at == started
    assert newest.expires_at == started + lifetime

    # And once that time has passed, refreshing fails
    newest.expires_at = datetime.now(UTC) - timedelta(seconds=1)
    await session.commit()
    assert (await refresh(client, response.json())).status_code == 401


async def test_the_account_endpoints_are_documented_with_their_errors(
    app: FastAPI,
) -> None:
    paths = app.openapi()["paths"]

    expected = {
        f"{AUTH}/password": {"200", "401", "403", "422", "429"},
        f"{AUTH}/logout-all": {"204", "401", "429"},
        f"{AUTH}/password-reset": {"202", "422", "429"},
        f"{AUTH}/password-reset/confirm": {"204", "400", "403", "422", "429"},
        f"{AUTH}/register": {"201", "403", "409", "429"},
    }
    for path, codes in expected.items():
        assert codes <= set(paths[path]["post"]["responses"]), path


async def test_account_endpoints_are_rate_limited(
    app: FastAPI, client: AsyncClient, user: User
) -> None:
    # Given a limit of one request a minute
    app.state.rate_limiter = RateLimiter("1/minute", "async+memory://")
    headers = auth_headers(user, app.state.settings)

    # When each account endpoint is called twice / Then the second answers 429
    calls = [
        (
            "/password",
            {"current_password": "wrong-password", "new_password": NEW_PASSWORD},
        ),
        ("/logout-all", None),
        ("/password-reset", {"email": "nobody@example.com"}),
    ]
    for path, body in calls:
        statuses = [
            (await client.post(f"{AUTH}{path}", json=body, headers=headers)).status_code
            for _ in range(2)
        ]
        assert statuses[1] == 429, path
