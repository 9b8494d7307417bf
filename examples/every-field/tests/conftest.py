"""Fixtures shared by every test: settings, application, database session, clients.

The schema and the application are created once per test session. Each test
then runs inside a transaction that is rolled back when it ends: the
``session`` fixture and the application (through ``client``) share one
connection, and the session turns its commits into savepoints, so no test sees
the data of another. What a test changes in the application (its dependency
overrides and its ``state``) is undone when the test ends.

The fixtures import the application and its libraries when they first run, not
at the top of this file: with ``pytest -n``, pytest-xdist's controller process
loads this file too but runs no test, and importing the application there
would hold back every test process by about a second.

``client`` is anonymous; ``user_client``, ``other_user_client`` and
``admin_client`` send the access token of a user of their own.
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Iterator, Mapping
from contextlib import asynccontextmanager, nullcontext
from typing import TYPE_CHECKING, Any

import pytest

if TYPE_CHECKING:
    from pathlib import Path

    from fastapi import FastAPI
    from httpx import AsyncClient
    from sqlalchemy.engine import Connection
    from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession
    from sqlalchemy.pool import ConnectionPoolEntry

    from app.core.config import Settings
    from app.models.user import User


@pytest.fixture(scope="session")
def sqlite_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A temporary directory for SQLite test databases."""
    return tmp_path_factory.mktemp("databases")


@pytest.fixture(scope="session")
def settings(sqlite_dir: Path) -> Settings:
    """Settings of the application under test, pointing at the test database."""
    from app.core.config import Settings
    from tests.database import resolve_test_database_url

    url = resolve_test_database_url(Settings().database_url, sqlite_dir)
    return Settings(
        environment="test",
        database_url=url.render_as_string(hide_password=False),
        # The cheapest Argon2 parameters: the tests hash many passwords.
        password_hash_time_cost=1,
        password_hash_memory_cost=8,
        password_hash_parallelism=1,
    )


@pytest.fixture(scope="session")
async def engine(settings: Settings) -> AsyncIterator[AsyncEngine]:
    """The test database engine, with the schema of every model created.

    On SQLite its connections run on the event loop's own thread
    (``tests/sqlite.py``), which makes the tests about a quarter faster.
    """
    from sqlalchemy import make_url

    from app.core.database import create_engine
    from app.models import Base
    from tests.database import create_database_if_missing, is_sqlite, stamp_head
    from tests.sqlite import inline_engine_options

    url = make_url(settings.database_url)
    engine = create_engine(settings.database_url, **inline_engine_options(url))
    if is_sqlite(engine.url):
        _enable_sqlite_savepoints(engine)
    await create_database_if_missing(engine.url)
    async with engine.begin() as connection:
        await connection.run_sync(Base.metadata.drop_all)
        await connection.run_sync(Base.metadata.create_all)
        await connection.run_sync(stamp_head)
    yield engine
    await engine.dispose()


@pytest.fixture
async def session(engine: AsyncEngine) -> AsyncIterator[AsyncSession]:
    """A session inside a transaction that is rolled back after the test.

    ``session.commit()`` only releases a savepoint: what a test writes, directly
    or through the API, is visible until the test ends and then gone.
    """
    from sqlalchemy.ext.asyncio import AsyncSession

    async with engine.connect() as connection:
        transaction = await connection.begin()
        session = AsyncSession(
            bind=connection,
            expire_on_commit=False,
            join_transaction_mode="create_savepoint",
        )
        try:
            yield session
        finally:
            await session.close()
            await transaction.rollback()


@pytest.fixture(scope="session")
def application(settings: Settings) -> FastAPI:
    """The application under test, built once with the test settings.

    FastAPI prepares a route's dependencies on the route's first request to an
    application: one application per session pays that once, not in every test.
    """
    from app.main import create_app

    return create_app(settings)


@pytest.fixture
def app(application: FastAPI) -> Iterator[FastAPI]:
    """The application under test, as ``create_app`` built it.

    Its rate limiter starts with no request counted; the dependency overrides
    and ``app.state`` are restored when the test ends. A test that adds routes
    or counts metrics builds an application of its own.
    """
    from app.core.rate_limit import create_rate_limiter

    state = {key: application.state[key] for key in application.state}
    application.state.rate_limiter = create_rate_limiter(application.state.settings)
    yield application
    application.dependency_overrides.clear()
    for key in list(application.state):
        if key not in state:
            del application.state[key]
    for key, value in state.items():
        application.state[key] = value


@pytest.fixture
def api(app: FastAPI, session: AsyncSession) -> FastAPI:
    """The application, its endpoints using the test ``session``.

    ``get_session`` takes its sessions from ``app.state.session_factory``; here
    that hands out the test session, which ``get_session`` commits and rolls
    back as usual. (A dependency override would do the same, but while any
    override is set FastAPI analyses every dependency again on every request.)
    """
    app.state.session_factory = lambda: nullcontext(session)
    return app


@asynccontextmanager
async def http_client(
    app: FastAPI, headers: Mapping[str, str] | None = None
) -> AsyncIterator[AsyncClient]:
    """An HTTP client for ``app`` that sends ``headers`` with every request."""
    from httpx import ASGITransport, AsyncClient

    transport = ASGITransport(app=app)
    async with AsyncClient(
        transport=transport, base_url="http://test", headers=headers
    ) as client:
        yield client


@pytest.fixture
async def client(api: FastAPI) -> AsyncIterator[AsyncClient]:
    """An anonymous HTTP client for the application under test."""
    async with http_client(api) as client:
        yield client


@pytest.fixture
async def anonymous_client(api: FastAPI) -> AsyncIterator[AsyncClient]:
    """An anonymous client, for modules whose ``client`` is signed in."""
    async with http_client(api) as client:
        yield client


@pytest.fixture
async def user(session: AsyncSession, settings: Settings) -> User:
    """A user with the ``user`` role."""
    from tests.auth import create_user

    return await create_user(session, settings, "user@example.com")


@pytest.fixture
async def other_user(session: AsyncSession, settings: Settings) -> User:
    """A second user with the ``user`` role."""
    from tests.auth import create_user

    return await create_user(session, settings, "other@example.com")


@pytest.fixture
async def admin(session: AsyncSession, settings: Settings) -> User:
    """A user with the ``admin`` role."""
    from app.models.user import Role
    from tests.auth import create_user

    return await create_user(session, settings, "admin@example.com", role=Role.ADMIN)


@pytest.fixture
async def user_client(
    api: FastAPI, user: User, settings: Settings
) -> AsyncIterator[AsyncClient]:
    """A client signed in as ``user``."""
    from tests.auth import auth_headers

    async with http_client(api, auth_headers(user, settings)) as client:
        yield client


@pytest.fixture
async def other_user_client(
    api: FastAPI, other_user: User, settings: Settings
) -> AsyncIterator[AsyncClient]:
    """A client signed in as ``other_user``."""
    from tests.auth import auth_headers

    async with http_client(api, auth_headers(other_user, settings)) as client:
        yield client


@pytest.fixture
async def admin_client(
    api: FastAPI, admin: User, settings: Settings
) -> AsyncIterator[AsyncClient]:
    """A client signed in as ``admin``."""
    from tests.auth import auth_headers

    async with http_client(api, auth_headers(admin, settings)) as client:
        yield client


def _enable_sqlite_savepoints(engine: AsyncEngine) -> None:
    """Let SQLite run the per-test transaction and its savepoints.

    The SQLite driver starts transactions on its own and gets in the way of
    SAVEPOINT; SQLAlchemy's documented workaround hands transaction control
    back to SQLAlchemy.
    """
    from sqlalchemy import event

    @event.listens_for(engine.sync_engine, "connect")
    def _disable_driver_transactions(
        dbapi_connection: Any, connection_record: ConnectionPoolEntry
    ) -> None:
        dbapi_connection.isolation_level = None

    @event.listens_for(engine.sync_engine, "begin")
    def _begin(connection: Connection) -> None:
        connection.exec_driver_sql("BEGIN")
