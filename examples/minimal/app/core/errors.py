"""Application errors and the handlers that turn every error into one format.

Every error response has the body of :class:`app.schemas.common.ErrorResponse`::

    {"detail": "Book not found", "error_code": "NOT_FOUND",
     "timestamp": "2025-01-31T12:00:00Z", "path": "/api/v1/books/42",
     "request_id": "..."}

Validation errors (422) add ``errors``. Services raise :class:`AppError`
subclasses, never ``HTTPException``.
"""

from collections.abc import Mapping
from datetime import UTC, datetime
from http import HTTPStatus

import structlog
from fastapi import FastAPI, Request, status
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from sqlalchemy.exc import DBAPIError
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.routing import Match

from app.core.middleware import REQUEST_ID_HEADER, get_request_id
from app.schemas.common import (
    ErrorResponse,
    ValidationErrorItem,
    ValidationErrorResponse,
)

logger = structlog.get_logger(__name__)


class AppError(Exception):
    """Base class of the errors the application reports to its clients.

    Subclasses set ``status_code``, ``error_code`` and a default ``detail``;
    raise them with a more specific detail where one helps the client.

    Args:
        detail: What went wrong, for people; defaults to the class's ``detail``.
    """

    status_code: int = status.HTTP_400_BAD_REQUEST
    error_code: str = "BAD_REQUEST"
    detail: str = "The request cannot be processed"

    def __init__(self, detail: str | None = None) -> None:
        self.detail = detail if detail is not None else type(self).detail
        self.errors: list[ValidationErrorItem] | None = None
        super().__init__(self.detail)


class NotFoundError(AppError):
    """The requested object does not exist."""

    status_code = status.HTTP_404_NOT_FOUND
    error_code = "NOT_FOUND"
    detail = "Not found"


class ConflictError(AppError):
    """The request conflicts with the current state, e.g. a duplicate value."""

    status_code = status.HTTP_409_CONFLICT
    error_code = "CONFLICT"
    detail = "Conflict with the current state of the resource"


class PreconditionFailedError(AppError):
    """The client's ``If-Match`` names no current version: it changed meanwhile."""

    status_code = status.HTTP_412_PRECONDITION_FAILED
    error_code = "PRECONDITION_FAILED"
    detail = "The resource has changed since it was read; read it again"


class PreconditionRequiredError(AppError):
    """A change to a versioned resource came without ``If-Match``."""

    status_code = status.HTTP_428_PRECONDITION_REQUIRED
    error_code = "PRECONDITION_REQUIRED"
    detail = "Send If-Match with the ETag of the version being changed"


class InvalidReferenceError(AppError):
    """A body field refers by id to an object that does not exist.

    Answered like any invalid body: 422 with the field named in ``errors``.

    Args:
        field: The body field holding the id, e.g. ``author_id``.
        detail: What is missing, for people, e.g. ``No author has this id``.
    """

    status_code = status.HTTP_422_UNPROCESSABLE_CONTENT
    error_code = "VALIDATION_ERROR"
    detail = "The request is invalid"

    def __init__(self, field: str, detail: str) -> None:
        super().__init__()
        self.errors = [
            ValidationErrorItem(
                loc=["body", field], msg=detail, type="missing_reference"
            )
        ]


class ServiceUnavailableError(AppError):
    """A backing service, such as the database, cannot be reached."""

    status_code = status.HTTP_503_SERVICE_UNAVAILABLE
    error_code = "SERVICE_UNAVAILABLE"
    detail = "Service unavailable"


def error_response(
    request: Request,
    *,
    status_code: int,
    error_code: str,
    detail: str,
    errors: list[ValidationErrorItem] | None = None,
    headers: Mapping[str, str] | None = None,
) -> JSONResponse:
    """Build a response in the one error format.

    Args:
        request: The request that failed.
        status_code: HTTP status code of the response.
        error_code: What went wrong, for programs.
        detail: What went wrong, for people.
        errors: The problems found in the request, for validation errors.
        headers: Extra response headers, e.g. ``Allow`` on a 405.

    Returns:
        The JSON response.
    """
    body = ErrorResponse(
        detail=detail,
        error_code=error_code,
        timestamp=datetime.now(UTC),
        path=request.url.path,
        request_id=get_request_id(request.scope),
    )
    if errors is not None:
        body = ValidationErrorResponse(**body.model_dump(), errors=errors)
    return JSONResponse(
        body.model_dump(mode="json"), status_code=status_code, headers=headers
    )


async def _handle_app_error(request: Request, exc: AppError) -> JSONResponse:
    """Answer an :class:`AppError` with its own status, code and detail."""
    return error_response(
        request,
        status_code=exc.status_code,
        error_code=exc.error_code,
        detail=exc.detail,
        errors=exc.errors,
    )


async def _handle_validation_error(
    request: Request, exc: RequestValidationError
) -> JSONResponse:
    """Answer invalid input with 422 and every problem, without the input."""
    errors = [
        ValidationErrorItem(
            loc=list(error["loc"]), msg=error["msg"], type=error["type"]
        )
        for error in exc.errors()
    ]
    return error_response(
        request,
        status_code=status.HTTP_422_UNPROCESSABLE_CONTENT,
        error_code="VALIDATION_ERROR",
        detail="The request is invalid",
        errors=errors,
    )


async def _handle_http_exception(
    request: Request, exc: StarletteHTTPException
) -> JSONResponse:
    """Answer routing errors (404, 405) and any ``HTTPException`` alike."""
    try:
        error_code = HTTPStatus(exc.status_code).name
    except ValueError:
        error_code = "HTTP_ERROR"
    headers = exc.headers
    if exc.status_code == status.HTTP_405_METHOD_NOT_ALLOWED:
        headers = {**(headers or {}), "Allow": _allowed_methods(request)}
    return error_response(
        request,
        status_code=exc.status_code,
        error_code=error_code,
        detail=exc.detail,
        headers=headers,
    )


_METHODS = ("DELETE", "GET", "HEAD", "OPTIONS", "PATCH", "POST", "PUT")
"""The methods ``Allow`` may name, in the order it names them."""


def _allowed_methods(request: Request) -> str:
    """Every method some route answers at the request's path, for ``Allow``.

    Each method of a path is a route of its own, and the route that refuses
    the request names only its own methods, so every method is tried here.
    """
    routes = request.app.router.routes
    allowed = [
        method
        for method in _METHODS
        if any(
            route.matches({**request.scope, "method": method})[0] is Match.FULL
            for route in routes
        )
    ]
    return ", ".join(allowed)


async def _handle_database_error(request: Request, exc: DBAPIError) -> JSONResponse:
    """Answer 503 when the database connection was lost; re-raise anything else.

    SQLAlchemy invalidates the whole pool when it sees a lost connection (the
    server restarted, a proxy dropped it), so the client's retry gets a fresh
    one. Every other database error is unexpected and ends as a 500.
    """
    if not exc.connection_invalidated:
        raise exc
    logger.warning(
        "database connection lost", method=request.method, path=request.url.path
    )
    return error_response(
        request,
        status_code=status.HTTP_503_SERVICE_UNAVAILABLE,
        error_code=ServiceUnavailableError.error_code,
        detail="The database connection was lost; retry the request",
        headers={"Retry-After": "1"},
    )


async def _handle_unexpected_error(request: Request, exc: Exception) -> JSONResponse:
    """Log an unhandled exception and answer 500 without revealing anything.

    Starlette runs this handler outside every user middleware, so the request
    id header is set here rather than by the request id middleware.
    """
    request_id = get_request_id(request.scope)
    logger.exception(
        "unhandled exception",
        request_id=request_id,
        method=request.method,
        path=request.url.path,
    )
    response = error_response(
        request,
        status_code=status.HTTP_500_INTERNAL_SERVER_ERROR,
        error_code="INTERNAL_SERVER_ERROR",
        detail="Internal server error",
    )
    if request_id is not None:
        response.headers[REQUEST_ID_HEADER] = request_id
    return response


def register_exception_handlers(app: FastAPI) -> None:
    """Answer every error of ``app`` in the one error format.

    Args:
        app: The application to register the handlers on.
    """
    app.exception_handler(AppError)(_handle_app_error)
    app.exception_handler(RequestValidationError)(_handle_validation_error)
    app.exception_handler(StarletteHTTPException)(_handle_http_exception)
    app.exception_handler(DBAPIError)(_handle_database_error)
    app.exception_handler(Exception)(_handle_unexpected_error)
