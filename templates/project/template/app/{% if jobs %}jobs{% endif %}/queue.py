"""The job queue the API enqueues into, and its request dependency."""

from typing import Annotated

from arq.connections import ArqRedis
from fastapi import Depends, Request
from redis.asyncio import ConnectionPool

from app.core.config import Settings


def create_job_queue(settings: Settings) -> ArqRedis:
    """Create the client of the job queue in ``REDIS_URL``.

    It connects on first use, so the application starts (and ``/readyz`` reports
    the outage) while Redis is down.

    Args:
        settings: The settings with the Redis URL and the queue name.

    Returns:
        The client; close it with ``aclose()`` on shutdown.
    """
    return ArqRedis(
        ConnectionPool.from_url(settings.redis_url),
        default_queue_name=settings.jobs_queue_name,
    )


async def get_job_queue(request: Request) -> ArqRedis:
    """Provide the application's job queue."""
    queue: ArqRedis = request.app.state.job_queue
    return queue


JobQueueDep = Annotated[ArqRedis, Depends(get_job_queue)]
