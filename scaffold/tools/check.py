"""Run a generated project's own checks: ruff, mypy, pytest and Alembic.

Every external tool goes through :func:`run_tool`: an argument list (never a
shell), a timeout, and on failure an error that carries the command and its
output. The checks run inside the project's own environment, which ``uv sync``
creates from the project's ``pyproject.toml``.
"""

from __future__ import annotations

import contextlib
import os
import shlex
import signal
import subprocess
import time
from collections.abc import Mapping, Sequence
from pathlib import Path

from scaffold.engine.events import NullReporter, Reporter
from scaffold.errors import CheckFailedError, ProjectError
from scaffold.tools.migration_check import ROUND_TRIP_RERUN, ROUND_TRIP_SCRIPT
from scaffold.tools.prechecks import history_check, overrides_check
from scaffold.tools.results import Check, CheckResult

__all__ = [
    "Check",
    "CheckResult",
    "check_project",
    "exit_code_for",
    "history_check",
    "overrides_check",
    "prepare_environment",
    "project_checks",
    "raise_for_failures",
    "run_checks",
    "run_tool",
    "tool_environment",
    "uv_binary",
]

#: Seconds one check may run before it is stopped.
DEFAULT_TIMEOUT = 900.0

#: How many lines of a failed tool's output an error shows.
OUTPUT_EXCERPT_LINES = 30
#: Checks whose output ends with what matters (pytest's short summary); the
#: others (ruff, mypy, alembic) name the first problems first.
_SUMMARY_LAST = frozenset({"pytest", "alembic round trip"})


#: The exit code of ``scaffold check`` per kind of check (first failure wins).
EXIT_CODES = {
    "format": 3,
    "lint": 4,
    "types": 5,
    "tests": 6,
    "migrations": 7,
    "templates": 8,
}


def project_checks(*, migrations: bool = False) -> list[Check]:
    """The checks every generated project must pass, in the order they run.

    Args:
        migrations: Also run the migration round trip (upgrade to head, check
            for drift, downgrade to base, upgrade again) as one more check,
            in one process.

    Returns:
        The checks, cheapest first.
    """
    checks = [
        Check("ruff format", ("ruff", "format", "--check", "."), "format"),
        Check("ruff check", ("ruff", "check", "."), "lint"),
        Check("mypy", ("mypy", "--strict", "app"), "types"),
        Check("pytest", ("pytest", "-q", "-p", "no:cacheprovider"), "tests"),
    ]
    if migrations:
        checks.append(
            Check(
                "alembic round trip",
                ("python", "-c", ROUND_TRIP_SCRIPT),
                "migrations",
                ROUND_TRIP_RERUN,
            )
        )
    return checks


def uv_binary() -> str:
    """Locate the ``uv`` executable that ships with scaffold's ``uv`` dependency."""
    try:
        from uv import find_uv_bin

        return str(find_uv_bin())
    except (ImportError, FileNotFoundError) as exc:
        raise ProjectError(
            "the 'uv' executable was not found; reinstall scaffold "
            "(pip install --force-reinstall fastapi-resource-scaffold)"
        ) from exc


def tool_environment(extra: Mapping[str, str] | None = None) -> dict[str, str]:
    """The environment external tools run in.

    The caller's virtual environment is left out so that ``uv`` uses the
    project's own ``.venv``; ``extra`` (for example ``DATABASE_URL``) wins.
    """
    env = {
        key: value
        for key, value in os.environ.items()
        if key not in {"VIRTUAL_ENV", "UV_PROJECT_ENVIRONMENT", "PYTHONPATH"}
    }
    env["NO_COLOR"] = "1"
    env.update(extra or {})
    return env


def run_tool(
    argv: Sequence[str],
    *,
    cwd: Path,
    env: Mapping[str, str] | None = None,
    timeout: float = DEFAULT_TIMEOUT,
) -> subprocess.CompletedProcess[str]:
    """Run an external tool and capture its combined output.

    Args:
        argv: The command as an argument list; it is never given to a shell.
        cwd: The directory to run it in.
        env: The whole environment for the tool.
        timeout: Seconds before the tool is stopped.

    Returns:
        The finished process, whatever its exit code.

    Raises:
        CheckFailedError: The tool could not be started or ran out of time.
    """
    command = shlex.join(argv)
    try:
        # A session of its own: the tool and anything it starts (``uv run``
        # starts the real tool as a child) form one process group, which is
        # stopped as a whole, so no orphan keeps writing into the project
        # after an interrupt has removed or rolled it back.
        process = subprocess.Popen(
            list(argv),
            cwd=cwd,
            env=dict(env) if env is not None else None,
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            stdin=subprocess.DEVNULL,
            text=True,
            start_new_session=True,
        )
    except FileNotFoundError as exc:
        raise CheckFailedError(f"cannot run {command!r}: {argv[0]} not found") from exc
    try:
        output, _ = process.communicate(timeout=timeout)
    except subprocess.TimeoutExpired as exc:
        _stop_group(process)
        raise CheckFailedError(
            f"{command!r} did not finish within {timeout:.0f} s; "
            f"rerun it by hand in {cwd} to see where it hangs"
        ) from exc
    except BaseException:
        _stop_group(process)
        raise
    return subprocess.CompletedProcess(list(argv), process.returncode, output)


def _stop_group(process: subprocess.Popen[str]) -> None:
    """Kill ``process`` and every process of its group, and reap it."""
    with contextlib.suppress(ProcessLookupError, PermissionError):
        os.killpg(process.pid, signal.SIGKILL)
    process.kill()
    process.communicate()
    # Children of the tool may outlive the group leader for a moment.
    deadline = time.monotonic() + 5
    while time.monotonic() < deadline:
        try:
            os.killpg(process.pid, 0)
        except (ProcessLookupError, PermissionError):
            return
        time.sleep(0.02)


def prepare_environment(project: Path, *, env: Mapping[str, str] | None = None) -> None:
    """Create or update the project's own environment with ``uv sync``.

    Raises:
        CheckFailedError: ``uv sync`` failed; the error carries its output.
    """
    argv = (uv_binary(), "sync", "--quiet")
    process = run_tool(argv, cwd=project, env=tool_environment(env))
    if process.returncode != 0:
        raise CheckFailedError(
            f"could not install the project's dependencies (uv sync exited "
            f"{process.returncode}); rerun with: cd {project} && uv sync",
            *_excerpt(process.stdout),
        )


def run_checks(
    project: Path,
    checks: Sequence[Check],
    *,
    env: Mapping[str, str] | None = None,
    reporter: Reporter | None = None,
    timeout: float = DEFAULT_TIMEOUT,
) -> list[CheckResult]:
    """Run ``checks`` in the project's environment, all of them, in order.

    Args:
        project: The generated project's root directory.
        checks: What to run (see :func:`project_checks`).
        env: Extra environment variables, for example ``DATABASE_URL``.
        reporter: Receives a start and an end event per check.
        timeout: Seconds each check may take.

    Returns:
        One result per check, in the same order.
    """
    reporter = reporter or NullReporter()
    full_env = tool_environment(env)
    uv = uv_binary()
    results = []
    for check in checks:
        reporter.check_started(check.name)
        started = time.perf_counter()
        process = run_tool(
            (uv, "run", "--no-sync", *check.argv),
            cwd=project,
            env=full_env,
            timeout=timeout,
        )
        seconds = time.perf_counter() - started
        ok = process.returncode == 0
        reporter.check_finished(check.name, ok=ok, seconds=seconds)
        results.append(
            CheckResult(check, ok, process.returncode, seconds, process.stdout)
        )
    return results


def check_project(
    root: Path,
    *,
    db_url: str | None = None,
    reporter: Reporter | None = None,
) -> list[CheckResult]:
    """Run every check of a generated project, the same for every command.

    Creates the project's environment, then runs formatting, lint, types and
    tests, then the migration round trip. The round trip runs on a throwaway
    SQLite database, never the user's; with a PostgreSQL ``db_url`` the
    project's own ``tests/test_migrations.py`` does it on a ``*_test``
    database instead.

    Args:
        root: The project's root directory.
        db_url: A database URL for the checks (``DATABASE_URL``); the tests
            derive their ``*_test`` database from it.
        reporter: Receives progress events.

    Returns:
        One result per check that ran.
    """
    import tempfile

    from scaffold.project.answers import read_answers

    reporter = reporter or NullReporter()
    history = history_check(root)
    env = {"DATABASE_URL": db_url} if db_url else {}
    reporter.stage("Installing the project's environment (uv sync)")
    prepare_environment(root, env=env)
    results = [
        history,
        overrides_check(root),
        *run_checks(root, project_checks(), env=env, reporter=reporter),
    ]
    on_sqlite = db_url is None and read_answers(root).database == "sqlite"
    if on_sqlite or (db_url or "").startswith("sqlite"):
        with tempfile.TemporaryDirectory(prefix="scaffold-migrations-") as scratch:
            url = f"sqlite+aiosqlite:///{Path(scratch) / 'migrations.db'}"
            results += run_checks(
                root,
                project_checks(migrations=True)[4:],
                env={"DATABASE_URL": url},
                reporter=reporter,
            )
    return results


def exit_code_for(results: Sequence[CheckResult]) -> int:
    """0 when every check passed, else the code of the first failed kind."""
    failed = [result.check.kind for result in results if not result.ok]
    return EXIT_CODES[failed[0]] if failed else 0


def raise_for_failures(project: Path, results: Sequence[CheckResult]) -> None:
    """Turn failed results into one :class:`CheckFailedError`.

    The error names every failed check, how to rerun it, and the end of the
    first failure's output.
    """
    failed = [result for result in results if not result.ok]
    if not failed:
        return
    lines = [
        f"check {result.check.name!r} failed (exit {result.returncode}); "
        f"rerun with: cd {project} && {result.check.rerun}"
        for result in failed
    ]
    lines += output_excerpt(failed[0])
    raise CheckFailedError(*lines)


def output_excerpt(result: CheckResult) -> list[str]:
    """The lines of a failed check's output that matter, indented, bounded.

    The first :data:`OUTPUT_EXCERPT_LINES` non-blank lines (the last ones for
    pytest, whose summary comes last), and a line saying how many were left
    out.
    """
    return _excerpt(result.output, last=result.check.name in _SUMMARY_LAST)


def _excerpt(output: str, *, last: bool = True) -> list[str]:
    lines = [line for line in output.rstrip().splitlines() if line.strip()]
    left_out = len(lines) - OUTPUT_EXCERPT_LINES
    if left_out <= 0:
        return [f"    {line}" for line in lines]
    more = f"    … {left_out} more lines"
    if last:
        return [more, *(f"    {line}" for line in lines[-OUTPUT_EXCERPT_LINES:])]
    return [*(f"    {line}" for line in lines[:OUTPUT_EXCERPT_LINES]), more]
