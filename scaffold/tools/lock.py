"""The new project's ``uv.lock``: its dependencies resolved once, at creation.

The generated CI installs with ``uv sync --locked``, which fails without a lock
file; ``scaffold new project`` therefore resolves the dependencies with
``uv lock`` before the project is moved into place. Resolving needs the package
index: when it cannot be reached the project is still created, without a lock
file, and the user is told how to add one.
"""

from __future__ import annotations

from pathlib import Path

from scaffold.errors import CheckFailedError, ProjectError
from scaffold.tools.check import run_tool, tool_environment, uv_binary

__all__ = ["LOCK_FILE", "lock_dependencies"]

#: The lock file ``uv lock`` writes at the project root.
LOCK_FILE = "uv.lock"

#: Seconds ``uv lock`` may take before the project is created without a lock.
LOCK_TIMEOUT = 300.0


def lock_dependencies(project: Path) -> str | None:
    """Write ``uv.lock`` for ``project`` by resolving its dependencies.

    Args:
        project: The project root, holding its ``pyproject.toml``.

    Returns:
        ``None`` once ``uv.lock`` is written, or a one-line explanation of why
        it could not be (the package index could not be reached, say) with the
        command that adds it later.
    """
    later = "run `uv lock` in the project before pushing it: its CI needs uv.lock"
    try:
        result = run_tool(
            (uv_binary(), "lock", "--quiet"),
            cwd=project,
            env=tool_environment(),
            timeout=LOCK_TIMEOUT,
        )
    except (CheckFailedError, ProjectError) as exc:
        return f"could not lock the dependencies ({exc}); {later}"
    if result.returncode != 0:
        last = (result.stdout.strip().splitlines() or ["no output"])[-1]
        return f"could not lock the dependencies ({last.strip()}); {later}"
    return None
