"""The client address: ``X-Forwarded-For`` counts only from ``TRUSTED_PROXIES``."""

from fastapi import FastAPI, Request
from httpx import ASGITransport, AsyncClient

from app.core.config import Settings
from app.main import create_app


def app_reporting_the_client(settings: Settings, trusted: list[str]) -> FastAPI:
    """The application, trusting ``trusted``, with a route naming the client."""
    app = create_app(settings.model_copy(update={"trusted_proxies": trusted}))

    @app.get("/client")
    async def client_host(request: Request) -> str | None:
        return request.client.host if request.client else None

    return app


async def client_seen(app: FastAPI, peer: str, forwarded_for: str) -> str:
    """The client the application sees for a request from ``peer``."""
    transport = ASGITransport(app=app, client=(peer, 50000))
    async with AsyncClient(transport=transport, base_url="http://test") as client:
        response = await client.get(
            "/client", headers={"X-Forwarded-For": forwarded_for}
        )
    host: str = response.json()
    return host


async def test_x_forwarded_for_is_ignored_by_default(settings: Settings) -> None:
    # Given no trusted proxy / When a client claims another address
    app = app_reporting_the_client(settings, [])

    # Then its own address counts
    assert await client_seen(app, "203.0.113.5", "192.0.2.1") == "203.0.113.5"


async def test_x_forwarded_for_from_an_untrusted_client_is_ignored(
    settings: Settings,
) -> None:
    app = app_reporting_the_client(settings, ["10.0.0.0/8"])

    assert await client_seen(app, "203.0.113.5", "192.0.2.1") == "203.0.113.5"


async def test_a_trusted_proxy_names_the_rightmost_untrusted_address(
    settings: Settings,
) -> None:
    # Given trusted proxies in 10.0.0.0/8, two of them in the chain, and a
    # client that put a made-up address in front
    app = app_reporting_the_client(settings, ["10.0.0.0/8"])

    # When the request arrives through the proxies
    seen = await client_seen(app, "10.0.0.1", "6.6.6.6, 192.0.2.1, 10.0.0.2")

    # Then the client is the address the first trusted proxy saw
    assert seen == "192.0.2.1"
