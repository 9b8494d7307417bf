"""Conditional requests on versioned resources: ``ETag`` and ``If-Match``.

Each row of a versioned resource has a ``version`` that every change
increments. Reads send it as a strong entity tag (``ETag: "3"``); ``PUT``,
``PATCH`` and ``DELETE`` must send a tag back in ``If-Match`` (RFC 9110,
section 13.1.1), so that no client overwrites a change it has not seen:

- without ``If-Match`` the change answers 428 Precondition Required;
- when no tag in it names the current version, 412 Precondition Failed;
- ``If-Match: *`` matches whatever version is current.

``If-Match`` compares tags strongly, as RFC 9110 requires: a weak tag
(``W/"3"``) never matches, and the 412 says so. The database guards the
version too, so two changes that name the same version cannot both succeed.
"""

from typing import Annotated, Any

from fastapi import Depends, Request

from app.core.errors import PreconditionFailedError, PreconditionRequiredError

IF_MATCH_REQUIRED: dict[str, Any] = {
    "parameters": [
        {
            "name": "If-Match",
            "in": "header",
            "required": True,
            "description": 'The ETag of the version being changed, e.g. "3"; '
            "* for whatever version is current.",
            "schema": {"type": "string"},
        }
    ]
}
"""The ``openapi_extra`` of a route that changes a versioned row.

The header is read by :func:`if_match` rather than declared as a parameter,
so that a request without it answers 428 rather than 422; this documents it.
"""


def etag(version: int) -> str:
    """Return the strong entity tag of a version: ``"3"`` for version 3."""
    return f'"{version}"'


async def if_match(request: Request) -> str | None:
    """Return the request's ``If-Match`` header (every line of it), or None."""
    values = request.headers.getlist("If-Match")
    return ", ".join(values) if values else None


IfMatch = Annotated[str | None, Depends(if_match)]
"""The ``If-Match`` header of a change, as a route parameter."""


def ensure_current(if_match: str | None, version: int) -> None:
    """Let a change through only if ``if_match`` names the current version.

    Args:
        if_match: The request's ``If-Match`` header, or None without one.
        version: The version of the row as the database has it.

    Raises:
        PreconditionRequiredError: The request has no ``If-Match`` (428).
        PreconditionFailedError: No tag in it names ``version`` (412).
    """
    if if_match is None:
        raise PreconditionRequiredError
    tags = [tag.strip() for tag in if_match.split(",")]
    if "*" in tags or etag(version) in tags:
        return
    if any(tag.startswith("W/") for tag in tags):
        raise PreconditionFailedError(
            "If-Match compares ETags strongly, so a weak one (W/...) never "
            "matches; send the ETag exactly as a read returned it"
        )
    raise PreconditionFailedError
