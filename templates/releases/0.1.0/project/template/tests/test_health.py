"""The liveness and readiness endpoints."""

from collections.abc import AsyncIterator
from pathlib import Path

import pytest
from fastapi import FastAPI
from httpx import ASGITransport, AsyncClient
from sqlalchemy import make_url

from app.core.config import Settings
from app.core.database import create_engine, create_session_factory
from tests.database import unreachable_database_url


async def test_healthz_answers_ok(client: AsyncClient) -> None:
    # Given a running application
    # When its liveness is checked
    response = await client.get("/healthz")

    # Then it answers 200
    assert response.status_code == 200
    assert response.json() == {"status": "ok"}


async def test_readyz_answers_ok_when_the_database_is_reachable(
    client: AsyncClient,
) -> None:
    # Given an application whose database is up
    # When its readiness is checked
    response = await client.get("/readyz")

    # Then it answers 200
    assert response.status_code == 200
    assert response.json() == {"status": "ok"}


@pytest.fixture
async def app_without_database(
    app: FastAPI, settings: Settings, tmp_path: Path
) -> AsyncIterator[FastAPI]:
    """The application, started on a database that cannot be reached."""
    url = unreachable_database_url(make_url(settings.database_url), tmp_path)
    engine = create_engine(url.render_as_string(hide_password=False))
    app.state.session_factory = create_session_factory(engine)
    yield app
    await engine.dispose()


async def test_readyz_answers_503_when_the_database_is_down(
    app_without_database: FastAPI,
) -> None:
    # Given an application whose database cannot be reached
    transport = ASGITransport(app=app_without_database)
    async with AsyncClient(transport=transport, base_url="http://test") as client:
        # When its readiness is checked
        response = await client.get("/readyz")

    # Then it answers 503 in the one error format
    assert response.status_code == 503
    body = response.json()
    assert body["error_code"] == "SERVICE_UNAVAILABLE"
    assert body["detail"] == "The database is unavailable"
    assert body["path"] == "/readyz"
    assert body["request_id"] == response.headers["X-Request-ID"]
