"""Every error, from routing to unhandled exceptions, answers in one format."""

from collections.abc import AsyncIterator
from datetime import datetime

import pytest
from fastapi import FastAPI
from httpx import ASGITransport, AsyncClient
from pydantic import BaseModel, Field
from sqlalchemy.exc import DBAPIError

from app.core.config import Settings
from app.core.errors import (
    AppError,
    ConflictError,
    InvalidReferenceError,
    NotFoundError,
)
from app.main import create_app

ERROR_KEYS = {"detail", "error_code", "timestamp", "path", "request_id"}


class Widget(BaseModel):
    """Input of the route used to provoke validation errors."""

    name: str = Field(min_length=1)
    quantity: int = Field(ge=1)


class TeapotError(AppError):
    """An application error with its own status and code."""

    status_code = 418
    error_code = "TEAPOT"
    detail = "I refuse to brew coffee"


@pytest.fixture(scope="module")
def failing_app(settings: Settings) -> FastAPI:
    """An application of its own with routes that fail in every way handled."""
    app = create_app(settings)

    @app.get("/missing")
    async def missing() -> None:
        raise NotFoundError("Widget not found")

    @app.get("/conflict")
    async def conflict() -> None:
        raise ConflictError

    @app.get("/teapot")
    async def teapot() -> None:
        raise TeapotError

    @app.post("/dangling")
    async def dangling() -> None:
        raise InvalidReferenceError("owner_id", "No owner has this id")

    @app.post("/widgets")
    async def create_widget(widget: Widget) -> Widget:
        return widget

    @app.get("/lost-connection")
    async def lost_connection() -> None:
        raise DBAPIError(
            "SELECT 1", None, ConnectionResetError(), connection_invalidated=True
        )

    @app.get("/database-error")
    async def database_error() -> None:
        raise DBAPIError("SELECT secret", None, ValueError("hunter2"))

    @app.get("/boom")
    async def boom() -> None:
        raise RuntimeError("secret connection string postgres://admin:hunter2@db")

    return app


@pytest.fixture
async def failing_client(failing_app: FastAPI) -> AsyncIterator[AsyncClient]:
    """A client that gets 500 responses instead of the server's exceptions."""
    transport = ASGITransport(app=failing_app, raise_app_exceptions=False)
    async with AsyncClient(transport=transport, base_url="http://test") as client:
        yield client


def assert_error_body(body: dict[str, object], *, error_code: str, path: str) -> None:
    """Check that ``body`` is in the one error format."""
    assert body.keys() >= ERROR_KEYS
    assert body["error_code"] == error_code
    assert body["path"] == path
    assert isinstance(body["timestamp"], str)
    assert datetime.fromisoformat(body["timestamp"]).tzinfo is not None


async def test_unknown_route_answers_404(client: AsyncClient) -> None:
    # Given an application without such a route
    # When it is requested
    response = await client.get("/no/such/route")

    # Then the answer is a 404 in the one error format
    assert response.status_code == 404
    body = response.json()
    assert_error_body(body, error_code="NOT_FOUND", path="/no/such/route")
    assert body["request_id"] == response.headers["X-Request-ID"]


async def test_wrong_method_answers_405_with_allow_header(client: AsyncClient) -> None:
    # Given a route that only answers GET
    # When it is sent a DELETE
    response = await client.delete("/healthz")

    # Then the answer is a 405 in the one error format, naming the allowed methods
    assert response.status_code == 405
    assert_error_body(response.json(), error_code="METHOD_NOT_ALLOWED", path="/healthz")
    assert response.headers["Allow"] == "GET"


async def test_invalid_input_answers_422_without_echoing_it(
    failing_client: AsyncClient,
) -> None:
    # Given a body with a missing field and a value that is not a number
    payload = {"quantity": "seven-secret-widgets"}

    # When it is posted
    response = await failing_client.post("/widgets", json=payload)

    # Then the answer is a 422 listing each problem, never the submitted values
    assert response.status_code == 422
    body = response.json()
    assert_error_body(body, error_code="VALIDATION_ERROR", path="/widgets")
    assert {tuple(error["loc"]) for error in body["errors"]} == {
        ("body", "name"),
        ("body", "quantity"),
    }
    assert all(error.keys() == {"loc", "msg", "type"} for error in body["errors"])
    assert "seven-secret-widgets" not in response.text


async def test_a_reference_to_a_missing_row_answers_422_naming_the_field(
    failing_client: AsyncClient,
) -> None:
    # Given a route whose service finds no row for a referenced id
    # When it is requested
    response = await failing_client.post("/dangling")

    # Then the answer is a 422 like any invalid body, naming the field
    assert response.status_code == 422
    body = response.json()
    assert_error_body(body, error_code="VALIDATION_ERROR", path="/dangling")
    assert body["errors"] == [
        {
            "loc": ["body", "owner_id"],
            "msg": "No owner has this id",
            "type": "missing_reference",
        }
    ]


@pytest.mark.parametrize(
    ("path", "status_code", "error_code", "detail"),
    [
        ("/missing", 404, "NOT_FOUND", "Widget not found"),
        ("/conflict", 409, "CONFLICT", ConflictError.detail),
        ("/teapot", 418, "TEAPOT", "I refuse to brew coffee"),
    ],
)
async def test_app_errors_answer_with_their_status_code_and_detail(
    failing_client: AsyncClient,
    path: str,
    status_code: int,
    error_code: str,
    detail: str,
) -> None:
    # Given a route whose service raises an application error
    # When it is requested
    response = await failing_client.get(path)

    # Then the error's status, code and detail are answered in the one format
    assert response.status_code == status_code
    body = response.json()
    assert_error_body(body, error_code=error_code, path=path)
    assert body["detail"] == detail


async def test_unhandled_exception_answers_500_and_reveals_nothing(
    failing_client: AsyncClient,
) -> None:
    # Given a route that fails with an unexpected exception
    # When it is requested with a request id
    response = await failing_client.get("/boom", headers={"X-Request-ID": "req-500"})

    # Then the answer is a bare 500 in the one format, still carrying the id
    assert response.status_code == 500
    body = response.json()
    assert_error_body(body, error_code="INTERNAL_SERVER_ERROR", path="/boom")
    assert body["detail"] == "Internal server error"
    assert body["request_id"] == "req-500"
    assert response.headers["X-Request-ID"] == "req-500"
    assert "hunter2" not in response.text
    assert "RuntimeError" not in response.text


async def test_a_lost_database_connection_answers_503_to_retry(
    failing_client: AsyncClient,
) -> None:
    # Given a route whose database connection was lost (and the pool invalidated)
    # When it is requested
    response = await failing_client.get("/lost-connection")

    # Then the client is told to retry, in the one format
    assert response.status_code == 503
    assert response.headers["Retry-After"] == "1"
    assert_error_body(
        response.json(), error_code="SERVICE_UNAVAILABLE", path="/lost-connection"
    )


async def test_any_other_database_error_answers_500_and_reveals_nothing(
    failing_client: AsyncClient,
) -> None:
    # Given a route that fails with a database error on a live connection
    # When it is requested
    response = await failing_client.get("/database-error")

    # Then it is an unexpected error: a bare 500 without the statement
    assert response.status_code == 500
    assert_error_body(
        response.json(), error_code="INTERNAL_SERVER_ERROR", path="/database-error"
    )
    assert "secret" not in response.text
    assert "hunter2" not in response.text
