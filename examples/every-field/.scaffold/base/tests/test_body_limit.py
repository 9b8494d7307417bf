"""Request bodies over ``MAX_BODY_BYTES`` answer 413, however they arrive."""

from collections.abc import AsyncIterator

import pytest
from httpx import ASGITransport, AsyncClient
from starlette.types import Message, Receive, Scope, Send

from app.core.config import Settings
from app.core.middleware import BodySizeLimitMiddleware
from app.main import create_app

LIMIT = 16


@pytest.fixture
async def small_client(settings: Settings) -> AsyncIterator[AsyncClient]:
    """A client of the application accepting bodies of up to 16 bytes."""
    app = create_app(settings.model_copy(update={"max_body_bytes": LIMIT}))
    transport = ASGITransport(app=app)
    async with AsyncClient(transport=transport, base_url="http://test") as client:
        yield client


async def chunks(*parts: bytes) -> AsyncIterator[bytes]:
    """A streamed body: sent chunked, without ``Content-Length``."""
    for part in parts:
        yield part


async def test_a_declared_oversized_body_answers_413(
    small_client: AsyncClient,
) -> None:
    # Given a body one byte over the limit, with its Content-Length
    # When it is posted
    response = await small_client.post("/healthz", content=b"x" * (LIMIT + 1))

    # Then 413 in the one error format
    assert response.status_code == 413
    body = response.json()
    assert body["error_code"] == "CONTENT_TOO_LARGE"
    assert body["path"] == "/healthz"
    assert body["request_id"] == response.headers["X-Request-ID"]


async def test_a_chunked_oversized_body_answers_413(
    small_client: AsyncClient,
) -> None:
    # Given a body over the limit, streamed in chunks without Content-Length
    # When it is posted
    response = await small_client.post("/healthz", content=chunks(b"x" * 10, b"x" * 10))

    # Then 413, counted as the chunks arrived
    assert response.status_code == 413
    assert response.json()["error_code"] == "CONTENT_TOO_LARGE"


async def test_a_body_within_the_limit_reaches_the_application(
    small_client: AsyncClient,
) -> None:
    # Given a body of exactly the limit, streamed / When it is posted
    response = await small_client.post("/healthz", content=chunks(b"x" * 8, b"x" * 8))

    # Then the application answers it: GET only, so 405
    assert response.status_code == 405


async def echo(scope: Scope, receive: Receive, send: Send) -> None:
    """An ASGI application answering with the body it read."""
    body = b""
    more = True
    while more:
        message = await receive()
        body += message.get("body", b"")
        more = message.get("more_body", False)
    await send({"type": "http.response.start", "status": 200, "headers": []})
    await send({"type": "http.response.body", "body": body})


async def call(
    app: BodySizeLimitMiddleware, headers: list[tuple[bytes, bytes]], *parts: bytes
) -> list[Message]:
    """Send a POST with ``parts`` as its body chunks; return what was sent back."""
    scope: Scope = {
        "type": "http",
        "method": "POST",
        "path": "/",
        "headers": headers,
    }
    incoming: list[Message] = [
        {"type": "http.request", "body": part, "more_body": index < len(parts) - 1}
        for index, part in enumerate(parts)
    ]
    sent: list[Message] = []

    async def receive() -> Message:
        return incoming.pop(0) if incoming else {"type": "http.disconnect"}

    async def send(message: Message) -> None:
        sent.append(message)

    await app(scope, receive, send)
    return sent


async def test_a_lying_content_length_does_not_get_past_the_limit() -> None:
    # Given a request claiming 4 bytes but sending 20
    app = BodySizeLimitMiddleware(echo, max_body_bytes=LIMIT)
    headers = [(b"content-length", b"4")]

    # When it is handled
    sent = await call(app, headers, b"x" * 10, b"x" * 10)

    # Then 413, from the bytes counted
    assert sent[0]["status"] == 413


async def test_the_body_reaches_the_application_whole() -> None:
    # Given a chunked body within the limit
    app = BodySizeLimitMiddleware(echo, max_body_bytes=LIMIT)

    # When it is handled
    sent = await call(app, [], b"abc", b"def", b"")

    # Then the application read every chunk
    assert sent[0]["status"] == 200
    assert sent[1]["body"] == b"abcdef"


def test_the_default_limit_is_one_mebibyte() -> None:
    assert Settings(_env_file=None).max_body_bytes == 1024 * 1024
