"""The liveness and readiness endpoints."""

from collections.abc import AsyncIterator
from pathlib import Path

import pytest
from fastapi import FastAPI
from httpx import ASGITransport, AsyncClient
from sqlalchemy import make_url
from sqlalchemy.ext.asyncio import AsyncEngine
from structlog.testing import capture_logs

from app.core import schema_version
from app.core.config import Settings
from app.core.database import create_engine, create_session_factory
from app.core.schema_version import UPGRADE_COMMAND, warn_if_migrations_pending
from tests.database import (
    create_database_if_missing,
    drop_database,
    migration_database_url,
    unreachable_database_url,
)


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

    # Then it answers 200 and lists what it checked
    assert response.status_code == 200
    assert response.json() == {
        "status": "ok",
        "checks": {
            "database": "ok",
            "migrations": "ok",
            "rate_limit_storage": "ok",
        },
    }


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

    # Then it answers 503 in the one error format, naming the database
    assert response.status_code == 503
    body = response.json()
    assert body["error_code"] == "SERVICE_UNAVAILABLE"
    assert body["detail"] == "Unavailable: database"
    assert body["checks"]["database"] == "unavailable"
    assert body["path"] == "/readyz"
    assert body["request_id"] == response.headers["X-Request-ID"]


@pytest.fixture
async def unmigrated_engine(
    settings: Settings, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> AsyncIterator[AsyncEngine]:
    """An engine on a new, empty database: reachable, but never migrated.

    The project has a migration to apply even before its first resource.
    """
    monkeypatch.setattr(
        schema_version, "head_revisions", lambda: frozenset({"0123456789ab"})
    )
    url = migration_database_url(make_url(settings.database_url), tmp_path)
    await drop_database(url)
    await create_database_if_missing(url)
    engine = create_engine(url.render_as_string(hide_password=False))
    yield engine
    await engine.dispose()
    await drop_database(url)


async def test_readyz_answers_503_naming_the_fix_until_migrations_are_applied(
    app: FastAPI, unmigrated_engine: AsyncEngine
) -> None:
    # Given an application whose database is up but has no migrations applied
    app.state.session_factory = create_session_factory(unmigrated_engine)
    transport = ASGITransport(app=app)
    async with AsyncClient(transport=transport, base_url="http://test") as client:
        # When its readiness is checked
        response = await client.get("/readyz")

    # Then it answers 503, naming the command that applies them
    assert response.status_code == 503
    body = response.json()
    assert body["error_code"] == "SERVICE_UNAVAILABLE"
    assert UPGRADE_COMMAND in body["detail"]


async def test_start_up_warns_while_migrations_are_pending(
    unmigrated_engine: AsyncEngine,
) -> None:
    # Given a database with no migrations applied
    # When the application starts on it
    with capture_logs() as logs:
        await warn_if_migrations_pending(unmigrated_engine)

    # Then one warning names the command that applies them
    warnings = [entry for entry in logs if entry["log_level"] == "warning"]
    assert len(warnings) == 1
    assert UPGRADE_COMMAND in warnings[0]["detail"]


async def test_start_up_is_quiet_when_the_database_is_at_the_latest_migration(
    engine: AsyncEngine,
) -> None:
    # Given the test database, at the latest migration
    # When the application starts on it
    with capture_logs() as logs:
        await warn_if_migrations_pending(engine)

    # Then nothing is logged
    assert logs == []
