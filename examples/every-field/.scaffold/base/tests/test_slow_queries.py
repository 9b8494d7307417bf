"""Slow statements are logged with the route and request id, values hidden."""

import logging
from collections.abc import AsyncIterator
from typing import Any, cast

import pytest
from fastapi import FastAPI
from httpx import ASGITransport, AsyncClient
from sqlalchemy import text

from app.api.deps import SessionDep
from app.core.config import Settings
from app.core.database import create_engine, create_session_factory
from app.main import create_app


async def started(settings: Settings) -> AsyncIterator[FastAPI]:
    """An application on its own engine built from ``settings``."""
    app = create_app(settings)
    engine = create_engine(settings.database_url, settings)
    app.state.session_factory = create_session_factory(engine)

    @app.get("/lookup")
    async def lookup(session: SessionDep) -> dict[str, str]:
        secret = await session.scalar(text("SELECT :secret"), {"secret": "hunter2"})
        return {"found": str(secret)}

    yield app
    await engine.dispose()


@pytest.fixture
async def watched_app(settings: Settings) -> AsyncIterator[FastAPI]:
    """An application that logs every statement as slow (``SLOW_QUERY_MS=0``)."""
    async for app in started(settings.model_copy(update={"slow_query_ms": 0})):
        yield app


@pytest.fixture
async def patient_app(settings: Settings) -> AsyncIterator[FastAPI]:
    """An application that logs statements slower than a minute only."""
    async for app in started(settings.model_copy(update={"slow_query_ms": 60_000})):
        yield app


def slow_query_lines(caplog: pytest.LogCaptureFixture) -> list[dict[str, Any]]:
    """The slow query log lines captured so far."""
    return [
        cast(dict[str, Any], record.msg)
        for record in caplog.records
        if record.name == "app.core.slow_queries"
    ]


async def test_a_slow_query_is_logged_with_its_route_and_request_id(
    watched_app: FastAPI, caplog: pytest.LogCaptureFixture
) -> None:
    # Given a threshold every statement exceeds
    caplog.set_level(logging.WARNING)
    transport = ASGITransport(app=watched_app)

    # When a request runs a statement with a secret value bound to it
    async with AsyncClient(transport=transport, base_url="http://test") as client:
        response = await client.get("/lookup", headers={"X-Request-ID": "slow-42"})
    assert response.json() == {"found": "hunter2"}

    # Then the statement is logged with the route and request id, not the value
    [line] = [line for line in slow_query_lines(caplog) if line["route"] == "/lookup"]
    assert line["event"] == "slow query"
    assert line["statement"].startswith("SELECT ")
    assert line["request_id"] == "slow-42"
    assert line["duration_ms"] >= 0
    assert "hunter2" not in str(line)


async def test_fast_queries_are_not_logged(
    patient_app: FastAPI, caplog: pytest.LogCaptureFixture
) -> None:
    # Given a threshold of a minute
    caplog.set_level(logging.WARNING)
    transport = ASGITransport(app=patient_app)

    # When a request runs a quick statement
    async with AsyncClient(transport=transport, base_url="http://test") as client:
        response = await client.get("/lookup")

    # Then nothing is logged as slow
    assert response.status_code == 200
    assert slow_query_lines(caplog) == []
