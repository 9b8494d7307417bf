"""Retries with exponential backoff for jobs that fail for a passing reason."""

from typing import Any

from arq import Retry

BASE_DELAY_SECONDS = 2.0
"""The delay before the second try; each later try waits twice as long."""
MAX_DELAY_SECONDS = 300.0
"""The longest delay between two tries."""


def backoff_seconds(job_try: int) -> float:
    """Return how long to wait after try number ``job_try`` failed.

    Args:
        job_try: The try that failed, counted from 1.

    Returns:
        ``BASE_DELAY_SECONDS`` doubled for each earlier try, at most
        ``MAX_DELAY_SECONDS``.
    """
    return min(MAX_DELAY_SECONDS, BASE_DELAY_SECONDS * 2.0 ** (job_try - 1))


def retry_later(ctx: dict[str, Any]) -> Retry:
    """Build the exception that makes arq run the job again after a backoff.

    Raise it from a job, e.g. ``raise retry_later(ctx) from exc``; arq gives up
    after ``JOBS_MAX_TRIES`` tries.

    Args:
        ctx: The job's context; ``ctx["job_try"]`` counts its tries from 1.

    Returns:
        The exception.
    """
    return Retry(defer=backoff_seconds(ctx["job_try"]))
