"""The check runner: one helper runs every external tool, without a shell."""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import pytest

from scaffold.cli.console import err, print_results
from scaffold.engine.events import RecordingReporter
from scaffold.errors import CheckFailedError
from scaffold.tools import check as check_module
from scaffold.tools import process as process_module
from scaffold.tools.check import (
    EXIT_CODES,
    OUTPUT_EXCERPT_LINES,
    Check,
    CheckResult,
    check_project,
    exit_code_for,
    output_excerpt,
    prepare_environment,
    project_checks,
    raise_for_failures,
    run_checks,
    run_tool,
    tool_environment,
)


def test_project_checks_cover_format_lint_types_and_tests() -> None:
    names = [check.name for check in project_checks()]

    assert names == ["ruff format", "ruff check", "mypy", "pytest"]
    assert ("mypy", "--strict", "app") in [check.argv for check in project_checks()]


def test_migration_round_trip_is_one_check_in_one_process() -> None:
    (round_trip,) = project_checks(migrations=True)[4:]

    assert round_trip.name == "alembic round trip"
    assert round_trip.kind == "migrations"
    assert round_trip.argv[:2] == ("python", "-c")
    assert round_trip.rerun == (
        "uv run alembic upgrade head && uv run alembic check && "
        "uv run alembic downgrade base && uv run alembic upgrade head"
    )


def _fake_alembic(root: Path, *, check_fails: bool) -> list[str]:
    """Install a stand-in ``alembic`` package that logs the calls it gets."""
    package = root / "alembic"
    package.mkdir()
    (package / "__init__.py").write_text("")
    (package / "config.py").write_text(
        "class Config:\n    def __init__(self, path):\n        self.path = path\n"
    )
    (package / "command.py").write_text(
        "LOG = []\n"
        "def upgrade(config, rev): print('did upgrade', config.path, rev)\n"
        "def downgrade(config, rev): print('did downgrade', config.path, rev)\n"
        "def check(config):\n"
        + (
            "    raise RuntimeError('New upgrade operations detected')\n"
            if check_fails
            else "    print('did check')\n"
        )
    )
    return [sys.executable, "-c", project_checks(migrations=True)[4].argv[2]]


def test_round_trip_script_runs_the_four_steps_in_order(tmp_path: Path) -> None:
    # Given a project whose Alembic logs what it is asked to do
    argv = _fake_alembic(tmp_path, check_fails=False)

    # When the round trip runs
    process = run_tool(argv, cwd=tmp_path)

    # Then it upgraded, checked, downgraded and upgraded again, in one process
    assert process.returncode == 0, process.stdout
    done = [line for line in process.stdout.splitlines() if line.startswith("did")]
    assert done == [
        "did upgrade alembic.ini head",
        "did check",
        "did downgrade alembic.ini base",
        "did upgrade alembic.ini head",
    ]


def test_round_trip_script_stops_at_and_names_the_failed_step(tmp_path: Path) -> None:
    argv = _fake_alembic(tmp_path, check_fails=True)

    process = run_tool(argv, cwd=tmp_path)

    assert process.returncode == 1
    assert "alembic check failed" in process.stdout
    assert "New upgrade operations detected" in process.stdout
    assert "did downgrade" not in process.stdout


def test_rerun_hint_is_a_shell_safe_command() -> None:
    check = Check("pytest", ("pytest", "-k", "a and b"))

    assert check.rerun == "uv run pytest -k 'a and b'"


def test_run_tool_passes_arguments_verbatim_without_a_shell(tmp_path: Path) -> None:
    # Given an argument a shell would expand
    argv = [sys.executable, "-c", "import sys; print(sys.argv[1])", "$HOME;*"]

    # When it is run
    process = run_tool(argv, cwd=tmp_path)

    # Then the tool received it untouched
    assert process.returncode == 0
    assert process.stdout.strip() == "$HOME;*"


def test_run_tool_reports_a_timeout_with_the_command(tmp_path: Path) -> None:
    argv = [sys.executable, "-c", "import time; time.sleep(10)"]

    with pytest.raises(CheckFailedError, match="did not finish within 1 s"):
        run_tool(argv, cwd=tmp_path, timeout=1)


def test_a_stopped_tool_leaves_no_child_behind(tmp_path: Path) -> None:
    # Given a tool that starts a child which writes into the project later, as
    # `uv run ruff` does (ruff writes its cache)
    marker = tmp_path / "written-late"
    child = (
        f"import time, pathlib; time.sleep(1.5); pathlib.Path({str(marker)!r}).touch()"
    )
    parent = (
        "import subprocess, sys, time; "
        f"subprocess.Popen([sys.executable, '-c', {child!r}]); time.sleep(30)"
    )

    # When the tool is stopped (here by its timeout; an interrupt takes the
    # same way out)
    with pytest.raises(CheckFailedError, match="did not finish"):
        run_tool([sys.executable, "-c", parent], cwd=tmp_path, timeout=0.5)
    time.sleep(2)

    # Then the child was stopped with it and wrote nothing
    assert not marker.exists()


class StoppedError(Exception):
    """What the test's SIGTERM handler raises."""


def test_an_interrupt_while_a_tool_starts_stops_the_tool(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Given a tool that would write into the project after a while, and an
    # interrupt that lands inside Popen, after the fork
    marker = tmp_path / "written-late"
    script = (
        f"import time, pathlib; time.sleep(1); pathlib.Path({str(marker)!r}).touch()"
    )
    started: list[subprocess.Popen[str]] = []
    real_popen = subprocess.Popen

    def popen_then_signal(*args: Any, **kwargs: Any) -> subprocess.Popen[str]:
        started.append(real_popen(*args, **kwargs))
        signal.raise_signal(signal.SIGTERM)
        return started[-1]

    def stop(signum: int, frame: object) -> None:
        raise StoppedError

    monkeypatch.setattr(process_module.subprocess, "Popen", popen_then_signal)
    previous = signal.signal(signal.SIGTERM, stop)
    try:
        # When the tool is started
        with pytest.raises(StoppedError):
            process_module.start_tool([sys.executable, "-c", script], cwd=tmp_path)
    finally:
        signal.signal(signal.SIGTERM, previous)
    time.sleep(1.5)

    # Then the interrupt still goes on, but only once the tool is stopped
    assert started[0].poll() is not None
    assert not marker.exists()


def test_run_tool_reports_a_missing_executable(tmp_path: Path) -> None:
    with pytest.raises(CheckFailedError, match="no-such-tool not found"):
        run_tool(["no-such-tool", "--version"], cwd=tmp_path)


def test_tool_environment_drops_the_callers_virtualenv(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("VIRTUAL_ENV", "/somewhere/.venv")

    env = tool_environment({"DATABASE_URL": "sqlite+aiosqlite://"})

    assert "VIRTUAL_ENV" not in env
    assert env["DATABASE_URL"] == "sqlite+aiosqlite://"


def test_what_scaffold_sets_for_itself_stays_out_of_the_tools_environment(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    # Given a variable scaffold sets for itself (as it turns Pydantic's plugin
    # scan off) and one the user had set already
    monkeypatch.delenv("SCAFFOLD_TEST_OWN_SETTING", raising=False)
    monkeypatch.setenv("SCAFFOLD_TEST_USER_SETTING", "theirs")
    process_module.set_for_scaffold_only("SCAFFOLD_TEST_OWN_SETTING", "1")
    process_module.set_for_scaffold_only("SCAFFOLD_TEST_USER_SETTING", "ours")
    monkeypatch.setenv("SCAFFOLD_TEST_OWN_SETTING", "1")  # removed when done

    # When a tool's environment is made
    env = tool_environment()

    # Then scaffold's own is left out, and the user's is passed on unchanged
    assert "SCAFFOLD_TEST_OWN_SETTING" not in env
    assert env["SCAFFOLD_TEST_USER_SETTING"] == "theirs"


def test_failures_name_each_check_and_how_to_rerun(tmp_path: Path) -> None:
    ok = CheckResult(Check("ruff check", ("ruff", "check", ".")), True, 0, 0.1, "")
    bad = CheckResult(
        Check("mypy", ("mypy", "--strict", "app")),
        False,
        1,
        2.0,
        "app/main.py:3: error: Missing return\nFound 1 error\n",
    )

    with pytest.raises(CheckFailedError) as caught:
        raise_for_failures(tmp_path, [ok, bad])

    problems = caught.value.problems
    assert problems[0] == (
        f"check 'mypy' failed (exit 1); rerun with: cd {tmp_path} && "
        "uv run mypy --strict app"
    )
    assert "    app/main.py:3: error: Missing return" in problems
    assert caught.value.exit_code == 1
    raise_for_failures(tmp_path, [ok])  # nothing failed: no error


def test_run_checks_runs_each_check_in_the_projects_environment(
    tmp_path: Path,
) -> None:
    # Given a minimal project with its own environment
    (tmp_path / "pyproject.toml").write_text(
        '[project]\nname = "tiny"\nversion = "0"\nrequires-python = ">=3.11"\n'
        "dependencies = []\n"
    )
    prepare_environment(tmp_path)
    passing = Check("env", ("python", "-c", "import sys; print(sys.prefix)"))
    failing = Check("fails", ("python", "-c", "raise SystemExit(3)"))
    reporter = RecordingReporter()

    # When both checks run
    results = run_checks(tmp_path, [passing, failing], reporter=reporter)

    # Then each ran inside the project's .venv and all were run and reported
    assert results[0].ok
    assert Path(results[0].output.strip()) == tmp_path / ".venv"
    assert not results[1].ok
    assert results[1].returncode == 3
    assert reporter.events == [
        ("check_started", "env"),
        ("check_finished", "env", "ok"),
        ("check_started", "fails"),
        ("check_finished", "fails", "failed"),
    ]


def test_prepare_environment_syncs_only_when_its_sources_change(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Given a project whose environment was just installed
    (tmp_path / "pyproject.toml").write_text(
        '[project]\nname = "tiny"\nversion = "0"\nrequires-python = ">=3.11"\n'
        "dependencies = []\n"
    )
    prepare_environment(tmp_path)
    synced: list[list[str]] = []
    real_run_tool = check_module.run_tool

    def recording_run_tool(argv: list[str], **kwargs: Any) -> Any:
        synced.append(list(argv))
        return real_run_tool(argv, **kwargs)

    monkeypatch.setattr(check_module, "run_tool", recording_run_tool)

    # When it is prepared again with nothing changed, uv sync does not run
    prepare_environment(tmp_path)
    assert synced == []

    # But when pyproject.toml changes, or the environment is gone, it does
    with (tmp_path / "pyproject.toml").open("a") as pyproject:
        pyproject.write("# a change\n")
    prepare_environment(tmp_path)
    assert [argv[1:3] for argv in synced] == [["sync", "--quiet"]]
    shutil.rmtree(tmp_path / ".venv")
    prepare_environment(tmp_path)
    assert len(synced) == 2
    assert (tmp_path / ".venv" / "pyvenv.cfg").is_file()


def test_prepare_environment_compiles_bytecode_when_python_will_not(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Given a caller who told Python not to write bytecode
    monkeypatch.setenv("PYTHONDONTWRITEBYTECODE", "1")
    (tmp_path / "pyproject.toml").write_text(
        '[project]\nname = "tiny"\nversion = "0"\nrequires-python = ">=3.11"\n'
        "dependencies = []\n"
    )
    synced: list[list[str]] = []
    real_run_tool = check_module.run_tool

    def recording_run_tool(argv: list[str], **kwargs: Any) -> Any:
        synced.append(list(argv))
        return real_run_tool(argv, **kwargs)

    monkeypatch.setattr(check_module, "run_tool", recording_run_tool)

    # When the environment is installed
    prepare_environment(tmp_path)

    # Then uv compiles the installed modules once, so checks need not
    assert synced[0][1:] == ["sync", "--quiet", "--compile-bytecode"]


def test_the_projects_tools_cache_its_bytecode_where_scaffolds_caller_would_not(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Given a caller who told Python not to write bytecode, and a project module
    monkeypatch.setenv("PYTHONDONTWRITEBYTECODE", "1")
    (tmp_path / "module.py").write_text("VALUE = 1\n")

    # When a tool imports it in the tools' environment
    env = tool_environment()
    result = run_tool([sys.executable, "-c", "import module"], cwd=tmp_path, env=env)

    # Then its bytecode is cached beside it for the next process, which the
    # caller's setting would have stopped
    assert result.returncode == 0, result.stdout
    assert "PYTHONDONTWRITEBYTECODE" not in env
    assert list((tmp_path / "__pycache__").glob("module.*.pyc"))


def test_tools_do_not_inherit_a_pytest_xdist_workers_identity(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    # Given scaffold run from a pytest-xdist worker (as this suite runs it)
    monkeypatch.setenv("PYTEST_XDIST_WORKER", "gw1")
    monkeypatch.setenv("PYTEST_XDIST_WORKER_COUNT", "2")

    # When the tools' environment is made
    env = process_module.tool_environment({"DATABASE_URL": "sqlite://"})

    # Then the project's tests would not take the worker's name for their own
    assert "PYTEST_XDIST_WORKER" not in env
    assert "PYTEST_XDIST_WORKER_COUNT" not in env
    assert env["DATABASE_URL"] == "sqlite://"


def tiny_project(root: Path, monkeypatch: pytest.MonkeyPatch, test: str) -> None:
    """Make ``root`` a tiny clean project whose one test module is ``test``.

    ruff, mypy and pytest are found on PATH (this interpreter's).
    """
    bin_dir = Path(sys.executable).parent
    monkeypatch.setenv("PATH", f"{bin_dir}{os.pathsep}{os.environ['PATH']}")
    (root / "pyproject.toml").write_text(
        '[project]\nname = "tiny"\nversion = "0"\nrequires-python = ">=3.11"\n'
        "dependencies = []\n"
    )
    (root / "app").mkdir()
    (root / "app" / "__init__.py").write_text('"""Tiny."""\n')
    (root / "test_tiny.py").write_text(test)


@pytest.mark.e2e
def test_check_project_runs_the_tests_beside_the_other_checks(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Given a tiny project whose code is clean and whose one test fails, with
    # ruff, mypy and pytest found on PATH (this interpreter's)
    tiny_project(
        tmp_path,
        monkeypatch,
        'def test_fails() -> None:\n    print("output of the tests")\n'
        "    assert sum([1]) == 2\n",
    )
    reporter = RecordingReporter()

    # When every check runs (on PostgreSQL: no migration round trip)
    results = check_project(
        tmp_path, db_url="postgresql://nowhere/db", reporter=reporter
    )

    # Then the results keep their order, only the tests failed, their output
    # was captured from the run in the background, and they are reported last
    assert [(result.check.name, result.ok) for result in results] == [
        ("migration history", True),
        ("template overrides", True),
        ("ruff format", True),
        ("ruff check", True),
        ("mypy", True),
        ("pytest", False),
    ]
    assert "output of the tests" in results[5].output
    assert "1 failed" in results[5].output
    finished = [event[1] for event in reporter.events if event[0] == "check_finished"]
    assert finished == ["ruff format", "ruff check", "mypy", "pytest"]
    assert exit_code_for(results) == EXIT_CODES["tests"]


@pytest.mark.e2e
def test_a_broken_migration_history_skips_the_tests_and_the_round_trip(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Given a tiny clean project whose migration history has two heads, and a
    # test that would fail if it ran
    tiny_project(tmp_path, monkeypatch, "def test_fails() -> None:\n    assert False\n")
    versions = tmp_path / "alembic" / "versions"
    versions.mkdir(parents=True)
    for name, revision in (("a", "aaaa"), ("b", "bbbb")):
        (versions / f"{revision}_{name}.py").write_text(
            f'"""{name}."""\n\nrevision = "{revision}"\ndown_revision = None\n'
        )
    reporter = RecordingReporter()

    # When every check runs
    results = check_project(tmp_path, db_url="sqlite://", reporter=reporter)

    # Then the history fails with its fix, the static checks run, and neither
    # the tests nor the round trip do: they would only fail on the history
    assert [(result.check.name, result.ok) for result in results] == [
        ("migration history", False),
        ("template overrides", True),
        ("ruff format", True),
        ("ruff check", True),
        ("mypy", True),
    ]
    assert "scaffold migrations merge" in results[0].output
    assert any("Skipping pytest" in str(event) for event in reporter.events)
    assert exit_code_for(results) == EXIT_CODES["migrations"]


def test_prepare_environment_failure_carries_uv_output(tmp_path: Path) -> None:
    (tmp_path / "pyproject.toml").write_text("[project\nbroken")

    with pytest.raises(CheckFailedError, match="could not install") as caught:
        prepare_environment(tmp_path)

    assert any("pyproject.toml" in line for line in caught.value.problems[1:])


def _result(name: str, kind: str, ok: bool) -> CheckResult:
    return CheckResult(Check(name, (name,), kind), ok, 0 if ok else 1, 0.1, "")


@pytest.mark.parametrize(
    ("failed", "code"),
    [
        ([], 0),
        (["ruff format"], 3),
        (["ruff check", "pytest"], 4),
        (["mypy"], 5),
        (["pytest", "alembic round trip"], 6),
        (["alembic round trip"], 7),
    ],
)
def test_exit_code_names_the_first_failed_kind(failed: list[str], code: int) -> None:
    # Given the results of every check, some of them failed
    results = [
        _result(check.name, check.kind, check.name not in failed)
        for check in project_checks(migrations=True)
    ]

    # When the exit code is chosen / Then it is that of the first failure
    assert exit_code_for(results) == code


def _failed(name: str, argv: tuple[str, ...], output: str) -> CheckResult:
    return CheckResult(Check(name, argv), False, 1, 0.1, output)


def test_scaffold_check_shows_the_tools_output_beside_the_rerun_command(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    # Given a failed format check
    result = _failed(
        "ruff format",
        ("ruff", "format", "--check", "."),
        "Would reformat: app/main.py\n1 file would be reformatted\n",
    )
    err.cache_clear()

    # When the results are printed
    print_results(tmp_path, [result])

    # Then ruff's own words follow the rerun command
    shown = capsys.readouterr().err
    rerun = shown.index("uv run ruff format --check .")
    assert shown.index("Would reformat: app/main.py") > rerun


def test_the_output_shown_is_bounded_and_keeps_what_matters() -> None:
    # Given a long mypy output and a long pytest output
    mypy = "\n".join(f"app/m.py:{n}: error: bad" for n in range(1, 201))
    pytest_output = "\n".join(
        [*(f"tests/test_{n}.py ." for n in range(200)), "FAILED tests/test_x.py::t"]
    )

    # When they are cut down
    mypy_lines = output_excerpt(_failed("mypy", ("mypy",), mypy))
    pytest_lines = output_excerpt(_failed("pytest", ("pytest",), pytest_output))

    # Then mypy's first errors and pytest's summary at the end are kept
    assert len(mypy_lines) <= OUTPUT_EXCERPT_LINES + 1
    assert mypy_lines[0].strip() == "app/m.py:1: error: bad"
    assert "more lines" in mypy_lines[-1]
    assert len(pytest_lines) <= OUTPUT_EXCERPT_LINES + 1
    assert pytest_lines[-1].strip() == "FAILED tests/test_x.py::t"
