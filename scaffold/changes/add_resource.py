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

from scaffold.changes.transaction import carry_out, guard
from scaffold.edit.inverse import add_inverse
from scaffold.edit.wiring import (
    MODELS_FILE,
    ROUTER_FILE,
    register_model,
    register_router,
)
from scaffold.engine.apply import ensure_no_journal
from scaffold.engine.events import NullReporter, Reporter
from scaffold.engine.plan import Action, Plan, backup_ops, plan_files
from scaffold.errors import ProjectError
from scaffold.migrations.revision import (
    VERSIONS_DIR,
    current_head,
    generation_time,
    new_revision,
)
from scaffold.project.access import (
    recorded_rules,
    resolved_targets,
    rule_problems,
    with_rules,
)
from scaffold.project.answers import find_project, read_answers
from scaffold.project.clashes import refuse_clashes
from scaffold.project.manifest import (
    MANIFEST_FILE,
    STATE_DIR,
    Manifest,
    ResourceRecord,
    base_path,
    digest,
    find_records,
    read_manifest,
)
from scaffold.project.relations import (
    Target,
    model_path,
    order_resources,
)
from scaffold.project.skeleton import skeleton_problems
from scaffold.render.environment import render_template
from scaffold.render.relation_model import RelationView
from scaffold.render.view import build_view
from scaffold.spec import ResourceSpec
from scaffold.spec.naming import resource_names
from scaffold.tools.check import CheckResult
from scaffold.tools.format import format_python

__all__ = [
    "AddResult",
    "ProjectSnapshot",
    "add_resources",
    "plan_resources",
    "preview_resources",
]

P = PurePosixPath
ERRORS_FILE = "app/core/errors.py"
DATABASE_FILE = "app/core/database.py"
#: Projects made before UtcNow() keep CURRENT_TIMESTAMP in new migrations.
_UTC_NOW = "class UtcNow("
_REFERENCE_ERROR = "class InvalidReferenceError("


@dataclass(frozen=True)
class ProjectSnapshot:
    """What planning a change needs to know about a project, read once.

    Attributes:
        root: The project directory.
        database: ``sqlite`` or ``postgres``.
        id_type: ``uuid`` or ``int``.
        auth: Whether the project has users (``new project --auth``).
        manifest: The record of what scaffold generated.
        files: Current text of the files the change reads or would write
            (absent files are missing from the mapping).
        revisions: Revision file name → source, from ``alembic/versions``.
    """

    root: Path
    database: Literal["sqlite", "postgres"]
    id_type: Literal["uuid", "int"]
    auth: bool = False
    manifest: Manifest = field(default_factory=Manifest)
    files: dict[PurePosixPath, str] = field(default_factory=dict)
    revisions: dict[str, str] = field(default_factory=dict)


def resource_paths(resource: ResourceSpec) -> dict[str, PurePosixPath]:
    """Template name → project path of each file that belongs to ``resource``."""
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


def read_snapshot(
    root: Path, resources: Sequence[ResourceSpec], *, also: Sequence[str] = ()
) -> ProjectSnapshot:
    """Read the project's answers, manifest and every file the change touches.

    Args:
        root: The project root.
        resources: The resources the change renders.
        also: Other project paths the change reads.

    Raises:
        ProjectError: The answers file or manifest is unreadable, the project
            was made with options this version does not know, or a killed run
            left a journal behind.
    """
    ensure_no_journal(root)
    answers = read_answers(root)
    manifest = read_manifest(root)
    wanted = {
        P(ROUTER_FILE),
        P(MODELS_FILE),
        P("pyproject.toml"),
        P(MANIFEST_FILE),
        P(ERRORS_FILE),
        P(DATABASE_FILE),
    }
    wanted.update(P(path) for path in also)
    for resource in resources:
        for path in resource_paths(resource).values():
            wanted.update((path, base_path(path)))
        wanted.update(
            model_path(resource_names(relation.target).module)
            for relation in resource.relations
        )
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
    return ProjectSnapshot(
        root,
        answers.database,
        answers.id_type,
        auth=answers.auth,
        manifest=manifest,
        files=files,
        revisions=revisions,
    )


def render_resource(
    snapshot: ProjectSnapshot,
    resource: ResourceSpec,
    targets: dict[str, Target] | None = None,
) -> dict[PurePosixPath, str]:
    """The resource's own files (not its migration) as the templates render them.

    The model gets the inverse side of every relation that the project's other
    resources (as the manifest records them) have to it.

    Args:
        snapshot: The project as it is.
        resource: The resource to render.
        targets: The resources it refers to (default: found in the project).
    """
    resource = recorded_rules(resource, project_auth=snapshot.auth)
    if targets is None:
        targets = resolved_targets(
            [resource], snapshot.files, snapshot.manifest, snapshot.auth
        )
    view = build_view(
        resource,
        id_type=snapshot.id_type,
        targets=targets,
        project_auth=snapshot.auth,
    )
    files = {
        path: render_template(template, r=view)
        for template, path in resource_paths(resource).items()
    }
    model = model_path(resource.names.module)
    own = Target.of(resource.names)
    for name, record in sorted(snapshot.manifest.resources.items()):
        if name == resource.names.singular:
            continue
        for relation in record.spec.relations:
            if relation.target == resource.names.singular:
                files[model] = add_inverse(
                    files[model],
                    own,
                    relation,
                    record.spec.names,
                    association=association_table(record.spec, relation.name),
                    path=str(model),
                )
    return files


def association_table(resource: ResourceSpec, relation: str) -> str:
    """The association table of a many-to-many relation: ``books_tags``."""
    return f"{resource.names.table}_{relation}"


def wire(
    snapshot: ProjectSnapshot, resources: Sequence[ResourceSpec]
) -> dict[PurePosixPath, str]:
    """The router and model registry with every resource of ``resources`` wired in.

    Raises:
        ProjectError: A shared file is missing or not in the expected shape.
    """
    router = snapshot.files.get(P(ROUTER_FILE))
    models = snapshot.files.get(P(MODELS_FILE))
    if router is None or models is None:
        missing = ROUTER_FILE if router is None else MODELS_FILE
        raise ProjectError(
            f"{missing} is missing; restore it from version control, then run again"
        )
    for resource in resources:
        names = resource.names
        router = register_router(router, names.plural)
        if any(not relation.many for relation in resource.relations):
            router = register_router(router, names.plural, attribute="nested_router")
        models = register_model(models, names.module, names.class_name)
    return {P(ROUTER_FILE): router, P(MODELS_FILE): models}


def record_generated(
    snapshot: ProjectSnapshot,
    manifest: Manifest,
    generated: dict[PurePosixPath, str],
    *,
    shared: Sequence[PurePosixPath] = (P(ROUTER_FILE), P(MODELS_FILE)),
) -> Manifest:
    """``manifest`` with the hashes of ``generated`` recorded.

    A shared file the user had modified stays recorded as modified: scaffold
    only edited its own lines in it.
    """
    own = {}
    for path, text in generated.items():
        current = snapshot.files.get(path)
        recorded = snapshot.manifest.files.get(str(path))
        if path in shared and current is not None and recorded != digest(current):
            continue
        own[path] = text
    return manifest.with_files(own)


def state_ops(
    snapshot: ProjectSnapshot, manifest: Manifest, bases: dict[PurePosixPath, str]
) -> dict[PurePosixPath, str]:
    """The new manifest and base copies, as files of the plan."""
    files = {P(MANIFEST_FILE): manifest.dump()}
    files.update({base_path(path): text for path, text in bases.items()})
    return files


def backup_stamp() -> str:
    """The directory name of this run's backups under ``.scaffold/backup/``."""
    return generation_time().strftime("%Y%m%d-%H%M%S")


def plan_resources(
    snapshot: ProjectSnapshot,
    resources: Sequence[ResourceSpec],
    *,
    force: bool = False,
) -> Plan:
    """Render every file of ``resources`` and plan the writes; write nothing.

    Args:
        snapshot: The project as it is.
        resources: The resources to add.
        force: Overwrite files in the way that the user modified or wrote,
            keeping a backup of each under ``.scaffold/backup/``.

    Raises:
        SpecError: A resource already exists in the project, or two resources
            of the change collide.
        ConflictError: Files in the way were modified by the user (not with
            ``force``).
        ProjectError: A shared file or the migration history is not in the
            shape scaffold expects.
    """
    problems = [
        problem
        for resource in resources
        for problem in (
            *rule_problems(resource, project_auth=snapshot.auth),
            *skeleton_problems(
                resource.names.singular,
                resource_paths(resource).values(),
                auth=snapshot.auth,
            ),
        )
    ]
    refuse_clashes(resources, manifest=snapshot.manifest, problems=problems)
    resources = order_resources(
        [with_rules(resource, project_auth=snapshot.auth) for resource in resources]
    )
    targets = resolved_targets(
        resources, snapshot.files, snapshot.manifest, snapshot.auth
    )
    errors = snapshot.files.get(P(ERRORS_FILE), "")
    if any(r.relations for r in resources) and _REFERENCE_ERROR not in errors:
        raise ProjectError(
            f"{ERRORS_FILE} has no InvalidReferenceError, which references need "
            "(the project predates them); copy the class and the 'errors' handling "
            "of AppError from a project generated by this version, then run again"
        )

    rendered: dict[PurePosixPath, str] = {}
    migrations: dict[str, tuple[PurePosixPath, str]] = {}
    edited: list[PurePosixPath] = []
    head = current_head(snapshot.revisions)
    when = generation_time()
    utc_now = _UTC_NOW in snapshot.files.get(P(DATABASE_FILE), _UTC_NOW)
    for resource in resources:
        view = build_view(
            resource,
            id_type=snapshot.id_type,
            targets=targets,
            project_auth=snapshot.auth,
        )
        rendered.update(render_resource(snapshot, resource, targets))
        for relation in view.relations:
            if not relation.self_ref:
                edited.append(
                    _add_inverse(
                        rendered, snapshot, relation.target, relation, resource
                    )
                )
        revision = new_revision(resource.names.table, down_revision=head, when=when)
        head = revision.revision
        path = P(f"{VERSIONS_DIR}/{revision.filename}")
        migrations[resource.names.singular] = (path, revision.revision)
        rendered[path] = render_template(
            "migration.py.jinja", r=view, m=revision, utc_now=utc_now
        )
    rendered.update(wire(snapshot, resources))
    formatted = format_python(
        rendered, pyproject=snapshot.files.get(P("pyproject.toml"))
    )

    existing = [path for path in edited if path in snapshot.files]
    manifest = record_generated(
        snapshot,
        snapshot.manifest,
        formatted,
        shared=(P(ROUTER_FILE), P(MODELS_FILE), *existing),
    )
    bases: dict[PurePosixPath, str] = {}
    for resource in resources:
        own = list(resource_paths(resource).values())
        bases.update({path: formatted[path] for path in own})
        migration, revision_id = migrations[resource.names.singular]
        manifest = manifest.with_resource(
            ResourceRecord(
                spec=resource,
                files=tuple(str(path) for path in own),
                migration=str(migration),
                revision=revision_id,
            )
        )
    formatted.update(state_ops(snapshot, manifest, bases))
    state = [path for path in formatted if path.parts[0] == STATE_DIR]
    plan = plan_files(
        formatted,
        {path: snapshot.files.get(path) for path in formatted},
        generated=snapshot.manifest.files_of(r.names.singular for r in resources),
        may_modify=[P(ROUTER_FILE), P(MODELS_FILE), *existing, *state],
        force=force,
    )
    overwritten = [op for op in plan.ops if op.action is Action.OVERWRITE]
    return plan.with_ops(backup_ops(overwritten, backup_stamp()))


def _add_inverse(
    rendered: dict[PurePosixPath, str],
    snapshot: ProjectSnapshot,
    target: Target,
    relation: RelationView,
    resource: ResourceSpec,
) -> PurePosixPath:
    """Add the inverse of ``relation`` to the referenced model, rendered or not."""
    path = model_path(target.module)
    source = rendered.get(path, snapshot.files.get(path))
    if source is None:  # pragma: no cover - resolve_targets found the file
        raise ProjectError(f"{path} is missing; restore it, then run again")
    rendered[path] = add_inverse(
        source,
        target,
        relation.spec,
        resource.names,
        association=relation.association,
        path=str(path),
    )
    return path


def read_recorded(
    project: Path, names: Sequence[str]
) -> tuple[ProjectSnapshot, list[ResourceRecord]]:
    """Find the project and read it for a change to recorded resources ``names``.

    Raises:
        ProjectError: No project, or a killed run left a journal behind.
        SpecError: A name is not a resource the manifest records.
    """
    root = find_project(project)
    ensure_no_journal(root)
    records = find_records(read_manifest(root), names)
    snapshot = read_snapshot(root, [record.spec for record in records])
    return snapshot, records


def preview_resources(
    resources: Sequence[ResourceSpec],
    *,
    project: Path,
    force: bool = False,
    allow_dirty: bool = False,
) -> tuple[Path, Plan]:
    """Find the project and plan the change, writing nothing (``--dry-run``).

    Refuses, as the real run does, to touch files with uncommitted changes.

    Returns:
        The project root and the plan that ``add_resources`` would apply.
    """
    root = find_project(project)
    snapshot = read_snapshot(root, resources)
    plan = plan_resources(snapshot, resources, force=force)
    return root, guard(root, plan, allow_dirty=allow_dirty)


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
    force: bool = False,
    allow_dirty: bool = False,
    reporter: Reporter | None = None,
) -> AddResult:
    """Generate, wire in and check every resource of ``resources``.

    Args:
        resources: Validated specs.
        project: A directory inside the project.
        check: Run the project's checks and migration round trip afterwards.
        force: Overwrite files in the way that the user modified (backed up).
        allow_dirty: Modify files that have uncommitted changes in git.
        reporter: Receives progress events.

    Returns:
        The plan that was applied and the check results.
    """
    reporter = reporter or NullReporter()
    names = ", ".join(resource.names.singular for resource in resources)
    reporter.stage(f"Generating {names}")
    root, plan = preview_resources(
        resources, project=project, force=force, allow_dirty=allow_dirty
    )
    checks = carry_out(root, plan, check=check, reporter=reporter)
    return AddResult(root, plan, checks)
