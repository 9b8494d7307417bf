"""Metrics, traces and the route of slow query logs, installed on one application.

OpenTelemetry is imported only when ``OTEL_EXPORTER_OTLP_ENDPOINT`` is set:
without it, tracing costs nothing, not even the import.
"""

import time
from collections.abc import Callable

from fastapi import FastAPI
from fastapi.telemetry import TelemetryConfig
from prometheus_client import CollectorRegistry
from sqlalchemy.ext.asyncio import AsyncEngine
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from app.api.metrics import create_metrics_router
from app.core.config import Settings
from app.core.logging import configure_logging
from app.core.metrics import HttpMetrics, PoolCollector
from app.core.routes import request_scope, route_template

ResponseHook = Callable[[Scope, str], None]


class ObservabilityMiddleware:
    """Count the request in the metrics and make its route known to the logs.

    Args:
        app: The ASGI application to wrap.
        metrics: The request metrics, or ``None`` when metrics are off.
        on_response: Called with the scope and the route of every request as
            its response starts, e.g. to tag the request's span.
    """

    def __init__(
        self,
        app: ASGIApp,
        *,
        metrics: HttpMetrics | None = None,
        on_response: ResponseHook | None = None,
    ) -> None:
        self.app = app
        self.metrics = metrics
        self.on_response = on_response

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        """Handle one ASGI connection."""
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return

        status_code = 500

        async def send_with_status(message: Message) -> None:
            nonlocal status_code
            if message["type"] == "http.response.start":
                status_code = message["status"]
                if self.on_response is not None:
                    self.on_response(scope, route_template(scope))
            await send(message)

        start = time.perf_counter()
        if self.metrics is not None:
            self.metrics.in_flight.inc()
        try:
            with request_scope(scope):
                await self.app(scope, receive, send_with_status)
        finally:
            if self.metrics is not None:
                self.metrics.in_flight.dec()
                method = scope["method"]
                route = route_template(scope)
                self.metrics.requests.labels(method, route, str(status_code)).inc()
                self.metrics.latency.labels(method, route).observe(
                    time.perf_counter() - start
                )


def telemetry_config(settings: Settings) -> TelemetryConfig:
    """FastAPI's own OpenTelemetry settings: request spans when tracing is on.

    Tracing is on when ``OTEL_EXPORTER_OTLP_ENDPOINT`` is set; then the tracer
    provider of :mod:`app.core.tracing` is built here. FastAPI's metrics and
    logs stay off: Prometheus and structlog cover them.

    Args:
        settings: The application's settings.

    Returns:
        The ``telemetry`` argument of ``FastAPI``.
    """
    if not settings.otel_exporter_otlp_endpoint:
        return {"tracing": False, "metrics": False, "logs": False}
    from app.core.tracing import create_tracer_provider

    return {
        "tracer_provider": create_tracer_provider(settings),
        "metrics": False,
        "logs": False,
    }


def install_observability(
    app: FastAPI, settings: Settings, telemetry: TelemetryConfig
) -> None:
    """Add metrics, the request id on spans and the route for the logs to ``app``.

    Call it once while building the application, and :func:`observe_engine`
    once its engine exists.

    Args:
        app: The application.
        settings: Its settings: ``METRICS_*`` and ``OTEL_*``.
        telemetry: What :func:`telemetry_config` returned; ``app`` was built
            with it.
    """
    app.state.tracer_provider = telemetry.get("tracer_provider")
    registry = CollectorRegistry()
    app.state.metrics_registry = registry
    metrics = HttpMetrics(registry) if settings.metrics_enabled else None
    on_response: ResponseHook | None = None
    if app.state.tracer_provider is not None:
        from app.core.tracing import add_trace_ids, tag_span

        configure_logging(
            level=settings.log_level, json=settings.log_json, processors=[add_trace_ids]
        )
        on_response = tag_span
    app.add_middleware(
        ObservabilityMiddleware, metrics=metrics, on_response=on_response
    )
    if settings.metrics_enabled:
        app.include_router(create_metrics_router(settings, registry))


def observe_engine(app: FastAPI, engine: AsyncEngine, settings: Settings) -> None:
    """Report ``engine``'s pool in the metrics and trace its statements.

    Args:
        app: The application that :func:`install_observability` set up.
        engine: The application's database engine.
        settings: The application's settings.
    """
    if settings.metrics_enabled:
        registry: CollectorRegistry = app.state.metrics_registry
        registry.register(PoolCollector(engine))
    provider = app.state.tracer_provider
    if provider is not None:
        from app.core.tracing import trace_engine

        trace_engine(engine, provider)
