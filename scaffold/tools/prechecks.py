"""The checks scaffold runs itself, before any tool of the project runs.

Each reads the project's files and names every problem with its fix.
"""

from __future__ import annotations

import time
from pathlib import Path

from scaffold.errors import ProjectError
from scaffold.tools.results import Check, CheckResult

__all__ = ["history_check", "overrides_check"]


def history_check(root: Path) -> CheckResult:
    """The migration history has one head and no missing parent.

    Read from the revision files, before any tool runs: a failure names each
    problem with its fix (``scaffold migrations merge`` for several heads).
    """
    from scaffold.migrations.graph import read_graph
    from scaffold.project.layout import VERSIONS_DIR

    started = time.perf_counter()
    revisions = {
        path.name: path.read_text(encoding="utf-8")
        for path in sorted((root / VERSIONS_DIR).glob("*.py"))
    }
    try:
        problems = read_graph(revisions).problems()
    except ProjectError as exc:
        problems = list(exc.problems)
    check = Check("migration history", (), "migrations", "scaffold check")
    return _result(check, problems, started)


def overrides_check(root: Path) -> CheckResult:
    """Every template override matches a bundled template.

    An orphaned override (a misspelt name, or a template scaffold no longer
    has) would otherwise be ignored without a word.
    """
    from scaffold.project.manifest import read_manifest
    from scaffold.project.overrides import OverrideState, override_states

    started = time.perf_counter()
    problems = [
        status.problem or ""
        for status in override_states(root, read_manifest(root))
        if status.state is OverrideState.ORPHANED
    ]
    check = Check("template overrides", (), "templates", "scaffold templates status")
    return _result(check, problems, started)


def _result(check: Check, problems: list[str], started: float) -> CheckResult:
    seconds = time.perf_counter() - started
    return CheckResult(
        check, not problems, 1 if problems else 0, seconds, "\n".join(problems)
    )
