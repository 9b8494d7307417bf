"""The arq worker: which jobs it runs, from which queue, and how often it tries.

Start one or more workers, on as many machines as needed, against the same
Redis; each job runs on one of them::

    uv run arq app.jobs.worker.WorkerSettings

``scaffold add job NAME`` adds its job to :data:`JOBS`.
"""

from typing import Any

from arq.connections import RedisSettings
from arq.typing import WorkerCoroutine

from app.core.config import get_settings
from app.core.logging import configure_logging
from app.jobs.notifications import send_notification

JOBS: list[WorkerCoroutine] = [
    send_notification,
]
"""Every job the worker runs; the API enqueues them by function name."""

settings = get_settings()


async def startup(ctx: dict[str, Any]) -> None:
    """Set up the worker process: logging like the API's."""
    configure_logging(level=settings.log_level, json=settings.log_json)


class WorkerSettings:
    """The worker's configuration, read by the ``arq`` command."""

    functions = JOBS
    redis_settings = RedisSettings.from_dsn(settings.redis_url)
    queue_name = settings.jobs_queue_name
    max_tries = settings.jobs_max_tries
    on_startup = startup
