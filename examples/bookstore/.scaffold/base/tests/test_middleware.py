"""Request ids, timing, security headers and CORS on every response."""

import re

import pytest
from fastapi import FastAPI
from httpx import ASGITransport, AsyncClient

from app.core.config import Settings
from app.main import create_app

GENERATED_ID = re.compile(r"[0-9a-f]{32}")


async def test_valid_incoming_request_id_is_echoed(client: AsyncClient) -> None:
    # Given a request that carries a well-formed request id
    headers = {"X-Request-ID": "upstream-4f1c.9_A"}

    # When it is answered
    response = await client.get("/healthz", headers=headers)

    # Then the response carries the same id
    assert response.headers["X-Request-ID"] == "upstream-4f1c.9_A"


async def test_request_id_is_generated_when_missing(client: AsyncClient) -> None:
    # Given two requests without a request id
    # When they are answered
    first = await client.get("/healthz")
    second = await client.get("/healthz")

    # Then each response carries a new, different id
    assert GENERATED_ID.fullmatch(first.headers["X-Request-ID"])
    assert GENERATED_ID.fullmatch(second.headers["X-Request-ID"])
    assert first.headers["X-Request-ID"] != second.headers["X-Request-ID"]


@pytest.mark.parametrize(
    "incoming",
    ["has spaces", "semi;colon", "<script>", "x" * 129, ""],
)
async def test_malformed_request_id_is_replaced(
    client: AsyncClient, incoming: str
) -> None:
    # Given a request whose request id is malformed or too long
    headers = {"X-Request-ID": incoming}

    # When it is answered
    response = await client.get("/healthz", headers=headers)

    # Then the response carries a freshly generated id instead
    assert GENERATED_ID.fullmatch(response.headers["X-Request-ID"])


async def test_process_time_is_reported(client: AsyncClient) -> None:
    # Given a running application
    # When a request is answered
    response = await client.get("/healthz")

    # Then the response tells how many seconds it took
    assert float(response.headers["X-Process-Time"]) >= 0


async def test_security_headers_are_set(client: AsyncClient) -> None:
    # Given a running application
    # When an API response is returned
    response = await client.get("/healthz")

    # Then it carries the security headers, including a locked-down CSP
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert response.headers["X-Frame-Options"] == "DENY"
    assert response.headers["Referrer-Policy"] == "no-referrer"
    assert "default-src 'none'" in response.headers["Content-Security-Policy"]
    assert "Strict-Transport-Security" not in response.headers


async def test_security_headers_leave_the_docs_working(client: AsyncClient) -> None:
    # Given a running application
    # When the interactive documentation is opened
    response = await client.get("/docs")

    # Then it loads, without a CSP that would block its scripts
    assert response.status_code == 200
    assert "swagger-ui" in response.text
    assert "Content-Security-Policy" not in response.headers
    assert response.headers["X-Content-Type-Options"] == "nosniff"


async def test_hsts_is_sent_in_production(settings: Settings) -> None:
    # Given an application running in production
    app = create_app(settings.model_copy(update={"environment": "production"}))

    # When a request is answered
    transport = ASGITransport(app=app)
    async with AsyncClient(transport=transport, base_url="https://test") as client:
        response = await client.get("/healthz")

    # Then browsers are told to use HTTPS only
    assert response.headers["Strict-Transport-Security"].startswith("max-age=")


@pytest.fixture
def cors_app(settings: Settings) -> FastAPI:
    """The application allowing one origin, with credentials."""
    return create_app(
        settings.model_copy(
            update={
                "cors_origins": ["https://allowed.example"],
                "cors_allow_credentials": True,
            }
        )
    )


async def test_cors_allows_a_configured_origin(cors_app: FastAPI) -> None:
    # Given an application that allows https://allowed.example
    transport = ASGITransport(app=cors_app)
    async with AsyncClient(transport=transport, base_url="http://test") as client:
        # When that origin sends a preflight and then a request
        preflight = await client.options(
            "/healthz",
            headers={
                "Origin": "https://allowed.example",
                "Access-Control-Request-Method": "GET",
            },
        )
        response = await client.get(
            "/healthz", headers={"Origin": "https://allowed.example"}
        )

    # Then both are allowed, credentials included, and ids are readable
    assert preflight.status_code == 200
    allowed = "https://allowed.example"
    assert preflight.headers["Access-Control-Allow-Origin"] == allowed
    assert response.headers["Access-Control-Allow-Origin"] == allowed
    assert response.headers["Access-Control-Allow-Credentials"] == "true"
    assert "x-request-id" in response.headers["Access-Control-Expose-Headers"].lower()


async def test_cors_ignores_other_origins(cors_app: FastAPI) -> None:
    # Given an application that allows https://allowed.example only
    transport = ASGITransport(app=cors_app)
    async with AsyncClient(transport=transport, base_url="http://test") as client:
        # When another origin sends a preflight and then a request
        preflight = await client.options(
            "/healthz",
            headers={
                "Origin": "https://evil.example",
                "Access-Control-Request-Method": "GET",
            },
        )
        response = await client.get(
            "/healthz", headers={"Origin": "https://evil.example"}
        )

    # Then the browser is given no permission to read the answers
    assert preflight.status_code == 400
    assert "Access-Control-Allow-Origin" not in preflight.headers
    assert "Access-Control-Allow-Origin" not in response.headers
