"""Dependencies shared by the endpoints, each with its ``Annotated`` alias."""

import hmac
from collections.abc import AsyncIterator, Awaitable, Callable
from typing import Annotated
from uuid import UUID

from fastapi import Depends, Request
from fastapi.security import APIKeyHeader, OAuth2PasswordBearer
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession, async_sessionmaker

from app.core.config import Settings
from app.core.errors import ForbiddenError, UnauthorizedError
from app.core.rate_limit import RateLimiter, client_key
from app.core.security import InvalidTokenError, decode_access_token
from app.models.user import Role, User
from app.services.api_key import ApiKeyService

ACCESS_COOKIE = "access_token"
REFRESH_COOKIE = "refresh_token"
CSRF_COOKIE = "csrf_token"
CSRF_HEADER = "X-CSRF-Token"
SECURE_COOKIE_PREFIX = "__Host-"

oauth2_scheme = OAuth2PasswordBearer(tokenUrl="/api/v1/auth/login", auto_error=False)
api_key_scheme = APIKeyHeader(name="X-API-Key", auto_error=False)

READ_ONLY_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})
"""The safe methods of RFC 9110: they read and never change anything."""


async def get_session(request: Request) -> AsyncIterator[AsyncSession]:
    """Provide a database session for one request.

    The session commits when the endpoint returns and rolls back when it
    raises, before the response is sent (``scope="function"`` in
    :data:`SessionDep`), so a failed commit still reaches the client as an error.

    A safe request (``GET``, ``HEAD``, ``OPTIONS``) changes nothing, so its
    statements run in autocommit: at the database's default READ COMMITTED
    level each statement reads its own snapshot inside a transaction too, and
    leaving it out saves the ``BEGIN`` and ``COMMIT`` round trips.

    Args:
        request: The current request; its application holds the session factory.

    Yields:
        The session.
    """
    session_factory: async_sessionmaker[AsyncSession] = (
        request.app.state.session_factory
    )
    async with session_factory() as session:
        bind = session.bind
        if request.method in READ_ONLY_METHODS and isinstance(bind, AsyncEngine):
            session.bind = bind.execution_options(isolation_level="AUTOCOMMIT")
        try:
            yield session
            await session.commit()
        except Exception:
            await session.rollback()
            raise


SessionDep = Annotated[AsyncSession, Depends(get_session, scope="function")]


async def get_app_settings(request: Request) -> Settings:
    """Provide the settings the application was created with."""
    settings: Settings = request.app.state.settings
    return settings


SettingsDep = Annotated[Settings, Depends(get_app_settings)]


async def get_rate_limiter(request: Request) -> RateLimiter:
    """Provide the rate limiter of the application."""
    limiter: RateLimiter = request.app.state.rate_limiter
    return limiter


RateLimiterDep = Annotated[RateLimiter, Depends(get_rate_limiter)]


def cookie_name(name: str, settings: Settings) -> str:
    """The name of an auth cookie as sent to the browser.

    Secure cookies carry the ``__Host-`` prefix: browsers then accept them only
    over HTTPS, from this host alone (no ``Domain``) and for every path, so a
    sibling subdomain or a plain-HTTP page cannot plant or shadow them.

    Args:
        name: The cookie's base name, e.g. :data:`ACCESS_COOKIE`.
        settings: Settings saying whether cookies are ``Secure``.

    Returns:
        The name with the prefix when ``COOKIE_SECURE`` is on, else ``name``.
    """
    return SECURE_COOKIE_PREFIX + name if settings.cookie_secure else name


def check_csrf(request: Request, settings: Settings) -> None:
    """Refuse a state-changing request whose CSRF header does not match its cookie.

    With cookie transport a browser sends the cookies on requests that other
    sites start; only a page of this site can read the CSRF cookie and echo it
    in the ``X-CSRF-Token`` header (the double-submit pattern). The values are
    compared as bytes in constant time, so any header, even one that is not
    ASCII, is simply refused.

    Raises:
        ForbiddenError: The header is missing or differs from the cookie.
    """
    if request.method in READ_ONLY_METHODS:
        return
    cookie = request.cookies.get(cookie_name(CSRF_COOKIE, settings), "")
    header = request.headers.get(CSRF_HEADER, "")
    if not cookie or not hmac.compare_digest(cookie.encode(), header.encode()):
        raise ForbiddenError("Missing or invalid CSRF token")


async def get_current_user(
    request: Request,
    session: SessionDep,
    settings: SettingsDep,
    bearer: Annotated[str | None, Depends(oauth2_scheme)],
    api_key: Annotated[str | None, Depends(api_key_scheme)],
) -> User:
    """Return the active user the request's access token or API key names.

    The token comes from the ``Authorization: Bearer`` header, or with cookie
    transport from the access token cookie (and then the CSRF check applies).
    Without a token, an ``X-API-Key`` header acts as the user of its key.

    Raises:
        UnauthorizedError: No token, or one that is invalid, expired or names
            no active user; or an unknown, expired or revoked API key.
        ForbiddenError: A cookie-authenticated change without a valid CSRF token.
        TooManyRequestsError: Too many wrong API keys from this client.
    """
    if bearer is None and api_key is not None:
        return await authenticate_api_key(request, session, api_key)
    token = bearer
    if token is None and settings.auth_transport == "cookie":
        token = request.cookies.get(cookie_name(ACCESS_COOKIE, settings))
        if token is not None:
            check_csrf(request, settings)
    if token is None:
        raise UnauthorizedError
    try:
        user_id = UUID(decode_access_token(token, settings))
    except (InvalidTokenError, ValueError) as exc:
        raise UnauthorizedError("Invalid or expired token") from exc
    user = await session.get(User, user_id)
    if user is None or not user.is_active:
        raise UnauthorizedError("Invalid or expired token")
    return user


async def authenticate_api_key(
    request: Request, session: AsyncSession, api_key: str
) -> User:
    """Return the user an API key acts as; wrong keys count against the limit.

    Raises:
        UnauthorizedError: The key is unknown, expired or revoked.
        TooManyRequestsError: Too many wrong keys from this client.
    """
    try:
        return await ApiKeyService(session).authenticate(api_key)
    except UnauthorizedError:
        limiter: RateLimiter = request.app.state.rate_limiter
        client = request.client.host if request.client else "unknown"
        await limiter.hit("api-key-failures", client)
        raise


CurrentUser = Annotated[User, Depends(get_current_user)]


async def get_optional_user(
    request: Request,
    session: SessionDep,
    settings: SettingsDep,
    bearer: Annotated[str | None, Depends(oauth2_scheme)],
    api_key: Annotated[str | None, Depends(api_key_scheme)],
) -> User | None:
    """Return the signed-in user, or None for a request that carries no token.

    For routes anyone may call that still act on who the caller is. A token or
    API key that is invalid or expired answers 401 all the same.

    Raises:
        UnauthorizedError: A token that is invalid, expired or names no
            active user; or an unknown, expired or revoked API key.
    """
    cookie = (
        settings.auth_transport == "cookie"
        and cookie_name(ACCESS_COOKIE, settings) in request.cookies
    )
    if bearer is None and api_key is None and not cookie:
        return None
    return await get_current_user(request, session, settings, bearer, api_key)


OptionalUser = Annotated[User | None, Depends(get_optional_user)]


def require_role(*roles: Role) -> Callable[[User], Awaitable[User]]:
    """Build a dependency that lets only users with one of ``roles`` through.

    Use it on a route or a router, e.g.
    ``APIRouter(dependencies=[Depends(require_role(Role.ADMIN))])``.

    Args:
        *roles: The roles allowed.

    Returns:
        The dependency; it answers 401 without a valid token, 403 for a user
        without one of the roles, and returns the user otherwise.
    """

    async def check_role(user: CurrentUser) -> User:
        if user.role not in roles:
            raise ForbiddenError("This requires the role " + " or ".join(roles))
        return user

    return check_role


require_admin = require_role(Role.ADMIN)
"""Lets administrators only through; use it as ``Depends(require_admin)``."""

AdminUser = Annotated[User, Depends(require_admin)]


def rate_limit(scope: str) -> Callable[[Request, RateLimiter], Awaitable[None]]:
    """Build a dependency that counts requests per client against the auth limit.

    The client is the address the request came from, or the one a trusted
    proxy (``TRUSTED_PROXIES``) names in ``X-Forwarded-For``; IPv6 clients
    count per /64 network.

    Args:
        scope: What is counted, e.g. ``"login"``; each scope counts apart.

    Returns:
        The dependency; it answers 429 with ``Retry-After`` over the limit, and
        503 when the counters cannot be reached.
    """

    async def check_rate_limit(request: Request, limiter: RateLimiterDep) -> None:
        host = request.client.host if request.client else None
        await limiter.hit(scope, client_key(host))

    return check_rate_limit
