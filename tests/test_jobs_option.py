"""``scaffold new project --jobs``: a worker on Redis, recorded in the answers."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest

from scaffold.changes.new_project import ProjectRequest, render_project
from scaffold.errors import ProjectError
from scaffold.project.answers import read_answers
from tests.conftest import tree_digest
from tests.e2e import get, run_scaffold, serve

#: The Redis database the generated projects' job tests use (not 0, which
#: others on this machine share).
TEST_REDIS_URL = os.environ.get("TEST_REDIS_URL", "redis://127.0.0.1:6379/5")


def test_jobs_render_a_worker_and_are_recorded(tmp_path: Path) -> None:
    # Given a project with jobs / When it is rendered
    render_project(ProjectRequest.build(name="shop", jobs=True, parent=tmp_path))
    project = tmp_path / "shop"

    # Then it has a worker, a queue, its compose service, and records jobs
    assert (project / "app/jobs/worker.py").is_file()
    assert (project / "app/api/v1/endpoints/notifications.py").is_file()
    assert (project / "tests/test_jobs.py").is_file()
    assert "arq>=" in (project / "pyproject.toml").read_text()
    assert "  worker:" in (project / "compose.yaml").read_text()
    assert read_answers(project).jobs is True


def test_projects_without_jobs_have_no_worker(tmp_path: Path) -> None:
    # Given the default options / When a project is rendered
    render_project(ProjectRequest.build(name="shop", parent=tmp_path))
    project = tmp_path / "shop"

    # Then it has no worker and records jobs as off
    assert not (project / "app/jobs").exists()
    assert "arq" not in (project / "pyproject.toml").read_text()
    assert "jobs: false" in (project / ".copier-answers.yml").read_text()
    assert read_answers(project).jobs is False


def test_a_resource_over_the_example_job_is_refused_as_the_projects_own(
    tmp_path: Path,
) -> None:
    # Given a project with jobs, whose example job owns the notification
    # schema and endpoints
    render_project(ProjectRequest.build(name="shop", jobs=True, parent=tmp_path))
    project = tmp_path / "shop"
    before = tree_digest(project)

    # When a resource of that name is added
    result = run_scaffold(
        "add", "resource", "notification", "title:str", "--no-check", cwd=project
    )

    # Then it is refused as landing on the project's own files (not as files
    # "modified since scaffold generated them"), and nothing changes
    assert result.returncode == 2
    assert (
        "resource 'notification' would replace the project's own "
        "app/schemas/notification.py, app/api/v1/endpoints/notifications.py"
    ) in result.stderr
    assert tree_digest(project) == before


def test_answers_from_before_jobs_read_as_without_jobs(tmp_path: Path) -> None:
    # Given an answers file written before the jobs question existed
    (tmp_path / ".copier-answers.yml").write_text(
        "auth: true\ndatabase: sqlite\nid_type: uuid\nproject_name: shop\n"
    )

    # When it is read / Then the project has no jobs
    assert read_answers(tmp_path).jobs is False


def test_an_unknown_jobs_answer_is_refused(tmp_path: Path) -> None:
    # Given an answers file with a jobs value scaffold does not know
    (tmp_path / ".copier-answers.yml").write_text("jobs: sometimes\n")

    # When it is read / Then the error names the value and the fix
    with pytest.raises(ProjectError, match=r"jobs='sometimes'.*upgrade scaffold"):
        read_answers(tmp_path)


@pytest.mark.e2e
def test_a_project_with_jobs_and_an_added_job_passes_its_checks_and_reports_redis(
    tmp_path: Path,
) -> None:
    # Given the local Redis and a new project with jobs
    env = {"TEST_REDIS_URL": TEST_REDIS_URL}
    created = run_scaffold(
        "new", "project", "shop", "--jobs", "--no-check", cwd=tmp_path
    )
    assert created.returncode == 0, created.stderr
    project = tmp_path / "shop"

    # When a job is added with the checks on, which run the project's own job
    # tests (they queue a job and run a worker against that Redis) and the new
    # job's, with every other check of the project
    result = run_scaffold("add", "job", "send_report", cwd=project, env=env)

    # Then the checks pass
    assert result.returncode == 0, result.stderr
    assert "ruff, mypy, pytest and migrations pass" in result.stderr

    # And served with a Redis that cannot be reached, it is not ready and
    # says why, while /metrics counts the requests
    with serve(project, {"REDIS_URL": "redis://127.0.0.1:1/0"}) as base:
        status, body = get(f"{base}/readyz")
        assert status == 503, body
        checks = json.loads(body)["checks"]
        assert checks["database"] == "ok"
        assert checks["redis"] == "unavailable"
        status, metrics = get(f"{base}/metrics")
        assert status == 200
        assert b'route="/readyz",status="503"' in metrics
