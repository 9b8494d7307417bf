"""What production hides: timing headers, the API documentation, and the
parameters of failed SQL statements.
"""

import pytest
from fastapi import FastAPI
from httpx import ASGITransport, AsyncClient, Response
from sqlalchemy import text
from sqlalchemy.exc import DBAPIError
from sqlalchemy.ext.asyncio import AsyncEngine

from app.core.config import Settings
from app.main import create_app

DOCUMENTATION = ["/docs", "/redoc", "/openapi.json"]


def production(settings: Settings, **changes: object) -> FastAPI:
    """The application running in production, with ``changes`` to its settings."""
    return create_app(
        settings.model_copy(update={"environment": "production", **changes})
    )


async def get(app: FastAPI, path: str) -> Response:
    """Answer one ``GET`` of ``path`` by ``app``."""
    transport = ASGITransport(app=app)
    async with AsyncClient(transport=transport, base_url="https://test") as client:
        return await client.get(path)


async def test_production_sends_no_process_time(settings: Settings) -> None:
    # Given an application in production / When a request is answered
    response = await get(production(settings), "/healthz")

    # Then it does not say how long it took
    assert response.status_code == 200
    assert "X-Process-Time" not in response.headers


@pytest.mark.parametrize("path", DOCUMENTATION)
async def test_production_hides_the_documentation(
    settings: Settings, path: str
) -> None:
    response = await get(production(settings, docs_enabled=False), path)

    assert response.status_code == 404


@pytest.mark.parametrize("path", DOCUMENTATION)
async def test_docs_enabled_serves_the_documentation_in_production(
    settings: Settings, path: str
) -> None:
    response = await get(production(settings, docs_enabled=True), path)

    assert response.status_code == 200


def test_documentation_is_on_outside_production_and_off_in_it(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("ENVIRONMENT", "development")
    assert Settings(_env_file=None).docs_enabled

    monkeypatch.setenv("ENVIRONMENT", "production")
    assert not Settings(_env_file=None).docs_enabled


async def test_sql_errors_hide_their_parameters(engine: AsyncEngine) -> None:
    # Given a statement that fails, with a bound parameter holding a secret
    statement = text("INSERT INTO no_such_table (value) VALUES (:value)")

    # When it is executed
    async with engine.connect() as connection:
        with pytest.raises(DBAPIError) as failure:
            await connection.execute(statement, {"value": "s3cret-value"})

    # Then the error, which may be logged, does not show the value
    assert "s3cret-value" not in str(failure.value)
