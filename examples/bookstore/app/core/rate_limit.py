"""Rate limits on the authentication endpoints, counted by the limits library."""

import math
import time

from limits import RateLimitItem, parse
from limits.aio.storage import Storage
from limits.aio.strategies import FixedWindowRateLimiter
from limits.storage import storage_from_string

from app.core.errors import TooManyRequestsError


class RateLimiter:
    """Counts requests per scope and client against one limit.

    Args:
        limit: The limit, e.g. ``"10/minute"``.
        storage_url: Where the counters live: ``async+memory://`` for one
            process, ``async+redis://host:6379`` for several.
        enabled: Whether to count at all.

    Raises:
        ValueError: The limit cannot be read, or the storage is not async.
    """

    def __init__(self, limit: str, storage_url: str, *, enabled: bool = True) -> None:
        storage = storage_from_string(storage_url)
        if not isinstance(storage, Storage):
            raise ValueError(
                f"rate limit storage {storage_url!r} is not async; prefix its "
                "scheme with async+, e.g. async+memory://"
            )
        self.item: RateLimitItem = parse(limit)
        self.enabled = enabled
        self.strategy = FixedWindowRateLimiter(storage)

    async def hit(self, scope: str, client: str) -> None:
        """Count one request of ``client`` to ``scope``.

        Raises:
            TooManyRequestsError: The client is over the limit; ``Retry-After``
                says when the window ends.
        """
        if not self.enabled or await self.strategy.hit(self.item, scope, client):
            return
        stats = await self.strategy.get_window_stats(self.item, scope, client)
        retry_after = max(1, math.ceil(stats.reset_time - time.time()))
        raise TooManyRequestsError(headers={"Retry-After": str(retry_after)})
