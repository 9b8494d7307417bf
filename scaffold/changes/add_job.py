"""``scaffold add job``: a background job module, its registration and its test.

Only projects made with ``--jobs`` have the worker a job registers with. The
pipeline mirrors ``add resource``: read the project, render and plan every
file (no writes), apply the plan all or nothing, run the project's checks.
"""

from __future__ import annotations

import ast
import keyword
import re
from dataclasses import dataclass
from pathlib import Path, PurePosixPath

from scaffold.changes.transaction import carry_out, guard
from scaffold.engine.apply import ensure_no_journal
from scaffold.engine.events import NullReporter, Reporter
from scaffold.engine.plan import Plan, plan_files
from scaffold.errors import ProjectError, UsageError
from scaffold.project.answers import find_project, read_answers
from scaffold.project.layout import (
    JOBS_TESTS_INIT,
    MANIFEST_FILE,
    PYPROJECT_FILE,
    WORKER_FILE,
    job_paths,
)
from scaffold.project.manifest import JobRecord, digest, read_manifest
from scaffold.project.overrides import template_records
from scaffold.render.environment import render
from scaffold.spec.naming import to_snake
from scaffold.tools.check import CheckResult
from scaffold.tools.format import format_python

__all__ = ["JobResult", "add_job", "job_name", "plan_job", "preview_job"]

P = PurePosixPath
JOBS_LIST = "JOBS"
_IDENTIFIER = re.compile(r"[a-z][a-z0-9]*(_[a-z0-9]+)*")
#: Modules of ``app/jobs`` that the template itself provides.
_RESERVED = frozenset({"queue", "retries", "worker", "notifications"})


def job_name(name: str) -> str:
    """The job's function and module name: ``SendReport`` → ``send_report``.

    Raises:
        UsageError: The name is not a usable Python identifier, or it names a
            module the job package already has.
    """
    snake = to_snake(name.strip())
    if not _IDENTIFIER.fullmatch(snake) or keyword.iskeyword(snake):
        raise UsageError(
            f"invalid job name {name!r}: use letters, digits and underscores, "
            "starting with a letter, e.g. send_report"
        )
    if snake in _RESERVED:
        raise UsageError(
            f"job name {snake!r} is taken by app/jobs/{snake}.py of the template; "
            "choose another name"
        )
    return snake


def _jobs_value(node: ast.stmt) -> ast.List | None:
    """The list literal that ``node`` assigns to ``JOBS``, if it does."""
    if isinstance(node, ast.Assign):
        targets = node.targets
    elif isinstance(node, ast.AnnAssign):
        targets = [node.target]
    else:
        return None
    named = any(isinstance(t, ast.Name) and t.id == JOBS_LIST for t in targets)
    return node.value if named and isinstance(node.value, ast.List) else None


def register_job(source: str, name: str, *, path: str = WORKER_FILE) -> str:
    """Import job ``name`` in the worker module and add it to ``JOBS``.

    The edit is found on the syntax tree; the rest of the file keeps its text.

    Raises:
        ProjectError: The module has no single top-level ``JOBS = [...]`` list of
            names, or does not parse; it is left as it was, and the error shows
            the lines to add by hand.
    """
    import_line = f"from app.jobs.{name} import {name}"
    by_hand = f"add these lines by hand: {import_line}; {name} in the {JOBS_LIST} list"
    try:
        tree = ast.parse(source)
    except SyntaxError as exc:
        raise ProjectError(
            f"{path} does not parse (line {exc.lineno}); fix it or {by_hand}"
        ) from exc
    lists = [value for value in map(_jobs_value, tree.body) if value is not None]
    if len(lists) != 1 or not all(isinstance(item, ast.Name) for item in lists[0].elts):
        raise ProjectError(
            f"{path} no longer has one top-level {JOBS_LIST} = [...] list of job "
            f"functions; it was left unchanged: {by_hand}"
        )
    value = lists[0]
    names = [element.id for element in value.elts if isinstance(element, ast.Name)]
    if name in names:
        return source
    lines = source.splitlines(keepends=True)
    first, last = value.lineno - 1, (value.end_lineno or value.lineno) - 1
    before = lines[first][: value.col_offset]
    after = lines[last][value.end_col_offset or 0 :]
    items = "".join(f"    {item},\n" for item in [*names, name])
    lines[first : last + 1] = [f"{before}[\n{items}]{after}"]
    imports = [
        node for node in tree.body if isinstance(node, ast.Import | ast.ImportFrom)
    ]
    at = (imports[-1].end_lineno or imports[-1].lineno) if imports else 0
    lines.insert(at, f"{import_line}\n")
    return "".join(lines)


def _read(root: Path, path: PurePosixPath) -> str | None:
    target = root / path
    return target.read_text(encoding="utf-8") if target.is_file() else None


def plan_job(root: Path, name: str) -> Plan:
    """Render the job's files and the worker's new text; write nothing.

    Raises:
        UsageError: The project was made without ``--jobs``, or the job exists.
        ProjectError: The worker module is not in the shape scaffold expects.
    """
    ensure_no_journal(root)
    if not read_answers(root).jobs:
        raise UsageError(
            f"{root.name} was made without --jobs, so it has no worker to run "
            "jobs; create a project with: scaffold new project NAME --jobs"
        )
    manifest = read_manifest(root)
    module, test = job_paths(name)
    if name in manifest.jobs or (root / module).exists():
        raise UsageError(f"job {name!r} already exists ({module}); choose another name")
    worker = _read(root, P(WORKER_FILE))
    if worker is None:
        raise ProjectError(f"{WORKER_FILE} is missing; restore it, then run again")
    pyproject = _read(root, P(PYPROJECT_FILE))
    rendered = {
        module: render("job/job.py.jinja", project=root, name=name),
        test: render("job/test_job.py.jinja", project=root, name=name),
        P(WORKER_FILE): register_job(worker, name),
    }
    if not (root / JOBS_TESTS_INIT).exists():
        rendered[P(JOBS_TESTS_INIT)] = ""
    formatted = format_python(rendered, pyproject=pyproject)
    own = {path: text for path, text in formatted.items() if path != P(WORKER_FILE)}
    worker_recorded = manifest.files.get(WORKER_FILE)
    if worker_recorded is None or worker_recorded == digest(worker):
        own[P(WORKER_FILE)] = formatted[P(WORKER_FILE)]
    templates = {module: "job/job.py.jinja", test: "job/test_job.py.jinja"}
    updated = (
        manifest.with_files(own)
        .with_job(name, JobRecord(files=(str(module), str(test))))
        .with_templates(template_records(root, templates))
    )
    formatted[P(MANIFEST_FILE)] = updated.dump()
    existing = {path: _read(root, path) for path in formatted}
    return plan_files(
        formatted, existing, may_modify=[P(WORKER_FILE), P(MANIFEST_FILE)]
    )


def preview_job(name: str, *, project: Path) -> tuple[Path, Plan]:
    """Find the project and plan ``add job`` (``--dry-run``)."""
    root = find_project(project)
    return root, plan_job(root, job_name(name))


@dataclass(frozen=True)
class JobResult:
    """What ``scaffold add job`` did."""

    root: Path
    name: str
    plan: Plan
    checks: tuple[CheckResult, ...] = ()


def add_job(
    name: str,
    *,
    project: Path,
    check: bool = True,
    allow_dirty: bool = False,
    reporter: Reporter | None = None,
) -> JobResult:
    """Add job ``name`` to the project, register it with the worker, check.

    Raises:
        UsageError: See :func:`plan_job`; also for a bad name.
        CheckFailedError: The project's checks fail afterwards.
    """
    reporter = reporter or NullReporter()
    snake = job_name(name)
    reporter.stage(f"Generating job {snake}")
    root, plan = preview_job(snake, project=project)
    guard(root, plan, allow_dirty=allow_dirty)
    checks = carry_out(root, plan, check=check, reporter=reporter)
    return JobResult(root, snake, plan, checks)
