"""Abuse resistance of the auth endpoints: password policy, hashing off the event
loop, equal work on every failed login, limits per address and per account,
uncacheable token answers, and security events in the log.
"""

import asyncio
import logging
import threading
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Any

import pytest
from anyio import to_thread
from fastapi import FastAPI
from httpx import ASGITransport, AsyncClient, Response
from limits.errors import StorageError

from app.core.config import Settings
from app.core.rate_limit import RateLimiter
from app.core.security import verify_password
from app.main import create_app
from app.models.user import User
from tests.auth import PASSWORD

AUTH = "/api/v1/auth"
PATCHED_VERIFY = "app.core.passwords.verify_password"
"""The verification the login runs in a worker thread, replaced to observe it."""


@asynccontextmanager
async def client_at(
    app: FastAPI, host: str, headers: dict[str, str] | None = None
) -> AsyncIterator[AsyncClient]:
    """A client whose requests come from the address ``host``."""
    transport = ASGITransport(app=app, client=(host, 50000))
    async with AsyncClient(
        transport=transport, base_url="http://test", headers=headers
    ) as client:
        yield client


async def log_in(client: AsyncClient, email: str, password: str = PASSWORD) -> Response:
    """Post the OAuth2 password form to the login endpoint."""
    return await client.post(
        f"{AUTH}/login", data={"username": email, "password": password}
    )


def count_verifications(monkeypatch: pytest.MonkeyPatch) -> list[int]:
    """Record the thread of every password verification; return the record."""
    threads: list[int] = []

    def counted(*args: Any) -> tuple[bool, str | None]:
        threads.append(threading.get_ident())
        return verify_password(*args)

    monkeypatch.setattr(PATCHED_VERIFY, counted)
    return threads


def break_storage(limiter: RateLimiter, monkeypatch: pytest.MonkeyPatch) -> None:
    """Make the limiter's counter storage fail as an unreachable Redis does."""

    async def unreachable(*args: Any, **kwargs: Any) -> Any:
        raise StorageError(ConnectionError("Connection refused"))

    for method in ("incr", "get", "get_expiry", "check"):
        monkeypatch.setattr(limiter.storage, method, unreachable)


@pytest.mark.parametrize("length", [8, 11])
async def test_register_refuses_a_password_shorter_than_12_by_default(
    client: AsyncClient, length: int
) -> None:
    # Given a password shorter than the default minimum of 12 characters
    payload = {"email": "new@example.com", "password": "p" * length}

    # When it is registered
    response = await client.post(f"{AUTH}/register", json=payload)

    # Then 422 names the password field
    assert response.status_code == 422
    assert response.json()["errors"][0]["loc"] == ["body", "password"]


async def test_register_accepts_a_password_of_12_characters(
    client: AsyncClient,
) -> None:
    payload = {"email": "new@example.com", "password": "p" * 12}

    response = await client.post(f"{AUTH}/register", json=payload)

    assert response.status_code == 201, response.text


async def test_password_min_length_is_a_setting(
    settings: Settings, api: FastAPI
) -> None:
    # Given an application that asks for 20 characters
    api.state.settings = settings.model_copy(update={"password_min_length": 20})

    # When passwords of 19 and 20 characters are registered
    async with client_at(api, "192.0.2.1") as client:
        short = {"email": "short@example.com", "password": "p" * 19}
        enough = {"email": "enough@example.com", "password": "p" * 20}
        refused = await client.post(f"{AUTH}/register", json=short)
        accepted = await client.post(f"{AUTH}/register", json=enough)

    # Then only the second is accepted
    assert refused.status_code == 422
    assert "at least 20 characters" in refused.json()["errors"][0]["msg"]
    assert accepted.status_code == 201, accepted.text


@pytest.mark.parametrize(
    ("email", "password"),
    [
        ("user@example.com", "wrong-password-123"),
        ("nobody@example.com", PASSWORD),
        ("user@example.com", PASSWORD + "x" * 1000),
    ],
    ids=["wrong-password", "unknown-email", "too-long-password"],
)
async def test_every_failed_login_verifies_one_password_in_a_worker_thread(
    client: AsyncClient,
    user: User,
    monkeypatch: pytest.MonkeyPatch,
    email: str,
    password: str,
) -> None:
    # Given every password verification recorded
    threads = count_verifications(monkeypatch)

    # When a login fails: wrong password, unknown email or over-long password
    response = await log_in(client, email, password)

    # Then exactly one Argon2 verification ran, off the event loop's thread
    assert response.status_code == 401
    assert len(threads) == 1
    assert threads[0] != threading.get_ident()


async def test_other_requests_are_served_while_a_password_is_hashed(
    client: AsyncClient, user: User, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Given a password verification that holds until it is released
    started, release = threading.Event(), threading.Event()
    released: list[bool] = []

    def held(*args: Any) -> tuple[bool, str | None]:
        started.set()
        # On the event loop's thread this would stall the loop until it timed out.
        released.append(release.wait(timeout=5))
        return verify_password(*args)

    monkeypatch.setattr(PATCHED_VERIFY, held)

    # When a login is under way and its verification has started
    login = asyncio.create_task(log_in(client, user.email))
    assert await to_thread.run_sync(started.wait, 10)

    # Then another request is answered meanwhile
    health = await asyncio.wait_for(client.get("/healthz"), timeout=5)
    assert health.status_code == 200
    assert not login.done()

    # And the login completes once the verification is released, not before
    release.set()
    assert (await login).status_code == 200
    assert released == [True]


async def test_token_answers_are_not_cached(client: AsyncClient, user: User) -> None:
    # Given a login and a refresh
    login = await log_in(client, user.email)
    body = {"refresh_token": login.json()["refresh_token"]}
    refresh = await client.post(f"{AUTH}/refresh", json=body)

    # Then neither answer may be stored by a browser or a proxy
    for response in (login, refresh):
        assert response.status_code == 200
        assert response.headers["Cache-Control"] == "no-store"
        assert response.headers["Pragma"] == "no-cache"


async def test_failed_logins_are_throttled_per_account_across_addresses(
    api: FastAPI, user: User
) -> None:
    # Given at most three failed logins per account, and a generous limit per address
    api.state.rate_limiter = RateLimiter(
        "100/minute", "async+memory://", login_failure_limit="3/minute"
    )

    # When three addresses each fail once, writing the email differently
    email = user.email
    for host, written in [
        ("192.0.2.1", email),
        ("192.0.2.2", email.upper()),
        ("2001:db8::1", f"  {email} "),
    ]:
        async with client_at(api, host) as client:
            assert (await log_in(client, written, "wrong-password")).status_code == 401

    # Then a fourth address is refused, even with the right password
    async with client_at(api, "198.51.100.7") as client:
        throttled = await log_in(client, email)
        assert throttled.status_code == 429
        assert throttled.json()["error_code"] == "TOO_MANY_REQUESTS"
        assert int(throttled.headers["Retry-After"]) >= 1

        # And other accounts are not affected
        other = await log_in(client, "someone-else@example.com", "wrong-password")
        assert other.status_code == 401


async def test_successful_logins_do_not_count_against_the_account(
    api: FastAPI, user: User
) -> None:
    api.state.rate_limiter = RateLimiter(
        "100/minute", "async+memory://", login_failure_limit="1/minute"
    )

    async with client_at(api, "192.0.2.1") as client:
        statuses = [(await log_in(client, user.email)).status_code for _ in range(3)]

    assert statuses == [200, 200, 200]


@pytest.mark.parametrize(
    ("first", "second", "limited"),
    [
        ("2001:db8:1:2::1", "2001:db8:1:2:ffff::9", True),
        ("2001:db8:1:2::1", "2001:db8:1:3::1", False),
        ("192.0.2.1", "192.0.2.2", False),
    ],
    ids=["same-ipv6-64", "other-ipv6-64", "other-ipv4"],
)
async def test_the_limit_per_address_counts_ipv6_clients_per_64(
    api: FastAPI, first: str, second: str, limited: bool
) -> None:
    # Given one registration a minute per client
    api.state.rate_limiter = RateLimiter("1/minute", "async+memory://")
    body = {"email": "new@example.com", "password": "a-long-secret-phrase"}

    # When two addresses register, one after the other
    async with client_at(api, first) as client:
        await client.post(f"{AUTH}/register", json=body)
    async with client_at(api, second) as client:
        response = await client.post(f"{AUTH}/register", json=body)

    # Then the second is limited only when both share a client key
    assert (response.status_code == 429) is limited


@pytest.fixture
def proxied_app(settings: Settings, api: FastAPI) -> FastAPI:
    """The application behind a trusted proxy at 10.0.0.1, one request a minute."""
    trusting = create_app(settings.model_copy(update={"trusted_proxies": ["10.0.0.1"]}))
    trusting.state.session_factory = api.state.session_factory
    trusting.state.rate_limiter = RateLimiter("1/minute", "async+memory://")
    return trusting


async def refresh_from(app: FastAPI, host: str, forwarded_for: str) -> int:
    """The status of a refresh from ``host`` claiming ``forwarded_for``."""
    headers = {"X-Forwarded-For": forwarded_for}
    async with client_at(app, host, headers) as client:
        body = {"refresh_token": "unknown"}
        response = await client.post(f"{AUTH}/refresh", json=body)
    return response.status_code


async def test_a_spoofed_x_forwarded_for_does_not_escape_the_limit(
    proxied_app: FastAPI,
) -> None:
    # Given a client that is not a trusted proxy, claiming a new address each time
    # When it sends two requests
    first = await refresh_from(proxied_app, "203.0.113.5", "192.0.2.1")
    second = await refresh_from(proxied_app, "203.0.113.5", "192.0.2.2")

    # Then both count against its own address
    assert (first, second) == (401, 429)


async def test_a_trusted_proxy_names_the_client_rightmost_first(
    proxied_app: FastAPI,
) -> None:
    # Given requests through the trusted proxy, whose clients prepend spoofed
    # addresses to X-Forwarded-For
    # When two clients send one request each
    first = await refresh_from(proxied_app, "10.0.0.1", "6.6.6.6, 192.0.2.1")
    second = await refresh_from(proxied_app, "10.0.0.1", "6.6.6.6, 192.0.2.2")
    # And the first client sends another one
    again = await refresh_from(proxied_app, "10.0.0.1", "7.7.7.7, 192.0.2.1")

    # Then each client counts apart, by the address the proxy added
    assert (first, second, again) == (401, 401, 429)


async def test_auth_endpoints_answer_503_when_the_limit_storage_is_down(
    app: FastAPI, client: AsyncClient, user: User, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Given a rate limit storage that cannot be reached
    break_storage(app.state.rate_limiter, monkeypatch)

    # When a user logs in
    response = await log_in(client, user.email)

    # Then 503 in the one error format, not a 500 and not a login
    assert response.status_code == 503
    body = response.json()
    assert body["error_code"] == "SERVICE_UNAVAILABLE"
    assert body["detail"] == "The rate limit storage is unavailable"
    assert body["request_id"] == response.headers["X-Request-ID"]


async def test_readyz_names_the_limit_storage_when_it_is_down(
    app: FastAPI, client: AsyncClient, monkeypatch: pytest.MonkeyPatch
) -> None:
    break_storage(app.state.rate_limiter, monkeypatch)

    response = await client.get("/readyz")

    assert response.status_code == 503
    body = response.json()
    assert body["detail"] == "Unavailable: rate_limit_storage"
    assert body["checks"]["rate_limit_storage"] == "unavailable"


def logged_events(caplog: pytest.LogCaptureFixture, event: str) -> list[Any]:
    """The structured log records of ``event`` from the security logger."""
    records = [record for record in caplog.records if record.name == "app.security"]
    return [
        record.msg
        for record in records
        if isinstance(record.msg, dict) and record.msg.get("event") == event
    ]


async def test_failed_and_throttled_logins_are_logged_without_the_password(
    api: FastAPI,
    client: AsyncClient,
    user: User,
    caplog: pytest.LogCaptureFixture,
) -> None:
    # Given every log record captured, and one failed login allowed per account
    caplog.set_level(logging.INFO)
    api.state.rate_limiter = RateLimiter(
        "100/minute", "async+memory://", login_failure_limit="1/minute"
    )

    # When a login fails, and the next one is throttled
    email = user.email
    await log_in(client, email.upper(), "wrong-password-123")
    await log_in(client, email, "another-wrong-one")

    # Then both are security events naming the account, never the password
    [failed] = logged_events(caplog, "login_failed")
    assert failed["email"] == email
    assert failed["reason"] == "wrong_password"
    [throttled] = logged_events(caplog, "login_throttled")
    assert throttled["email"] == email
    for password in ("wrong-password-123", "another-wrong-one"):
        assert password not in caplog.text
