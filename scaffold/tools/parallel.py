"""How many processes a project's tests run in.

A generated project's tests can run in several processes (pytest-xdist), each
with a database of its own. ``SCAFFOLD_TEST_WORKERS`` chooses how many: a
number, or ``auto`` (the default) for one per CPU this process may use, at
most :data:`MAX_WORKERS`. One worker runs the tests in pytest's own process, as
does a project whose environment has no pytest-xdist (made by an older
scaffold).
"""

from __future__ import annotations

import dataclasses
import os
from pathlib import Path

from scaffold.errors import UsageError
from scaffold.tools.results import Check

__all__ = [
    "MAX_WORKERS",
    "WORKERS_VARIABLE",
    "pytest_workers",
    "requested_workers",
    "with_workers",
]

#: The environment variable that sets the number of test processes.
WORKERS_VARIABLE = "SCAFFOLD_TEST_WORKERS"

#: ``auto`` uses no more processes than this: each one imports the application
#: and builds its database schema before its first test.
MAX_WORKERS = 4


def requested_workers() -> int:
    """The number of test processes ``SCAFFOLD_TEST_WORKERS`` asks for.

    Raises:
        UsageError: It is neither ``auto`` nor a positive number.
    """
    setting = os.environ.get(WORKERS_VARIABLE, "auto").strip().lower() or "auto"
    if setting == "auto":
        return min(_usable_cpus(), MAX_WORKERS)
    if setting.isdigit() and int(setting) > 0:
        return int(setting)
    raise UsageError(
        f"{WORKERS_VARIABLE}={setting!r} is not a number of test processes; "
        f"set it to a positive number, or to 'auto'"
    )


def pytest_workers(project: Path, requested: int | None = None) -> int:
    """The number of processes ``project``'s tests run in.

    Args:
        project: The project, its environment installed.
        requested: What :func:`requested_workers` gave; asked for when missing.

    Raises:
        UsageError: ``SCAFFOLD_TEST_WORKERS`` is neither ``auto`` nor a
            positive number.
    """
    workers = requested_workers() if requested is None else requested
    return workers if workers > 1 and _has_xdist(project) else 1


def with_workers(check: Check, project: Path, requested: int | None = None) -> Check:
    """``check`` (pytest), spread over :func:`pytest_workers` processes."""
    workers = pytest_workers(project, requested)
    if workers == 1:
        return check
    return dataclasses.replace(check, argv=(*check.argv, "-n", str(workers)))


def _usable_cpus() -> int:
    """The CPUs this process may run on (its affinity, where the OS tells)."""
    if hasattr(os, "sched_getaffinity"):
        return len(os.sched_getaffinity(0))
    return os.cpu_count() or 1


def _has_xdist(project: Path) -> bool:
    """Whether the project's environment has pytest-xdist installed."""
    venv = project / ".venv"
    patterns = ("lib/python3*/site-packages/xdist", "Lib/site-packages/xdist")
    return any(any(venv.glob(pattern)) for pattern in patterns)
