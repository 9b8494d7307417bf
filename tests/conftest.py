"""Shared fixtures and helpers for scaffold's own tests."""

from __future__ import annotations

import hashlib
import os
import shutil
import subprocess
from collections.abc import Iterator
from pathlib import Path

import pytest
from hypothesis import settings

# Property tests measure correctness, not speed: on a shared, noisy machine a
# per-example deadline only produces flaky failures.
settings.register_profile("scaffold", deadline=None)
settings.load_profile("scaffold")

#: The local PostgreSQL server CI and developers' machines run.
POSTGRES_URL = os.environ.get(
    "SCAFFOLD_TEST_POSTGRES_URL", "postgresql+asyncpg://postgres@127.0.0.1:5432"
)
#: Appended to every PostgreSQL database name the suite uses, so that two
#: checkouts can run their suites against one server at the same time.
POSTGRES_SUFFIX = os.environ.get("SCAFFOLD_TEST_DB_SUFFIX", "")


def postgres_database(name: str) -> str:
    """The URL of the suite's PostgreSQL database ``name`` on the local server.

    The name carries :data:`POSTGRES_SUFFIX` and, under pytest-xdist, the
    worker's id, so no two checkouts or workers ever share a database.
    """
    worker = os.environ.get("PYTEST_XDIST_WORKER", "")
    return f"{POSTGRES_URL}/{name}{POSTGRES_SUFFIX}{'_' + worker if worker else ''}"


def tree_digest(root: Path) -> dict[str, str]:
    """Map every file and directory under ``root`` to a digest of its content.

    Two calls give equal results exactly when nothing was created, removed or
    changed in between.
    """
    digest: dict[str, str] = {}
    if not root.exists():
        return digest
    for path in sorted(root.rglob("*")):
        key = path.relative_to(root).as_posix()
        if path.is_symlink():
            digest[key] = "link:" + str(path.readlink())
        elif path.is_dir():
            digest[key] = "dir"
        else:
            digest[key] = hashlib.sha256(path.read_bytes()).hexdigest()
    return digest


def postgres_available() -> bool:
    """Whether the local PostgreSQL server answers."""
    pg_isready = shutil.which("pg_isready")
    if pg_isready is None:
        return False
    result = subprocess.run(
        [pg_isready, "--quiet", "--host", "127.0.0.1", "--port", "5432"],
        check=False,
    )
    return result.returncode == 0


@pytest.fixture
def workdir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    """An empty directory that is also the current directory."""
    monkeypatch.chdir(tmp_path)
    yield tmp_path


@pytest.fixture(scope="session")
def require_postgres() -> None:
    """Fail (never skip) when the PostgreSQL server the suite needs is down."""
    if not postgres_available():
        pytest.fail(
            "PostgreSQL is not answering on 127.0.0.1:5432; start it with "
            "pg_ctlcluster --skip-systemctl-redirect $(ls /etc/postgresql) main start"
        )


@pytest.fixture(scope="session")
def base_project(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A freshly rendered SQLite project with the default options, never modified.

    Copy it (the ``project`` fixture) to use it; a test module may override it
    with other options.
    """
    from scaffold.changes.new_project import ProjectRequest, render_project

    parent = tmp_path_factory.mktemp("base")
    render_project(ProjectRequest.build(name="shop", parent=parent))
    return parent / "shop"


@pytest.fixture
def project(base_project: Path, tmp_path: Path) -> Path:
    """A private copy of the base project."""
    return Path(shutil.copytree(base_project, tmp_path / "shop"))
