"""OpenTelemetry tracing of requests, database statements and outgoing HTTP calls.

Imported only when ``OTEL_EXPORTER_OTLP_ENDPOINT`` is set (see
:mod:`app.core.observability`). FastAPI traces the requests itself once it is
given a tracer provider; this module builds that provider, which sends spans to
the OTLP/HTTP collector in batches, and instruments SQLAlchemy and httpx. Each
request's span carries its request id, and log lines written inside a span
carry its trace and span ids.
"""

from opentelemetry import trace
from opentelemetry.exporter.otlp.proto.http.trace_exporter import OTLPSpanExporter
from opentelemetry.instrumentation.httpx import HTTPXClientInstrumentor
from opentelemetry.instrumentation.sqlalchemy import SQLAlchemyInstrumentor
from opentelemetry.sdk.resources import SERVICE_NAME, Resource
from opentelemetry.sdk.trace import TracerProvider
from opentelemetry.sdk.trace.export import BatchSpanProcessor
from sqlalchemy.ext.asyncio import AsyncEngine
from starlette.types import Scope
from structlog.typing import EventDict, WrappedLogger

from app.core.config import Settings
from app.core.middleware import get_request_id

REQUEST_ID_ATTRIBUTE = "http.request.id"
"""The span attribute that holds the request id (``X-Request-ID``)."""


def create_tracer_provider(settings: Settings) -> TracerProvider:
    """Build the tracer provider that sends spans to ``OTEL_EXPORTER_OTLP_ENDPOINT``.

    It also traces the HTTP calls made with httpx from now on.

    Args:
        settings: The settings with the service name and the OTLP endpoint.

    Returns:
        The tracer provider; hand it to FastAPI and to :func:`trace_engine`.
    """
    endpoint = str(settings.otel_exporter_otlp_endpoint).rstrip("/")
    provider = TracerProvider(
        resource=Resource.create({SERVICE_NAME: settings.otel_service_name})
    )
    provider.add_span_processor(
        BatchSpanProcessor(OTLPSpanExporter(endpoint=f"{endpoint}/v1/traces"))
    )
    HTTPXClientInstrumentor().instrument(tracer_provider=provider)
    return provider


def trace_engine(engine: AsyncEngine, provider: trace.TracerProvider) -> None:
    """Trace the statements ``engine`` runs.

    Args:
        engine: The application's database engine.
        provider: The tracer provider of :func:`create_tracer_provider`.
    """
    # The instrumentation declares support up to SQLAlchemy 2.0 only; the engine
    # events it relies on are unchanged in 2.1.
    SQLAlchemyInstrumentor().instrument(
        engine=engine.sync_engine, tracer_provider=provider, skip_dep_check=True
    )


def tag_span(scope: Scope, route: str) -> None:
    """Put the request id on the request's span (FastAPI names its route).

    Args:
        scope: The ASGI scope of the request.
        route: The route template that answered it.
    """
    span = trace.get_current_span()
    if not span.is_recording():
        return
    request_id = get_request_id(scope)
    if request_id is not None:
        span.set_attribute(REQUEST_ID_ATTRIBUTE, request_id)


def add_trace_ids(
    logger: WrappedLogger, method_name: str, event_dict: EventDict
) -> EventDict:
    """Add the current trace and span ids to a log line, as the collector shows them.

    A structlog processor; lines written outside a span are left as they are.
    """
    context = trace.get_current_span().get_span_context()
    if context.is_valid:
        event_dict["trace_id"] = format(context.trace_id, "032x")
        event_dict["span_id"] = format(context.span_id, "016x")
    return event_dict
