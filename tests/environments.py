"""Generated projects' environments for the suite: installed once, then copied.

Installing a generated project's environment from nothing costs 15-20 s
(``uv sync`` links about 80 packages and, where ``PYTHONDONTWRITEBYTECODE``
is set, compiles some 2,700 modules), and its first ``mypy --strict`` run
analyses FastAPI, SQLAlchemy and Pydantic from scratch. The suite builds
dozens of projects, so it does both once per run, in a *seed* project with
every optional dependency (auth, jobs), and starts each new project's
environment as a copy of the seed's:

- the seed's ``.venv`` is relocatable (``uv venv --relocatable``), so its
  scripts run from wherever it is copied to; its installed packages are
  hard-linked, not copied (see :func:`_link`);
- ``uv sync`` still runs on the copy, exactly as ``scaffold`` runs it: it
  installs what the project's lock file says, removes what it does not, and
  points the editable install at the project, so the environment ends as a
  fresh one would;
- the seed's mypy cache is copied too; mypy revalidates every entry against
  the copied files' hashes and rechecks whatever differs, so its verdict is
  that of a cold run.

What a fresh install alone shows (``uv sync`` interrupted, the README's
walk-through) runs as real processes and is not seeded. The projects' CI steps
start from a copy of the seed that nothing has synced: their own
``uv sync --locked`` makes it the locked environment.
"""

from __future__ import annotations

import contextlib
import fcntl
import os
import shutil
from collections.abc import Callable, Iterator, Mapping
from pathlib import Path

import pytest

from scaffold.tools import check as tools_check
from scaffold.tools.check import SYNC_STAMP, run_tool, tool_environment, uv_binary

#: What ``tools_check.prepare_environment`` is before the suite wraps it.
_install = tools_check.prepare_environment

Prepare = Callable[..., None]


def seed_root(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The directory every worker of this run shares for the seed project."""
    base = tmp_path_factory.getbasetemp()
    return base.parent if os.environ.get("PYTEST_XDIST_WORKER") else base


@contextlib.contextmanager
def locked(path: Path) -> Iterator[None]:
    """Hold an exclusive lock on ``path`` (other workers wait for it)."""
    with path.open("a") as handle:
        fcntl.flock(handle, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


def build_seed(root: Path) -> Path:
    """The seed project under ``root``: built by the first worker that asks.

    A project with auth and jobs (every optional dependency), its relocatable
    environment installed as ``scaffold check`` installs it, and its mypy
    cache warm.
    """
    from scaffold.changes.new_project import ProjectRequest, render_project

    seed = root / "seed" / "shop"
    with locked(root / "seed.lock"):
        if (seed / ".seeded").is_file():
            return seed
        shutil.rmtree(seed.parent, ignore_errors=True)
        seed.parent.mkdir(parents=True)
        render_project(ProjectRequest.build(name="shop", jobs=True, parent=seed.parent))
        env = tool_environment()
        venv = run_tool(
            (uv_binary(), "venv", "--relocatable", "--quiet", ".venv"),
            cwd=seed,
            env=env,
        )
        assert venv.returncode == 0, venv.stdout
        _install(seed)
        mypy = run_tool(
            (uv_binary(), "run", "--no-sync", "mypy", "--strict", "app"),
            cwd=seed,
            env=env,
        )
        assert mypy.returncode == 0, mypy.stdout
        (seed / ".seeded").touch()
    return seed


def seeded(seed: Callable[[], Path]) -> Prepare:
    """``prepare_environment`` that starts a missing environment from the seed."""

    def prepare_environment(
        project: Path, *, env: Mapping[str, str] | None = None
    ) -> None:
        if not (project / ".venv").exists():
            copy_seed(seed(), project)
        _install(project, env=env)

    return prepare_environment


def copy_seed(seed: Path, project: Path) -> None:
    """Give ``project`` a copy of the seed's environment and mypy cache.

    Nothing is installed: whatever installs next (``uv sync``) makes the copy
    exactly what the project's lock file says.
    """
    copy_project(seed / ".venv", project / ".venv")
    # the stamp says what the seed was synced from, not this project
    (project / SYNC_STAMP).unlink()
    if not (project / ".mypy_cache").exists():
        shutil.copytree(seed / ".mypy_cache", project / ".mypy_cache")


def copy_project(project: Path, destination: Path) -> Path:
    """Copy ``project`` (or an environment) to ``destination``; return it.

    The environment's installed packages are hard-linked (see :func:`_link`):
    a tenth of the time of copying them, for a copy that behaves the same.
    """
    shutil.copytree(project, destination, symlinks=True, copy_function=_link)
    return destination


def _link(source: str, destination: str) -> None:
    """Copy one file of a project's environment: hard-link where that is safe.

    The installed packages' files are hard links into uv's cache already: uv
    never changes an installed file in place (it removes it and writes a new
    one), so every copy can share them, which takes a tenth of the time of
    copying 230 MB. Everything else (``pyvenv.cfg``, the scripts, ``.pth``
    files, which name the project) is copied.
    """
    if "/site-packages/" in source and not source.endswith(".pth"):
        os.link(source, destination)
    else:
        shutil.copy2(source, destination)
