"""OpenTelemetry tracing: off and not even imported by default, spans when on."""

import ast
import importlib.abc
import importlib.machinery
import json
import sys
from collections.abc import Iterator, Sequence
from pathlib import Path
from types import ModuleType

import httpx
import pytest
import structlog
from httpx import ASGITransport, AsyncClient
from opentelemetry import trace
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

APP_DIR = Path(__file__).resolve().parents[1] / "app"

# What tracing loads beyond the API that FastAPI itself imports.
TRACING_MODULES = (
    "app.core.tracing",
    "opentelemetry.sdk",
    "opentelemetry.exporter",
    "opentelemetry.instrumentation",
)


class ImportRecorder(importlib.abc.MetaPathFinder):
    """Refuses the tracing modules and records every attempt to import one."""

    def __init__(self) -> None:
        self.attempts: list[str] = []

    def find_spec(
        self,
        fullname: str,
        path: Sequence[str] | None,
        target: ModuleType | None = None,
    ) -> importlib.machinery.ModuleSpec | None:
        if fullname.startswith(TRACING_MODULES):
            self.attempts.append(fullname)
            raise ImportError(f"{fullname} is not loaded without an endpoint")
        return None


def import_time_imports(tree: ast.Module) -> Iterator[str]:
    """The modules a module imports as it is imported (not in its functions).

    Imports under ``if TYPE_CHECKING:`` never run and are left out.
    """
    nodes: list[ast.AST] = list(tree.body)
    while nodes:
        node = nodes.pop()
        if isinstance(node, ast.Import):
            yield from (alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module:
            yield node.module
            yield from (f"{node.module}.{alias.name}" for alias in node.names)
        elif isinstance(node, ast.If) and ast.unparse(node.test) == "TYPE_CHECKING":
            nodes.extend(node.orelse)
        elif not isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef | ast.Lambda):
            nodes.extend(ast.iter_child_nodes(node))


def test_no_module_imports_tracing_as_it_is_imported() -> None:
    # Given every module of the application but the tracing module itself
    modules = [path for path in APP_DIR.rglob("*.py") if path != Path(tracing.__file__)]

    # When their import-time imports are read
    found = {
        f"{path.relative_to(APP_DIR.parent)}: {name}"
        for path in modules
        for name in import_time_imports(ast.parse(path.read_text()))
        if name.startswith(TRACING_MODULES)
    }

    # Then none of them is a tracing module: they are imported only when tracing
    # is on
    assert len(modules) > 10
    assert found == set()


@pytest.mark.usefixtures("engine")
async def test_without_an_endpoint_the_application_loads_no_tracing(
    settings: Settings, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Given no OTLP endpoint, and the tracing modules unloaded and refused
    for name in [name for name in sys.modules if name.startswith(TRACING_MODULES)]:
        monkeypatch.delitem(sys.modules, name)
    recorder = ImportRecorder()
    monkeypatch.setattr(sys, "meta_path", [recorder, *sys.meta_path])
    untraced = settings.model_copy(update={"otel_exporter_otlp_endpoint": None})

    # When the application is built, started and answers a request
    app = create_app(untraced)
    async with app.router.lifespan_context(app):
        transport = ASGITransport(app=app)
        async with AsyncClient(transport=transport, base_url="http://test") as client:
            response = await client.get("/readyz")

    # Then nothing tried to load tracing, and no tracer provider is set
    assert response.status_code == 200
    assert recorder.attempts == []
    assert app.state.tracer_provider is None
    assert type(trace.get_tracer_provider()).__name__ == "ProxyTracerProvider"


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
