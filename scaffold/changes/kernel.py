"""What the resource commands share: render, wire and record a resource."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import PurePosixPath

from scaffold.edit.inverse import add_inverse
from scaffold.edit.wiring import register_model, register_router
from scaffold.engine.plan import Action, Plan, backup_ops
from scaffold.errors import ProjectError
from scaffold.migrations.revision import (
    generation_time,
)
from scaffold.project.access import (
    recorded_rules,
    resolved_targets,
)
from scaffold.project.layout import (
    COMMON_SCHEMAS_FILE,
    MANIFEST_FILE,
    MODELS_FILE,
    ROUTER_FILE,
    STATE_DIR,
    model_path,
)
from scaffold.project.manifest import Manifest, base_path, digest
from scaffold.project.overrides import resource_templates, template_records
from scaffold.project.relations import Target, embedding
from scaffold.project.snapshot import (
    ProjectSnapshot,
    resource_paths,
)
from scaffold.render.environment import render_template
from scaffold.render.view import build_view
from scaffold.spec import FieldType, ResourceSpec

__all__ = [
    "ensure_supported",
    "record_generated",
    "render_resource",
    "state_ops",
    "summarising_repositories",
    "wire",
    "with_backups",
]

P = PurePosixPath


def ensure_supported(snapshot: ProjectSnapshot, specs: Sequence[ResourceSpec]) -> None:
    """Refuse resources whose generated code needs what the project predates.

    Raises:
        ProjectError: A json field needs ``JsonObject``, which the project's
            ``app/schemas/common.py`` does not define yet.
    """
    common = snapshot.files.get(P(COMMON_SCHEMAS_FILE), "")
    json_fields = any(f.type is FieldType.JSON for spec in specs for f in spec.fields)
    if json_fields and "JsonObject" not in common:
        raise ProjectError(
            f"{COMMON_SCHEMAS_FILE} has no JsonObject, which json fields need "
            "(the project predates it); run scaffold upgrade, which adds it, "
            "then run again"
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
        path: render_template(template, project=snapshot.root, r=view)
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
                    path=str(model),
                    project=snapshot.root,
                )
    return files


def summarising_repositories(
    snapshot: ProjectSnapshot, resource: ResourceSpec
) -> dict[PurePosixPath, str]:
    """The repositories of the resources whose reads embed ``resource``'s rows.

    A summary loads what the summarised rows read in turn (their many-to-many
    relations and summaries), so a change to ``resource``'s relations changes
    how the resources summarising it, at any depth, load their rows.
    """
    files = {}
    embedders = embedding(snapshot.manifest.specs, [resource.names.singular])
    for spec in embedders.values():
        targets = resolved_targets(
            [spec, resource], snapshot.files, snapshot.manifest, snapshot.auth
        )
        path = resource_paths(spec)["repository.py.jinja"]
        files[path] = render_resource(snapshot, spec, targets)[path]
    return files


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
        if resource.relations:
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
    """The new manifest and base copies, as files of the plan.

    The manifest records the template that rendered each resource file.
    """
    own = {
        path: name
        for path, name in resource_templates(manifest).items()
        if path in bases
    }
    manifest = manifest.with_templates(template_records(snapshot.root, own))
    files = {P(MANIFEST_FILE): manifest.dump()}
    files.update({base_path(path): text for path, text in bases.items()})
    return files


def with_backups(plan: Plan, manifest: Manifest) -> Plan:
    """``plan`` keeping a backup of every file of the user's it replaces or deletes.

    The user's files are those ``--force`` overwrites, and those it deletes
    whose text is not what ``manifest`` records scaffold wrote. The backups go
    to ``.scaffold/backup/<date-time of this run>/``, at their own paths.
    """
    kept = [
        op
        for op in plan.ops
        if op.before is not None
        and op.path.parts[0] != STATE_DIR
        and (
            op.action is Action.OVERWRITE
            or (
                op.action is Action.DELETE
                and manifest.files.get(str(op.path)) != digest(op.before)
            )
        )
    ]
    stamp = generation_time().strftime("%Y%m%d-%H%M%S")
    return plan.with_ops(backup_ops(kept, stamp))
