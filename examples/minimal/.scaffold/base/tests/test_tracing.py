"""OpenTelemetry tracing: off and not even imported by default, spans when on."""

import asyncio
import json
import os
import sys
from collections.abc import Iterator

import httpx
import pytest
import structlog
from httpx import ASGITransport, AsyncClient
from opentelemetry.instrumentation.httpx import HTTPXClientInstrumentor
from opentelemetry.sdk.trace import TracerProvider
from opentelemetry.sdk.trace.export import SimpleSpanProcessor
from opentelemetry.sdk.trace.export.in_memory_span_exporter import (
    InMemorySpanExporter,
)
from opentelemetry.trace import SpanKind

from app.core import tracing
from app.core.config import Settings
from app.core.logging import configure_logging
from app.main import create_app

# Imports the application, builds it and lists what of OpenTelemetry got loaded
# beyond the API that FastAPI itself imports.
PROBE = """
import json, sys
from app.core.config import Settings
from app.main import create_app
create_app(Settings(_env_file=None))
from opentelemetry import trace
loaded = [name for name in sys.modules if name.startswith((
    "opentelemetry.sdk", "opentelemetry.exporter", "opentelemetry.instrumentation"
))]
provider = type(trace.get_tracer_provider()).__name__
print(json.dumps({"loaded": loaded, "provider": provider}))
"""


async def test_opentelemetry_is_not_loaded_without_an_endpoint() -> None:
    # Given no OTLP endpoint
    env = {k: v for k, v in os.environ.items() if not k.startswith("OTEL_")}

    # When a fresh process builds the application
    process = await asyncio.create_subprocess_exec(
        sys.executable, "-c", PROBE, env=env, stdout=asyncio.subprocess.PIPE
    )
    output, _ = await process.communicate()

    # Then no SDK, exporter or instrumentation is imported, no provider is set
    assert process.returncode == 0
    probe = json.loads(output.decode().splitlines()[-1])
    assert probe == {"loaded": [], "provider": "ProxyTracerProvider"}


@pytest.fixture
def exporter(monkeypatch: pytest.MonkeyPatch) -> Iterator[InMemorySpanExporter]:
    """Keep spans in memory instead of sending them to a collector."""
    exporter = InMemorySpanExporter()
    monkeypatch.setattr(tracing, "OTLPSpanExporter", lambda endpoint: exporter)
    yield exporter
    HTTPXClientInstrumentor().uninstrument()
    configure_logging(level="INFO", json=False)


async def test_requests_and_statements_are_traced_with_the_request_id(
    settings: Settings, exporter: InMemorySpanExporter
) -> None:
    # Given an application with tracing on
    app = create_app(
        settings.model_copy(
            update={"otel_exporter_otlp_endpoint": "http://127.0.0.1:4318"}
        )
    )

    # When a request that queries the database is answered, and an outgoing
    # HTTP call is made (to a port where nothing listens)
    async with app.router.lifespan_context(app):
        transport = ASGITransport(app=app)
        async with AsyncClient(transport=transport, base_url="http://test") as client:
            response = await client.get("/readyz", headers={"X-Request-ID": "trace-1"})
        async with AsyncClient() as outgoing:
            with pytest.raises(httpx.ConnectError):
                await outgoing.get("http://127.0.0.1:1/ping")
    provider: TracerProvider = app.state.tracer_provider
    provider.force_flush()
    provider.shutdown()

    # Then its span names the route and carries the request id
    assert response.status_code == 200
    spans = exporter.get_finished_spans()
    [server] = [span for span in spans if span.kind is SpanKind.SERVER]
    assert server.attributes is not None
    assert server.attributes["http.route"] == "/readyz"
    assert server.attributes[tracing.REQUEST_ID_ATTRIBUTE] == "trace-1"
    # And the statement has a span of its own within the same trace
    [query] = [
        span
        for span in spans
        if span.kind is SpanKind.CLIENT
        and "SELECT 1" in str((span.attributes or {}).get("db.statement"))
    ]
    assert query.context.trace_id == server.context.trace_id
    # And the outgoing call has a span of its own
    assert any(
        span.kind is SpanKind.CLIENT and "127.0.0.1:1" in str(span.attributes)
        for span in spans
    )


def test_log_lines_inside_a_span_carry_its_trace_id(
    capsys: pytest.CaptureFixture[str], exporter: InMemorySpanExporter
) -> None:
    # Given JSON logs with trace ids, and a span
    configure_logging(level="INFO", json=True, processors=[tracing.add_trace_ids])
    provider = TracerProvider()
    provider.add_span_processor(SimpleSpanProcessor(exporter))
    tracer = provider.get_tracer("tests")

    # When a line is logged inside the span, and one outside
    with tracer.start_as_current_span("work") as span:
        structlog.get_logger("tests").info("inside")
    structlog.get_logger("tests").info("outside")

    # Then the first carries the span's trace id and the second none
    inside, outside = (
        json.loads(line) for line in capsys.readouterr().out.splitlines()
    )
    assert inside["trace_id"] == format(span.get_span_context().trace_id, "032x")
    assert "trace_id" not in outside
