"""Prometheus metrics at ``/metrics``: requests, latency, in-flight requests, pool."""

from fastapi import FastAPI
from httpx import ASGITransport, AsyncClient
from pydantic import SecretStr

from app.core.config import Settings
from app.main import create_app

SCRAPER_KEY = "scrape-token-for-the-tests"


def add_thing_route(app: FastAPI) -> None:
    """Give ``app`` a route with a path parameter, whatever the project has."""

    @app.get("/things/{thing_id}")
    async def get_thing(thing_id: int) -> dict[str, int]:
        return {"thing_id": thing_id}


async def scrape(app: FastAPI, headers: dict[str, str] | None = None) -> str:
    """Request ``/metrics`` of ``app`` and return the body of the 200 answer."""
    transport = ASGITransport(app=app)
    async with AsyncClient(transport=transport, base_url="http://test") as client:
        response = await client.get("/metrics", headers=headers)
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("text/plain")
    return response.text


async def test_requests_are_counted_by_route_template_and_status(
    settings: Settings,
) -> None:
    # Given a new application, two requests to one route with different ids,
    # and one to no route
    app = create_app(settings)
    add_thing_route(app)
    transport = ASGITransport(app=app)
    async with AsyncClient(transport=transport, base_url="http://test") as client:
        await client.get("/things/1")
        await client.get("/things/2")
        await client.get("/no/such/path")

    # When the metrics are scraped
    text = await scrape(app)

    # Then the requests are counted under the route template, never the path
    assert (
        'http_requests_total{method="GET",route="/things/{thing_id}",status="200"} 2.0'
        in text
    )
    assert 'http_requests_total{method="GET",route="<unmatched>",status="404"}' in text
    assert "/things/1" not in text
    assert (
        'http_request_duration_seconds_count{method="GET",route="/things/{thing_id}"}'
        " 2.0" in text
    )
    # (the scrape itself is the one request in flight)
    assert "http_requests_in_flight 1.0" in text


async def test_the_database_pool_is_reported(settings: Settings) -> None:
    # Given a new application, started, which has opened its engine
    app = create_app(settings)
    async with app.router.lifespan_context(app):
        # When the metrics are scraped
        text = await scrape(app)

    # Then they report the connection pool
    assert f"db_pool_size {float(settings.db_pool_size)}" in text
    assert "db_pool_checked_out" in text
    assert "db_pool_overflow" in text


async def test_metrics_can_be_turned_off(settings: Settings) -> None:
    # Given an application with metrics turned off
    app = create_app(settings.model_copy(update={"metrics_enabled": False}))

    # When /metrics is requested
    transport = ASGITransport(app=app)
    async with AsyncClient(transport=transport, base_url="http://test") as client:
        response = await client.get("/metrics")

    # Then there is no such endpoint
    assert response.status_code == 404


async def test_private_metrics_need_the_bearer_token(settings: Settings) -> None:
    # Given metrics that are not public, as in production, with a scrape token
    private = settings.model_copy(
        update={"metrics_public": False, "metrics_token": SecretStr(SCRAPER_KEY)}
    )
    app = create_app(private)
    transport = ASGITransport(app=app)
    async with AsyncClient(transport=transport, base_url="http://test") as client:
        # When they are requested without the token, and with a wrong one
        anonymous = await client.get("/metrics")
        wrong = await client.get(
            "/metrics", headers={"Authorization": "Bearer not-the-token"}
        )

    # Then both are refused in the one error format
    for response in (anonymous, wrong):
        assert response.status_code == 401
        assert response.json()["error_code"] == "UNAUTHORIZED"
        assert response.headers["WWW-Authenticate"] == "Bearer"

    # And the scraper with the token reads them
    text = await scrape(app, {"Authorization": f"Bearer {SCRAPER_KEY}"})
    assert "http_requests_total" in text


async def test_private_metrics_without_a_token_are_closed(settings: Settings) -> None:
    # Given metrics that are not public and no scrape token
    app = create_app(settings.model_copy(update={"metrics_public": False}))
    transport = ASGITransport(app=app)
    async with AsyncClient(transport=transport, base_url="http://test") as client:
        # When they are requested with an empty bearer token
        response = await client.get("/metrics", headers={"Authorization": "Bearer "})

    # Then they are refused
    assert response.status_code == 401


def test_metrics_are_private_in_production_by_default() -> None:
    # Given the settings of each environment
    # When nothing is said about metrics
    # Then they are public everywhere but in production
    assert Settings(_env_file=None, environment="development").metrics_public
    assert Settings(_env_file=None, environment="test").metrics_public
    assert not Settings(
        _env_file=None,
        environment="production",
        secret_key=SecretStr("a-production-signing-key-of-more-than-32-bytes"),
    ).metrics_public
