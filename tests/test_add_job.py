"""``scaffold add job``: a job module, its registration, its test, its record."""

from __future__ import annotations

import json
import shutil
import sys
from pathlib import Path

import pytest

from scaffold import cli
from scaffold.changes.add_job import register_job
from scaffold.errors import ProjectError
from tests.conftest import RenderOnce, tree_digest


@pytest.fixture(scope="module")
def jobs_base(
    tmp_path_factory: pytest.TempPathFactory, render_once: RenderOnce
) -> Path:
    """A rendered project with jobs, never modified."""
    return render_once(tmp_path_factory.mktemp("jobs"), name="shop", jobs=True)


@pytest.fixture
def jobs_project(jobs_base: Path, tmp_path: Path) -> Path:
    """A private copy of the project with jobs."""
    return Path(shutil.copytree(jobs_base, tmp_path / "shop"))


def scaffold(
    args: list[str], capsys: pytest.CaptureFixture[str]
) -> tuple[int, str, str]:
    """Run the ``scaffold`` command in-process; return exit code, stdout, stderr."""
    argv = sys.argv
    sys.argv = ["scaffold", *args]
    try:
        cli.main()
        code = 0
    except SystemExit as exc:
        code = exc.code if isinstance(exc.code, int) else 1
    finally:
        sys.argv = argv
    captured = capsys.readouterr()
    return code, captured.out, captured.err


def error_lines(err: str) -> list[str]:
    """The lines of ``err`` that report an error."""
    return [line for line in err.splitlines() if line.startswith("error:")]


def test_a_job_is_added_registered_tested_and_recorded(
    jobs_project: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    # Given a project with jobs / When a job is added without checks
    code, _, err = scaffold(
        ["add", "job", "SendReport", "-p", str(jobs_project), "--no-check", "-q"],
        capsys,
    )

    # Then its module and test exist, the worker runs it, the manifest has it
    assert code == 0, err
    module = (jobs_project / "app/jobs/send_report.py").read_text()
    assert "async def send_report(ctx: dict[str, Any]) -> None:" in module
    test = (jobs_project / "tests/jobs/test_send_report.py").read_text()
    assert "from app.jobs.send_report import send_report" in test
    worker = (jobs_project / "app/jobs/worker.py").read_text()
    assert "from app.jobs.send_report import send_report\n" in worker
    assert "    send_notification,\n    send_report,\n]" in worker
    manifest = json.loads((jobs_project / ".scaffold/manifest.json").read_text())
    assert manifest["jobs"]["send_report"]["files"] == [
        "app/jobs/send_report.py",
        "tests/jobs/test_send_report.py",
    ]
    assert "app/jobs/send_report.py" in manifest["files"]


def test_the_projects_own_job_template_is_used(
    jobs_project: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    # Given a project with its own job template
    override = jobs_project / ".scaffold/templates/job/job.py.jinja"
    override.parent.mkdir(parents=True)
    override.write_text(
        '"""Our own job."""\n\n\nasync def {{ name }}(ctx: object) -> None:\n'
        '    """Do it."""\n',
        encoding="utf-8",
    )

    # When a job is added
    code, _, err = scaffold(
        ["add", "job", "SendReport", "-p", str(jobs_project), "--no-check", "-q"],
        capsys,
    )

    # Then the module is the project's template rendered, the test scaffold's
    assert code == 0, err
    module = (jobs_project / "app/jobs/send_report.py").read_text()
    assert module.startswith('"""Our own job."""')
    assert "async def send_report(ctx: object) -> None:" in module
    test = (jobs_project / "tests/jobs/test_send_report.py").read_text()
    assert "from app.jobs.send_report import send_report" in test


def test_a_duplicate_job_is_refused_and_nothing_changes(
    jobs_project: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    # Given a project that has a job send_report
    args = ["add", "job", "send_report", "-p", str(jobs_project), "--no-check", "-q"]
    assert scaffold(args, capsys)[0] == 0
    before = tree_digest(jobs_project)

    # When it is added again
    code, _, err = scaffold(args, capsys)

    # Then it is refused in one line, and no file changed
    assert code == 2
    assert len(error_lines(err)) == 1
    assert "job 'send_report' already exists" in err
    assert tree_digest(jobs_project) == before


def test_a_project_without_jobs_is_refused(
    project: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    # Given a project made without --jobs
    before = tree_digest(project)

    # When a job is added
    code, _, err = scaffold(["add", "job", "send_report", "-p", str(project)], capsys)

    # Then it is refused in one line naming the fix, and no file changed
    assert code == 2
    assert len(error_lines(err)) == 1
    assert "without --jobs" in err
    assert "scaffold new project NAME --jobs" in err
    assert tree_digest(project) == before


@pytest.mark.parametrize("name", ["2fast", "class", "worker", "send report!"])
def test_an_unusable_name_is_refused(
    jobs_project: Path, capsys: pytest.CaptureFixture[str], name: str
) -> None:
    # Given a name that is no identifier, a keyword or a template module
    before = tree_digest(jobs_project)

    # When a job is added with it
    code, _, err = scaffold(["add", "job", name, "-p", str(jobs_project)], capsys)

    # Then it is refused and nothing changed
    assert code == 2
    assert "job name" in err
    assert tree_digest(jobs_project) == before


def test_dry_run_shows_the_plan_and_writes_nothing(
    jobs_project: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    # Given a project with jobs
    before = tree_digest(jobs_project)

    # When a job is added with --dry-run --json
    code, out, err = scaffold(
        ["add", "job", "nightly", "-p", str(jobs_project), "--dry-run", "--json"],
        capsys,
    )

    # Then the plan lists its files and nothing was written
    assert code == 0, err
    actions = {entry["path"]: entry["action"] for entry in json.loads(out)["files"]}
    assert actions["app/jobs/nightly.py"] == "create"
    assert actions["app/jobs/worker.py"] == "modify"
    assert tree_digest(jobs_project) == before


def test_registration_is_idempotent_and_refuses_an_unknown_shape() -> None:
    # Given a worker module with a JOBS list
    source = "from app.jobs.a import a\n\nJOBS: list[object] = [a]\n"

    # When a job is registered twice
    once = register_job(source, "b")
    twice = register_job(once, "b")

    # Then it is imported and listed once
    assert once == twice
    assert once.count("from app.jobs.b import b") == 1
    assert "JOBS: list[object] = [\n    a,\n    b,\n]\n" in once

    # And a module whose JOBS is no list of names is left for the user to edit
    with pytest.raises(ProjectError, match="add these lines by hand"):
        register_job("JOBS = load_jobs()\n", "b")
