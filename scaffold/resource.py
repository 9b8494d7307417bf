"""``scaffold add resource``: from validated specs to a wired-in, tested resource.

The pipeline: find the project and read what the change depends on
(:class:`ProjectSnapshot`) → render and plan every file (:func:`plan_resources`,
no writes) → apply the plan, all or nothing → run the project's checks.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath
from typing import Literal

from scaffold.answers import find_project, read_answers
from scaffold.apply import apply_plan
from scaffold.check import CheckResult, check_project, raise_for_failures
from scaffold.errors import ProjectError, SpecError
from scaffold.events import NullReporter, Reporter
from scaffold.format import format_python
from scaffold.migration import (
    VERSIONS_DIR,
    current_head,
    generation_time,
    new_revision,
)
from scaffold.plan import Plan, plan_files
from scaffold.render import render_template
from scaffold.spec import ResourceSpec
from scaffold.view import build_view
from scaffold.wiring import MODELS_FILE, ROUTER_FILE, register_model, register_router

__all__ = [
    "AddResult",
    "ProjectSnapshot",
    "add_resources",
    "plan_resources",
    "preview_resources",
]

P = PurePosixPath


@dataclass(frozen=True)
class ProjectSnapshot:
    """What planning a change needs to know about a project, read once.

    Attributes:
        root: The project directory.
        database: ``sqlite`` or ``postgres``.
        id_type: ``uuid`` or ``int``.
        files: Current text of the files the change reads or would write
            (absent files are missing from the mapping).
        revisions: Revision file name → source, from ``alembic/versions``.
    """

    root: Path
    database: Literal["sqlite", "postgres"]
    id_type: Literal["uuid", "int"]
    files: dict[PurePosixPath, str] = field(default_factory=dict)
    revisions: dict[str, str] = field(default_factory=dict)


def _resource_paths(resource: ResourceSpec) -> dict[str, PurePosixPath]:
    names = resource.names
    endpoint_module = names.plural
    return {
        "model.py.jinja": P(f"app/models/{names.module}.py"),
        "schemas.py.jinja": P(f"app/schemas/{names.module}.py"),
        "repository.py.jinja": P(f"app/repositories/{names.module}.py"),
        "service.py.jinja": P(f"app/services/{names.module}.py"),
        "endpoints.py.jinja": P(f"app/api/v1/endpoints/{endpoint_module}.py"),
        "tests.py.jinja": P(f"tests/api/test_{endpoint_module}.py"),
    }


def read_snapshot(root: Path, resources: Sequence[ResourceSpec]) -> ProjectSnapshot:
    """Read the project's answers and every file the change touches.

    Raises:
        ProjectError: The answers file is unreadable or the project was made
            with options this version does not know.
    """
    answers = read_answers(root)
    wanted = {P(ROUTER_FILE), P(MODELS_FILE), P("pyproject.toml")}
    for resource in resources:
        wanted.update(_resource_paths(resource).values())
    files = {
        path: (root / path).read_text(encoding="utf-8")
        for path in sorted(wanted)
        if (root / path).is_file()
    }
    versions = root / VERSIONS_DIR
    revisions = {
        path.name: path.read_text(encoding="utf-8")
        for path in sorted(versions.glob("*.py"))
    }
    return ProjectSnapshot(root, answers.database, answers.id_type, files, revisions)


def plan_resources(
    snapshot: ProjectSnapshot, resources: Sequence[ResourceSpec]
) -> Plan:
    """Render every file of ``resources`` and plan the writes; write nothing.

    Raises:
        SpecError: A resource already exists in the project, or two resources
            of the change collide.
        ProjectError: A shared file or the migration history is not in the
            shape scaffold expects.
    """
    problems = []
    seen: dict[str, str] = {}
    for resource in resources:
        names = resource.names
        for key in (names.module, names.table, names.plural):
            if key in seen and seen[key] != names.singular:
                problems.append(
                    f"resources {seen[key]!r} and {names.singular!r} would both "
                    f"generate {key!r}; rename one of them"
                )
            seen.setdefault(key, names.singular)
        existing = [
            str(path)
            for path in _resource_paths(resource).values()
            if path in snapshot.files
        ]
        if existing:
            problems.append(
                f"resource {names.singular!r} already exists ({existing[0]}); "
                "choose another name, or remove its files to generate it again"
            )
    if problems:
        raise SpecError(*problems)

    rendered: dict[PurePosixPath, str] = {}
    router = snapshot.files.get(P(ROUTER_FILE))
    models = snapshot.files.get(P(MODELS_FILE))
    if router is None or models is None:
        missing = ROUTER_FILE if router is None else MODELS_FILE
        raise ProjectError(
            f"{missing} is missing; restore it from version control, then run again"
        )
    head = current_head(snapshot.revisions)
    when = generation_time()
    for resource in resources:
        view = build_view(resource, id_type=snapshot.id_type)
        for template, path in _resource_paths(resource).items():
            rendered[path] = render_template(template, r=view)
        revision = new_revision(resource.names.table, down_revision=head, when=when)
        head = revision.revision
        rendered[P(f"{VERSIONS_DIR}/{revision.filename}")] = render_template(
            "migration.py.jinja", r=view, m=revision
        )
        router = register_router(router, resource.names.plural)
        models = register_model(
            models, resource.names.module, resource.names.class_name
        )
    rendered[P(ROUTER_FILE)] = router
    rendered[P(MODELS_FILE)] = models
    formatted = format_python(
        rendered, pyproject=snapshot.files.get(P("pyproject.toml"))
    )
    return plan_files(
        formatted,
        {path: snapshot.files.get(path) for path in formatted},
        may_modify=[P(ROUTER_FILE), P(MODELS_FILE)],
    )


def preview_resources(
    resources: Sequence[ResourceSpec], *, project: Path
) -> tuple[Path, Plan]:
    """Find the project and plan the change, writing nothing (``--dry-run``).

    Returns:
        The project root and the plan that ``add_resources`` would apply.
    """
    root = find_project(project)
    return root, plan_resources(read_snapshot(root, resources), resources)


@dataclass(frozen=True)
class AddResult:
    """What ``scaffold add resource`` did."""

    root: Path
    plan: Plan
    checks: tuple[CheckResult, ...] = ()


def add_resources(
    resources: Sequence[ResourceSpec],
    *,
    project: Path,
    check: bool = True,
    reporter: Reporter | None = None,
) -> AddResult:
    """Generate, wire in and check every resource of ``resources``.

    Args:
        resources: Validated specs.
        project: A directory inside the project.
        check: Run the project's checks and migration round trip afterwards.
        reporter: Receives progress events.

    Returns:
        The plan that was applied and the check results.
    """
    reporter = reporter or NullReporter()
    names = ", ".join(resource.names.singular for resource in resources)
    reporter.stage(f"Generating {names}")
    root, plan = preview_resources(resources, project=project)
    apply_plan(root, plan, reporter=reporter)
    if not check:
        return AddResult(root, plan)
    results = check_project(root, reporter=reporter)
    raise_for_failures(root, results)
    return AddResult(root, plan, tuple(results))
