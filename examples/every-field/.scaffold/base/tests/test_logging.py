"""Structured logging: request ids on every line, JSON lines in production."""

import json
import logging
from collections.abc import Iterator
from typing import Any, cast

import pytest
import structlog
from httpx import AsyncClient

from app.core.logging import configure_logging


async def test_access_log_line_carries_the_request_id(
    client: AsyncClient, caplog: pytest.LogCaptureFixture
) -> None:
    # Given a request with a request id
    caplog.set_level(logging.INFO)

    # When it is answered
    await client.get("/healthz", headers={"X-Request-ID": "trace-me-42"})

    # Then its access log line names the request, its outcome and its id
    # structlog hands its event dictionary to the standard library as ``msg``.
    [line] = [
        cast(dict[str, Any], record.msg)
        for record in caplog.records
        if record.name == "app.access"
    ]
    assert line["request_id"] == "trace-me-42"
    assert line["method"] == "GET"
    assert line["path"] == "/healthz"
    assert line["status_code"] == 200


@pytest.fixture
def console_logging_afterwards() -> Iterator[None]:
    """Restore the console logging of the tests after a test changes it."""
    yield
    configure_logging(level="INFO", json=False)


@pytest.mark.usefixtures("console_logging_afterwards")
def test_log_lines_are_json_with_the_bound_context(
    capsys: pytest.CaptureFixture[str],
) -> None:
    # Given JSON logging and a request id bound to the context
    configure_logging(level="INFO", json=True)
    logger = structlog.get_logger("tests")

    # When a line is logged, from structlog and from the standard library
    with structlog.contextvars.bound_contextvars(request_id="req-json"):
        logger.info("order placed", order_id=7)
        logging.getLogger("tests.stdlib").warning("disk almost full")

    # Then each is one JSON object carrying the request id
    lines = [json.loads(line) for line in capsys.readouterr().out.splitlines()]
    assert [line["event"] for line in lines] == ["order placed", "disk almost full"]
    assert all(line["request_id"] == "req-json" for line in lines)
    assert lines[0]["order_id"] == 7
    assert lines[1]["level"] == "warning"
