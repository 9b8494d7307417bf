"""Rate limits on the authentication endpoints, counted by the limits library.

Two kinds of limits apply. Every client address has ``AUTH_RATE_LIMIT``
requests to each auth endpoint; an IPv6 address counts with its whole /64
network, which one subscriber usually holds. And every account (email address,
lower-cased and stripped) has ``LOGIN_FAILURE_LIMIT`` failed logins, from
whatever address they come, which stops password guessing spread over many
addresses.

When the counters cannot be reached (Redis down, say) the limited endpoints
answer 503 rather than let requests through uncounted, and ``/readyz`` reports
the storage as down.
"""

import math
import time
from ipaddress import IPv6Address, IPv6Network, ip_address

import structlog
from limits import RateLimitItem, parse
from limits.aio.storage import Storage
from limits.aio.strategies import FixedWindowRateLimiter
from limits.errors import StorageError
from limits.storage import storage_from_string

from app.core.config import Settings
from app.core.errors import ServiceUnavailableError, TooManyRequestsError

IPV6_SUBSCRIBER_PREFIX = 64
"""IPv6 addresses in one /64 network count as one client."""
ACCOUNT_SCOPE = "login-failures"
STORAGE_UNAVAILABLE = "The rate limit storage is unavailable"

security_log = structlog.get_logger("app.security")


def client_key(host: str | None) -> str:
    """The key a client address is counted under.

    Args:
        host: The client's address, as the server (or a trusted proxy) saw it.

    Returns:
        An IPv4 address as it is; an IPv6 address as its /64 network (an
        IPv4-mapped one as the IPv4 address); anything else, such as a Unix
        socket path, as it is; ``"unknown"`` without an address.
    """
    if not host:
        return "unknown"
    try:
        address = ip_address(host)
    except ValueError:
        return host
    if isinstance(address, IPv6Address):
        if address.ipv4_mapped is not None:
            return str(address.ipv4_mapped)
        network = IPv6Network((address, IPV6_SUBSCRIBER_PREFIX), strict=False)
        return str(network)
    return str(address)


def account_key(email: str) -> str:
    """The key failed logins for ``email`` are counted under: lower-case, stripped."""
    return email.strip().lower()


class RateLimiter:
    """Counts requests per client address, and failed logins per account.

    Args:
        limit: The limit per client and scope, e.g. ``"10/minute"``.
        storage_url: Where the counters live: ``async+memory://`` for one
            process, ``async+redis://host:6379`` for several.
        login_failure_limit: Failed logins per account, e.g. ``"5/15minutes"``.
        enabled: Whether to count at all.

    Raises:
        ValueError: A limit cannot be read, or the storage is not async.
    """

    def __init__(
        self,
        limit: str,
        storage_url: str,
        *,
        login_failure_limit: str = "5/15minutes",
        enabled: bool = True,
    ) -> None:
        storage = storage_from_string(storage_url, wrap_exceptions=True)
        if not isinstance(storage, Storage):
            raise ValueError(
                f"rate limit storage {storage_url!r} is not async; prefix its "
                "scheme with async+, e.g. async+memory://"
            )
        self.item: RateLimitItem = parse(limit)
        self.login_failures: RateLimitItem = parse(login_failure_limit)
        self.enabled = enabled
        self.storage = storage
        self.strategy = FixedWindowRateLimiter(storage)

    async def hit(self, scope: str, client: str) -> None:
        """Count one request of ``client`` to ``scope``.

        Raises:
            TooManyRequestsError: The client is over the limit; ``Retry-After``
                says when the window ends.
            ServiceUnavailableError: The counters cannot be reached.
        """
        if not self.enabled:
            return
        try:
            if await self.strategy.hit(self.item, scope, client):
                return
            retry_after = await self._retry_after(self.item, scope, client)
        except StorageError as exc:
            raise self._unavailable(exc) from exc
        security_log.warning("rate_limited", scope=scope, client=client)
        raise TooManyRequestsError(headers={"Retry-After": str(retry_after)})

    async def check_account(self, email: str) -> None:
        """Refuse a login for an account with too many recent failures.

        Raises:
            TooManyRequestsError: The account is over ``LOGIN_FAILURE_LIMIT``.
            ServiceUnavailableError: The counters cannot be reached.
        """
        if not self.enabled:
            return
        account = account_key(email)
        try:
            if await self.strategy.test(self.login_failures, ACCOUNT_SCOPE, account):
                return
            retry_after = await self._retry_after(
                self.login_failures, ACCOUNT_SCOPE, account
            )
        except StorageError as exc:
            raise self._unavailable(exc) from exc
        security_log.warning("login_throttled", email=account)
        raise TooManyRequestsError(headers={"Retry-After": str(retry_after)})

    async def record_login_failure(self, email: str) -> None:
        """Count one failed login for the account of ``email``.

        Raises:
            ServiceUnavailableError: The counters cannot be reached.
        """
        if not self.enabled:
            return
        try:
            await self.strategy.hit(
                self.login_failures, ACCOUNT_SCOPE, account_key(email)
            )
        except StorageError as exc:
            raise self._unavailable(exc) from exc

    async def check_storage(self) -> None:
        """Check that the counters can be reached, for ``/readyz``.

        Raises:
            ServiceUnavailableError: They cannot.
        """
        if not self.enabled:
            return
        try:
            healthy = await self.storage.check()
        except StorageError as exc:
            raise self._unavailable(exc) from exc
        if not healthy:
            raise self._unavailable()

    async def _retry_after(self, item: RateLimitItem, *identifiers: str) -> int:
        """Seconds until the window of ``item`` for ``identifiers`` ends."""
        stats = await self.strategy.get_window_stats(item, *identifiers)
        return max(1, math.ceil(stats.reset_time - time.time()))

    @staticmethod
    def _unavailable(exc: StorageError | None = None) -> ServiceUnavailableError:
        """Log that the storage is down; the error to answer with."""
        error = type(exc.storage_error).__name__ if exc else "failed health check"
        security_log.error("rate_limit_storage_unavailable", error=error)
        return ServiceUnavailableError(STORAGE_UNAVAILABLE)


def create_rate_limiter(settings: Settings) -> RateLimiter:
    """The rate limiter ``settings`` describe, with no request counted yet.

    Args:
        settings: ``AUTH_RATE_LIMIT``, ``LOGIN_FAILURE_LIMIT``,
            ``RATE_LIMIT_STORAGE_URL`` and ``RATE_LIMIT_ENABLED``.

    Returns:
        A new rate limiter.
    """
    return RateLimiter(
        settings.auth_rate_limit,
        settings.rate_limit_storage_url,
        login_failure_limit=settings.login_failure_limit,
        enabled=settings.rate_limit_enabled,
    )
