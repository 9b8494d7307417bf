"""Races between concurrent requests, settled by the database itself.

The other tests hand the application the test's own session, which runs every
request one after another. Here the application runs as in production: its
lifespan opens its own engine, each request has its own connection, and the
requests below overlap. What they write is committed, so it is deleted after
each test.
"""

import asyncio
from collections.abc import AsyncIterator
from typing import Any

import pytest
from httpx import ASGITransport, AsyncClient
from sqlalchemy import delete, func, select
from sqlalchemy.ext.asyncio import AsyncEngine

from app.core.config import Settings
from app.main import create_app
from app.models.user import User

AUTH = "/api/v1/auth"
PASSWORD = "a-long-passphrase"


@pytest.fixture
async def live_client(
    settings: Settings, engine: AsyncEngine
) -> AsyncIterator[AsyncClient]:
    """A client of the application running on its own database connections."""
    app = create_app(settings.model_copy(update={"rate_limit_enabled": False}))
    transport = ASGITransport(app=app)
    try:
        async with (
            app.router.lifespan_context(app),
            AsyncClient(transport=transport, base_url="http://test") as client,
        ):
            yield client
    finally:
        async with engine.begin() as connection:
            await connection.execute(delete(User))


async def test_of_parallel_refreshes_of_one_token_exactly_one_wins(
    live_client: AsyncClient,
) -> None:
    # Given a registered, logged-in user
    account = {"email": "racer@example.com", "password": PASSWORD}
    assert (await live_client.post(f"{AUTH}/register", json=account)).status_code == 201
    login = await live_client.post(
        f"{AUTH}/login", data={"username": account["email"], "password": PASSWORD}
    )
    body = {"refresh_token": login.json()["refresh_token"]}

    # When ten requests exchange the same refresh token at once
    responses = await asyncio.gather(
        *(live_client.post(f"{AUTH}/refresh", json=body) for _ in range(10))
    )

    # Then exactly one gets new tokens; the others count as reuse
    statuses = sorted(response.status_code for response in responses)
    assert statuses == [200] + [401] * 9
    [winner] = [response for response in responses if response.status_code == 200]

    # And reuse revoked the whole chain, the winner's new token included
    newer: dict[str, Any] = {"refresh_token": winner.json()["refresh_token"]}
    assert (await live_client.post(f"{AUTH}/refresh", json=newer)).status_code == 401


def case_variants(email: str, count: int) -> list[str]:
    """``count`` different spellings of ``email`` in upper and lower case."""
    letters = [i for i, char in enumerate(email) if char.isalpha()]
    variants = []
    for number in range(count):
        chars = list(email)
        for bit, index in enumerate(letters):
            if number >> bit & 1:
                chars[index] = chars[index].upper()
        variants.append("".join(chars))
    assert len(set(variants)) == count
    return variants


async def test_parallel_registrations_of_one_address_make_one_account(
    live_client: AsyncClient, engine: AsyncEngine
) -> None:
    # Given twenty spellings of one address
    emails = case_variants("twin@example.com", 20)

    # When all of them are registered at once
    responses = await asyncio.gather(
        *(
            live_client.post(
                f"{AUTH}/register", json={"email": email, "password": PASSWORD}
            )
            for email in emails
        )
    )

    # Then one registration succeeds and every other one is a conflict, never a 500
    statuses = sorted(response.status_code for response in responses)
    assert statuses == [201] + [409] * 19
    for response in responses:
        if response.status_code == 409:
            assert response.json()["error_code"] == "CONFLICT"

    # And the database holds one account, in lower case
    async with engine.connect() as connection:
        count = await connection.scalar(
            select(func.count())
            .select_from(User)
            .where(User.email == "twin@example.com")
        )
    assert count == 1
