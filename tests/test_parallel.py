"""How many processes a project's tests run in (``SCAFFOLD_TEST_WORKERS``)."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from scaffold.errors import UsageError
from scaffold.tools import parallel
from scaffold.tools.check import check_project, project_checks
from scaffold.tools.parallel import MAX_WORKERS, pytest_workers, with_workers
from tests.conftest import RenderOnce, tree_digest
from tests.e2e import run_scaffold


def with_xdist(project: Path) -> Path:
    """Give ``project`` an environment with pytest-xdist installed."""
    (project / ".venv" / "lib" / "python3.11" / "site-packages" / "xdist").mkdir(
        parents=True
    )
    return project


@pytest.mark.parametrize(
    ("setting", "cpus", "expected"),
    [("auto", 2, 2), ("auto", 16, MAX_WORKERS), ("auto", 1, 1), (" 3 ", 2, 3),
     ("1", 8, 1), ("", 2, 2)],
)  # fmt: skip
def test_the_setting_and_the_cpus_choose_the_number_of_processes(
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    setting: str,
    cpus: int,
    expected: int,
) -> None:
    # Given a project whose environment has pytest-xdist, on a machine with cpus
    project = with_xdist(tmp_path)
    monkeypatch.setenv("SCAFFOLD_TEST_WORKERS", setting)
    monkeypatch.setattr(parallel, "_usable_cpus", lambda: cpus)

    # When the number of test processes is chosen / Then it is the expected one
    assert pytest_workers(project) == expected


def test_a_project_without_pytest_xdist_runs_its_tests_in_one_process(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Given a project made before its tests could run in parallel
    (tmp_path / ".venv" / "lib" / "python3.11" / "site-packages").mkdir(parents=True)
    monkeypatch.setenv("SCAFFOLD_TEST_WORKERS", "4")
    (tests,) = project_checks()[3:]

    # When its pytest check is made / Then pytest gets no -n it would refuse
    assert pytest_workers(tmp_path) == 1
    assert with_workers(tests, tmp_path) == tests


def test_several_processes_are_passed_to_pytest(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Given a project with pytest-xdist and two processes asked for
    project = with_xdist(tmp_path)
    monkeypatch.setenv("SCAFFOLD_TEST_WORKERS", "2")
    (tests,) = project_checks()[3:]

    # When its pytest check is made
    spread = with_workers(tests, project)

    # Then pytest runs with -n 2, and the rerun command says so
    assert spread.argv == (*tests.argv, "-n", "2")
    assert spread.rerun.endswith("pytest -q -p no:cacheprovider -n 2")


@pytest.mark.parametrize("setting", ["0", "-1", "many", "2.5"])
def test_a_bad_setting_is_refused_naming_the_fix(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, setting: str
) -> None:
    # Given a setting that is no number of processes
    monkeypatch.setenv("SCAFFOLD_TEST_WORKERS", setting)

    # When the number is chosen / Then a usage error names the variable and fix
    with pytest.raises(UsageError, match=r"SCAFFOLD_TEST_WORKERS=.*a positive number"):
        pytest_workers(with_xdist(tmp_path))


def test_a_bad_setting_stops_a_check_before_anything_is_installed(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Given a project with no environment yet, and a bad setting
    (tmp_path / "pyproject.toml").write_text('[project]\nname = "tiny"\n')
    monkeypatch.setenv("SCAFFOLD_TEST_WORKERS", "many")

    # When it is checked / Then it is refused before uv sync makes .venv
    with pytest.raises(UsageError):
        check_project(tmp_path)
    assert not (tmp_path / ".venv").exists()


@pytest.mark.parametrize(
    "command",
    [("add", "resource", "item", "name:str"), ("new", "project", "other")],
)
def test_a_bad_setting_is_refused_before_a_command_writes_anything(
    tmp_path_factory: pytest.TempPathFactory,
    render_once: RenderOnce,
    tmp_path: Path,
    command: tuple[str, ...],
) -> None:
    # Given a project, and a bad setting for the checks a command will run
    rendered = render_once(tmp_path_factory.mktemp("parallel"), name="shop")
    project = Path(shutil.copytree(rendered, tmp_path / "shop"))
    before = tree_digest(tmp_path)

    # When a command that writes, then checks, runs
    result = run_scaffold(*command, cwd=project, env={"SCAFFOLD_TEST_WORKERS": "many"})

    # Then exit 2 in one line naming the setting, and no file is written
    assert result.returncode == 2
    (line,) = result.stderr.strip().splitlines()[-1:]
    assert "SCAFFOLD_TEST_WORKERS='many'" in line
    assert tree_digest(tmp_path) == before
