"""The route template of the request being answered, for metrics and logs.

Labels and log fields use the template (``/api/v1/books/{book_id}``), never the
path itself, so that every book shares one series and no id leaks into them.
"""

import re
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar

from starlette.types import Scope

UNMATCHED_ROUTE = "<unmatched>"
"""The route of requests no route matches, so that 404s of made-up paths do not
each get a series of their own."""

_request_scope: ContextVar[Scope | None] = ContextVar("request_scope", default=None)


def route_template(scope: Scope) -> str:
    """Return the path template of the route that answered the request.

    The chosen route knows its path within its router; the prefixes it was
    included under (``/api/v1``) are the part of the request path before the
    part that the route matches.

    Args:
        scope: The ASGI scope of the request, once the router has chosen a route.

    Returns:
        The template, e.g. ``/api/v1/books/{book_id}``, or
        :data:`UNMATCHED_ROUTE` before routing or when no route matched.
    """
    route = scope.get("route")
    template = getattr(route, "path", None)
    pattern = getattr(route, "path_regex", None)
    if not isinstance(template, str) or not isinstance(pattern, re.Pattern):
        return UNMATCHED_ROUTE
    path: str = scope["path"]
    for start, character in enumerate(path):
        if character == "/" and pattern.match(path[start:]):
            return path[:start] + template
    return template


def current_route() -> str | None:
    """Return the route template of the request being answered, if any."""
    scope = _request_scope.get()
    return None if scope is None else route_template(scope)


@contextmanager
def request_scope(scope: Scope) -> Iterator[None]:
    """Make ``scope`` the request being answered while the block runs."""
    token = _request_scope.set(scope)
    try:
        yield
    finally:
        _request_scope.reset(token)
