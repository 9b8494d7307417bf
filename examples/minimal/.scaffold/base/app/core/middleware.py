"""Pure ASGI middleware: request id, timing and access log, security headers,
request body size limit.

Pure ASGI rather than ``BaseHTTPMiddleware``: no extra task per request, and
context variables (the request id in the log context) reach the endpoint.
"""

import re
import time
import uuid
from collections.abc import Iterable
from datetime import UTC, datetime

import structlog
from starlette.datastructures import Headers, MutableHeaders
from starlette.responses import JSONResponse
from starlette.status import HTTP_413_CONTENT_TOO_LARGE
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from app.schemas.common import ErrorResponse

REQUEST_ID_HEADER = "X-Request-ID"
PROCESS_TIME_HEADER = "X-Process-Time"

_VALID_REQUEST_ID = re.compile(r"[A-Za-z0-9._-]{1,128}")
_CONTENT_SECURITY_POLICY = "default-src 'none'; frame-ancestors 'none'"
_SECURITY_HEADERS = {
    "X-Content-Type-Options": "nosniff",
    "X-Frame-Options": "DENY",
    "Referrer-Policy": "no-referrer",
    "Cross-Origin-Opener-Policy": "same-origin",
}
_STRICT_TRANSPORT_SECURITY = "max-age=63072000; includeSubDomains"

access_logger = structlog.get_logger("app.access")


def get_request_id(scope: Scope) -> str | None:
    """Return the id :class:`RequestIdMiddleware` gave the request, if any.

    Args:
        scope: The ASGI scope of the request (``request.scope``).

    Returns:
        The request id, or ``None`` outside a request that passed the middleware.
    """
    request_id = scope.get("state", {}).get("request_id")
    return request_id if isinstance(request_id, str) else None


class RequestIdMiddleware:
    """Give every HTTP request an id, bind it to the log context, send it back.

    A valid incoming ``X-Request-ID`` (1 to 128 letters, digits, ``.``, ``_`` or
    ``-``) is kept so that a request can be traced across services; anything
    else is replaced by a new random id. The id is stored in
    ``request.state.request_id`` and returned in the ``X-Request-ID`` header.

    Args:
        app: The ASGI application to wrap.
    """

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        """Handle one ASGI connection."""
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return

        incoming = Headers(scope=scope).get(REQUEST_ID_HEADER)
        if incoming is not None and _VALID_REQUEST_ID.fullmatch(incoming):
            request_id = incoming
        else:
            request_id = uuid.uuid4().hex
        scope.setdefault("state", {})["request_id"] = request_id

        async def send_with_request_id(message: Message) -> None:
            if message["type"] == "http.response.start":
                MutableHeaders(scope=message)[REQUEST_ID_HEADER] = request_id
            await send(message)

        with structlog.contextvars.bound_contextvars(request_id=request_id):
            await self.app(scope, receive, send_with_request_id)


class AccessLogMiddleware:
    """Time every HTTP request, set ``X-Process-Time`` and log one line for it.

    ``X-Process-Time`` holds the seconds until the response started; it is
    meant for development, as it tells an attacker how long each request took
    (say, whether a password was checked), so production leaves it off. The
    access log line names the method, the path (never the query string, which
    may hold secrets), the status code and the duration in milliseconds.

    Args:
        app: The ASGI application to wrap.
        process_time_header: Whether to send ``X-Process-Time``.
    """

    def __init__(self, app: ASGIApp, *, process_time_header: bool = True) -> None:
        self.app = app
        self.process_time_header = process_time_header

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        """Handle one ASGI connection."""
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return

        start = time.perf_counter()
        status_code = 500

        async def send_with_process_time(message: Message) -> None:
            nonlocal status_code
            if message["type"] == "http.response.start":
                status_code = message["status"]
                if self.process_time_header:
                    elapsed = time.perf_counter() - start
                    headers = MutableHeaders(scope=message)
                    headers[PROCESS_TIME_HEADER] = f"{elapsed:.6f}"
            await send(message)

        try:
            await self.app(scope, receive, send_with_process_time)
        finally:
            access_logger.info(
                "request",
                method=scope["method"],
                path=scope["path"],
                status_code=status_code,
                duration_ms=round((time.perf_counter() - start) * 1000, 2),
            )


class SecurityHeadersMiddleware:
    """Set security headers on every HTTP response.

    The restrictive ``Content-Security-Policy`` suits a JSON API; it is left off
    the interactive documentation pages, which load scripts and styles.

    Args:
        app: The ASGI application to wrap.
        docs_paths: Paths of the documentation pages (Swagger UI, ReDoc).
        hsts: Whether to send ``Strict-Transport-Security``; turn it on only
            where the service is reached over HTTPS.
    """

    def __init__(
        self, app: ASGIApp, *, docs_paths: Iterable[str] = (), hsts: bool = False
    ) -> None:
        self.app = app
        self.docs_paths = frozenset(docs_paths)
        self.hsts = hsts

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        """Handle one ASGI connection."""
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return

        is_docs_page = scope["path"] in self.docs_paths

        async def send_with_security_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers = MutableHeaders(scope=message)
                for name, value in _SECURITY_HEADERS.items():
                    headers.setdefault(name, value)
                if not is_docs_page:
                    headers.setdefault(
                        "Content-Security-Policy", _CONTENT_SECURITY_POLICY
                    )
                if self.hsts:
                    headers.setdefault(
                        "Strict-Transport-Security", _STRICT_TRANSPORT_SECURITY
                    )
            await send(message)

        await self.app(scope, receive, send_with_security_headers)


class BodySizeLimitMiddleware:
    """Answer 413 to a request whose body is larger than ``max_body_bytes``.

    A ``Content-Length`` over the limit is refused before anything is read.
    Otherwise the body is read first, its bytes counted as they arrive, so the
    limit holds for chunked bodies without ``Content-Length`` and for a
    ``Content-Length`` that lies; once complete, the body is handed to the
    application. The 413 answer has the one error format.

    Args:
        app: The ASGI application to wrap.
        max_body_bytes: The largest body accepted, in bytes.
    """

    def __init__(self, app: ASGIApp, *, max_body_bytes: int) -> None:
        self.app = app
        self.max_body_bytes = max_body_bytes

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        """Handle one ASGI connection."""
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return

        declared = Headers(scope=scope).get("content-length", "")
        if declared.isdigit() and int(declared) > self.max_body_bytes:
            await self._refuse(scope, receive, send)
            return

        messages: list[Message] = []
        received = 0
        while True:
            message = await receive()
            messages.append(message)
            if message["type"] != "http.request":
                break
            received += len(message.get("body", b""))
            if received > self.max_body_bytes:
                await self._refuse(scope, receive, send)
                return
            if not message.get("more_body", False):
                break

        async def replay() -> Message:
            return messages.pop(0) if messages else await receive()

        await self.app(scope, replay, send)

    async def _refuse(self, scope: Scope, receive: Receive, send: Send) -> None:
        """Send the 413 answer, in the one error format."""
        body = ErrorResponse(
            detail=f"The request body is larger than {self.max_body_bytes} bytes",
            error_code="CONTENT_TOO_LARGE",
            timestamp=datetime.now(UTC),
            path=scope["path"],
            request_id=get_request_id(scope),
        )
        response = JSONResponse(
            body.model_dump(mode="json"),
            status_code=HTTP_413_CONTENT_TOO_LARGE,
            headers={"Connection": "close"},
        )
        await response(scope, receive, send)
