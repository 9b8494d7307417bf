"""Run a generated project's own checks: ruff, mypy, pytest and Alembic.

Every external tool goes through :func:`run_tool`: an argument list (never a
shell), a timeout, and on failure an error that carries the command and its
output. The checks run inside the project's own environment, which ``uv sync``
creates from the project's ``pyproject.toml``.
"""

from __future__ import annotations

import hashlib
import os
import shlex
import tempfile
import time
from collections.abc import Mapping, Sequence
from pathlib import Path

from scaffold.engine.events import NullReporter, Reporter
from scaffold.errors import CheckFailedError
from scaffold.tools.migration_check import ROUND_TRIP_RERUN, ROUND_TRIP_SCRIPT
from scaffold.tools.parallel import requested_workers, with_workers
from scaffold.tools.prechecks import history_check, overrides_check
from scaffold.tools.process import (
    DEFAULT_TIMEOUT,
    finish_tool,
    run_tool,
    start_tool,
    stop_tool,
    tool_environment,
    uv_binary,
)
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


#: Where :func:`prepare_environment` records what the project's environment
#: was last installed from; inside the environment, so it goes with it.
SYNC_STAMP = Path(".venv") / ".scaffold-synced"

#: What ``uv sync`` installs from.
SYNC_SOURCES = ("pyproject.toml", "uv.lock", ".python-version")


def environment_fingerprint(project: Path, argv: Sequence[str]) -> str:
    """A digest of what ``uv sync`` (run as ``argv``) installs ``project`` from."""
    digest = hashlib.sha256(shlex.join(argv).encode())
    for name in SYNC_SOURCES:
        path = project / name
        digest.update(f"\0{name}\0".encode())
        digest.update(path.read_bytes() if path.is_file() else b"missing")
    return digest.hexdigest()


def prepare_environment(project: Path, *, env: Mapping[str, str] | None = None) -> None:
    """Create or update the project's own environment with ``uv sync``.

    Nothing runs when the environment was installed from the same
    ``pyproject.toml``, ``uv.lock`` and ``.python-version`` (its stamp says
    so). When Python is told not to cache bytecode (``PYTHONDONTWRITEBYTECODE``)
    uv compiles it once here; otherwise every check would compile every module
    it imports again.

    Raises:
        CheckFailedError: ``uv sync`` failed; the error carries its output.
    """
    argv = [uv_binary(), "sync", "--quiet"]
    if os.environ.get("PYTHONDONTWRITEBYTECODE"):
        argv.append("--compile-bytecode")
    stamp = project / SYNC_STAMP
    installed = (project / ".venv" / "pyvenv.cfg").is_file() and stamp.is_file()
    if installed and stamp.read_text() == environment_fingerprint(project, argv):
        return
    process = run_tool(argv, cwd=project, env=tool_environment(env))
    if process.returncode != 0:
        raise CheckFailedError(
            f"could not install the project's dependencies (uv sync exited "
            f"{process.returncode}); rerun with: cd {project} && uv sync",
            *_excerpt(process.stdout),
        )
    stamp.write_text(environment_fingerprint(project, argv))


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

    Creates the project's environment, then runs the tests while formatting,
    lint, types and the migration round trip run beside them (they share
    nothing the tests write). The tests run in several processes where the
    machine has the CPUs (see :mod:`scaffold.tools.parallel`). The round trip
    runs on a throwaway SQLite database, never the user's; with a PostgreSQL
    ``db_url`` the project's own ``tests/test_migrations.py`` does it on a
    ``*_test`` database instead.

    Args:
        root: The project's root directory.
        db_url: A database URL for the checks (``DATABASE_URL``); the tests
            derive their ``*_test`` database from it.
        reporter: Receives progress events.

    Returns:
        One result per check that ran: formatting, lint, types, tests, then the
        round trip. With a broken migration history (several heads, a missing
        parent) the tests and the round trip do not run.
    """
    from scaffold.project.answers import read_answers

    reporter = reporter or NullReporter()
    workers = requested_workers()
    history = history_check(root)
    env = {"DATABASE_URL": db_url} if db_url else {}
    reporter.stage("Installing the project's environment (uv sync)")
    prepare_environment(root, env=env)
    *static, tests = project_checks()
    tests = with_workers(tests, root, workers)
    if not history.ok:
        # Alembic stamps and upgrades only a history with one head: every test
        # and the round trip would fail on it, so the history is fixed first.
        reporter.stage(
            "Skipping pytest and the migration round trip: they need a "
            "migration history with one head"
        )
        return [
            history,
            overrides_check(root),
            *run_checks(root, static, env=env, reporter=reporter),
        ]
    on_sqlite = db_url is None and read_answers(root).database == "sqlite"
    round_trip: list[CheckResult] = []
    with (
        tempfile.TemporaryDirectory(prefix="scaffold-check-") as scratch,
        tempfile.TemporaryFile("w+", encoding="utf-8") as log,
    ):
        started = time.perf_counter()
        process = start_tool(
            (uv_binary(), "run", "--no-sync", *tests.argv),
            cwd=root,
            env=tool_environment(env),
            output=log,
        )
        try:
            results = [
                history,
                overrides_check(root),
                *run_checks(root, static, env=env, reporter=reporter),
            ]
            if on_sqlite or (db_url or "").startswith("sqlite"):
                url = f"sqlite+aiosqlite:///{Path(scratch) / 'migrations.db'}"
                round_trip = run_checks(
                    root,
                    project_checks(migrations=True)[4:],
                    env={"DATABASE_URL": url},
                    reporter=reporter,
                )
            reporter.check_started(tests.name)
            remaining = DEFAULT_TIMEOUT - (time.perf_counter() - started)
            finished = finish_tool(process, cwd=root, timeout=max(remaining, 1))
        except BaseException:
            stop_tool(process)
            raise
        seconds = time.perf_counter() - started
        log.seek(0)
        ok = finished.returncode == 0
        reporter.check_finished(tests.name, ok=ok, seconds=seconds)
        results.append(CheckResult(tests, ok, finished.returncode, seconds, log.read()))
    return results + round_trip


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
