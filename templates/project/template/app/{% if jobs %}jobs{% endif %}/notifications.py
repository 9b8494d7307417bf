"""The job that sends a notification, enqueued by ``POST /api/v1/notifications``."""

from typing import Any

import structlog

logger = structlog.get_logger(__name__)


async def send_notification(
    ctx: dict[str, Any], recipient: str, subject: str, body: str
) -> str:
    """Send one notification to ``recipient``.

    This example writes the notification to the log; call your mail or
    messaging provider here, and raise :func:`app.jobs.retries.retry_later`
    when it fails for a passing reason (a timeout, a 503), so the worker tries
    again after a backoff.

    Args:
        ctx: The job's context, from arq.
        recipient: The address to notify.
        subject: The subject line.
        body: The text of the notification.

    Returns:
        The recipient, kept as the job's result.
    """
    logger.info(
        "notification sent",
        job_id=ctx["job_id"],
        job_try=ctx["job_try"],
        recipient=recipient,
        subject=subject,
        characters=len(body),
    )
    return recipient
