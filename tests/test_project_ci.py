"""The generated project's GitHub workflow passes on its first push.

A project is generated with a resource, and the ``run:`` steps of each job of
its ``.github/workflows/ci.yml`` are executed in it, in order, with the
environment the workflow sets: the ``check`` job on SQLite, the ``postgres``
job against the local PostgreSQL server. The one liberty taken is the database
name, which gets the suite's suffix so that parallel runs do not share it.
"""

from __future__ import annotations

import os
import subprocess
from collections.abc import Callable
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit, urlunsplit

import pytest
import yaml

from scaffold.tools.check import run_tool, tool_environment, uv_binary
from tests.conftest import POSTGRES_SUFFIX
from tests.e2e import run_scaffold
from tests.environments import copy_seed

SPEC = Path(__file__).resolve().parents[1] / "examples" / "specs" / "minimal.yaml"


@pytest.fixture(scope="module")
def shop(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A new project with one resource, created as a user would."""
    parent = tmp_path_factory.mktemp("ci")
    created = run_scaffold("new", "project", "shop", "--no-check", "-q", cwd=parent)
    assert created.returncode == 0, created.stdout + created.stderr
    project = parent / "shop"
    added = run_scaffold("add", "resource", "--spec", str(SPEC), "--no-check", "-q",
                         cwd=project)  # fmt: skip
    assert added.returncode == 0, added.stdout + added.stderr
    return project


@pytest.fixture
def seeded_shop(shop: Path, seed: Callable[[], Path]) -> Path:
    """``shop``, its environment an unsynced copy of the suite's seed.

    The jobs' own ``uv sync --locked`` installs it (see ``environments.py``).
    """
    if not (shop / ".venv").exists():
        copy_seed(seed(), shop)
    return shop


def workflow_jobs(project: Path) -> dict[str, Any]:
    """The jobs of the project's CI workflow, by id."""
    workflow = yaml.safe_load((project / ".github/workflows/ci.yml").read_text())
    jobs: dict[str, Any] = workflow["jobs"]
    return jobs


def local_database(url: str) -> str:
    """``url`` with the suite's suffix on its database name."""
    parts = urlsplit(url)
    return urlunsplit(parts._replace(path=f"{parts.path}{POSTGRES_SUFFIX}"))


def run_job(project: Path, job: dict[str, Any]) -> None:
    """Run every ``run:`` step of ``job`` in ``project``; fail on the first error."""
    env = {str(key): str(value) for key, value in job.get("env", {}).items()}
    if "DATABASE_URL" in env:
        env["DATABASE_URL"] = local_database(env["DATABASE_URL"])
    uv_dir = str(Path(uv_binary()).parent)
    environment = tool_environment(env)
    environment["PATH"] = os.pathsep.join([uv_dir, environment.get("PATH", "")])
    commands = [step["run"] for step in job["steps"] if "run" in step]
    assert commands, "the job runs nothing"
    for command in commands:
        result = run_tool(("bash", "-eo", "pipefail", "-c", command), cwd=project,
                          env=environment)  # fmt: skip
        assert result.returncode == 0, f"{command!r} failed:\n{result.stdout[-4000:]}"


def test_a_new_project_has_a_lock_file_its_workflow_installs_from(
    shop: Path,
) -> None:
    # Given a new project with a resource added / Then it carries uv.lock, which
    # still matches its pyproject.toml after the resource was added
    assert (shop / "uv.lock").is_file()
    checked = subprocess.run(
        [uv_binary(), "lock", "--check"],
        cwd=shop,
        env=tool_environment(),
        capture_output=True,
        text=True,
        check=False,
    )
    assert checked.returncode == 0, checked.stderr
    # And its workflow installs exactly the locked versions
    installs = [step["run"] for job in workflow_jobs(shop).values()
                for step in job["steps"] if step.get("name") == "Install"]  # fmt: skip
    assert installs
    assert all(run == "uv sync --locked" for run in installs)


def test_the_workflow_gates_coverage_and_tests_on_postgres(shop: Path) -> None:
    # Given the workflow of a new SQLite project
    jobs = workflow_jobs(shop)

    # Then the tests run in one process per CPU with a 90 % coverage gate, and
    # again on PostgreSQL
    tests = [
        step["run"] for step in jobs["check"]["steps"] if step.get("name") == "Test"
    ]
    assert tests == ["uv run --no-sync pytest -n auto --cov --cov-fail-under=90"]
    assert "postgres" in jobs["postgres"]["services"]
    assert jobs["postgres"]["env"]["DATABASE_URL"].startswith("postgresql+asyncpg://")


@pytest.mark.e2e
def test_the_check_job_passes(seeded_shop: Path) -> None:
    # Given a new project / When the steps of its check job run / Then each passes
    run_job(seeded_shop, workflow_jobs(seeded_shop)["check"])


@pytest.mark.e2e
@pytest.mark.usefixtures("require_postgres")
def test_the_postgres_job_passes(seeded_shop: Path) -> None:
    # Given a new project / When the steps of its PostgreSQL job run against the
    # local server / Then each passes
    run_job(seeded_shop, workflow_jobs(seeded_shop)["postgres"])
