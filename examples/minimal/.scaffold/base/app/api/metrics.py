"""The ``/metrics`` endpoint that Prometheus scrapes."""

import secrets

from fastapi import APIRouter, Request, Response, status
from prometheus_client import CONTENT_TYPE_LATEST, CollectorRegistry, generate_latest

from app.core.config import Settings
from app.core.errors import error_response


def create_metrics_router(settings: Settings, registry: CollectorRegistry) -> APIRouter:
    """Build the router of ``GET /metrics``.

    The metrics are open to anyone while ``METRICS_PUBLIC`` is on (the default
    outside production); otherwise a scraper sends ``METRICS_TOKEN`` as a bearer
    token.

    Args:
        settings: The settings with the access rules of the endpoint.
        registry: The registry whose metrics are served.

    Returns:
        The router.
    """
    router = APIRouter(tags=["metrics"])
    token = settings.metrics_token.get_secret_value() if settings.metrics_token else ""

    def may_read(request: Request) -> bool:
        """Whether the metrics are public or the request carries the token."""
        if settings.metrics_public:
            return True
        authorization = request.headers.get("Authorization", "")
        scheme, _, credentials = authorization.partition(" ")
        return (
            bool(token)
            and scheme.lower() == "bearer"
            and secrets.compare_digest(credentials.encode(), token.encode())
        )

    @router.get("/metrics", include_in_schema=False)
    async def metrics(request: Request) -> Response:
        """Serve the metrics in the Prometheus text format."""
        if not may_read(request):
            return error_response(
                request,
                status_code=status.HTTP_401_UNAUTHORIZED,
                error_code="UNAUTHORIZED",
                detail="Metrics need the bearer token of METRICS_TOKEN",
                headers={"WWW-Authenticate": "Bearer"},
            )
        return Response(generate_latest(registry), media_type=CONTENT_TYPE_LATEST)

    return router
