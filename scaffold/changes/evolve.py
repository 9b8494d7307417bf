"""What the field commands share: evolve one resource from its recorded spec.

A field command builds the resource's new spec; :func:`plan_evolution` then
re-renders every file of the resource from it, merging the user's edits the
way ``regenerate`` does, writes one revision for the difference (with the
data-safety rules of :mod:`scaffold.migrations.field_revision`), records the
new spec in the manifest, and lists the user's lines that still name a field
that was renamed or removed. :func:`evolve` carries the plan out through the
transaction helper.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path, PurePosixPath

from scaffold.changes.field_rules import (
    FieldOptions,
    reference_fill,
    refuse_unsafe,
    stale_lines,
)
from scaffold.changes.kernel import (
    ensure_supported,
    record_generated,
    render_resource,
    state_ops,
    summarising_repositories,
    wire,
)
from scaffold.changes.next_steps import project_files
from scaffold.changes.reference_evolution import (
    diff_references,
    edit_referenced_models,
    reference_revision_steps,
)
from scaffold.changes.regenerate import settle
from scaffold.changes.transaction import carry_out, guard
from scaffold.edit.inverse import add_inverse
from scaffold.engine.events import NullReporter, Reporter
from scaffold.engine.plan import Action, FileOp, Plan, conflict_error, write_op
from scaffold.errors import MergeConflictError, UsageError
from scaffold.migrations.field_revision import (
    FieldRevision,
    field_revision,
    revision_for,
)
from scaffold.migrations.graph import read_graph
from scaffold.migrations.revision import current_head, generation_time
from scaffold.project.access import resolved_targets
from scaffold.project.layout import PYPROJECT_FILE, model_path, revision_path
from scaffold.project.manifest import ResourceRecord
from scaffold.project.relations import order_resources
from scaffold.project.snapshot import ProjectSnapshot, read_recorded, read_snapshot
from scaffold.render.view import build_view
from scaffold.spec import ResourceSpec
from scaffold.spec.diff import FieldChange, diff_fields
from scaffold.tools.check import CheckResult
from scaffold.tools.format import format_python

__all__ = [
    "Evolution",
    "EvolveResult",
    "evolve",
    "plan_evolution",
    "preview_evolution",
]

P = PurePosixPath


@dataclass(frozen=True)
class Evolution:
    """A planned field change.

    Attributes:
        root: The project root.
        plan: Every file it writes.
        changes: The field changes.
        revision_path: The new revision's path; None when the change leaves
            the database schema as it is, and no revision is written.
        revision: The revision and its risks.
        stale: ``file:line`` of the user's lines that still name a field
            renamed or removed.
    """

    root: Path
    plan: Plan
    changes: tuple[FieldChange, ...]
    revision_path: PurePosixPath | None
    revision: FieldRevision
    stale: tuple[str, ...] = ()


def plan_evolution(
    snapshot: ProjectSnapshot,
    record: ResourceRecord,
    spec: ResourceSpec,
    options: FieldOptions,
    *,
    title: str,
    command: str,
) -> Evolution:
    """Plan the change of ``record``'s resource to ``spec``; write nothing.

    Raises:
        UsageError: Nothing changes, or the change breaks a data rule.
        ConflictError: A modified file has no recorded base to merge with.
    """
    old = record.spec
    had = {relation.name for relation in old.relations}
    field_renames = {new: was for new, was in options.renames.items() if was not in had}
    changes = diff_fields(old, spec, field_renames)
    moved = diff_references(old, spec, options.renames)
    table = old.names.table
    targets = resolved_targets(
        [spec, old], snapshot.files, snapshot.manifest, snapshot.auth
    )
    view = build_view(
        spec, id_type=snapshot.id_type, targets=targets, project_auth=snapshot.auth
    )
    old_view = build_view(
        old, id_type=snapshot.id_type, targets=targets, project_auth=snapshot.auth
    )
    references = [r for r in view.relations if r.name in moved.added]
    if references:
        # A new reference may close a loop between resources, which their
        # tables, migrations and tests cannot follow (as in add resource)
        others = snapshot.manifest.without_resource(old.names.singular).resources
        order_resources([spec, *(other.spec for other in others.values())])
    if moved.reshaped:
        raise UsageError(
            *(
                f"{name} is renamed and altered at once; rename it first, then "
                "alter it in a second step"
                for name in moved.reshaped
            )
        )
    if not changes and not moved:
        raise UsageError(
            f"{old.names.singular} already has exactly these fields; nothing to change"
        )
    refuse_unsafe(table, changes, options, command)
    backfill = dict(options.backfill)
    for reference in references:
        backfill[reference.name] = reference_fill(
            table, reference, options.backfill.get(reference.name), snapshot.id_type
        )
    head = current_head(snapshot.revisions)
    revision = revision_for(
        table,
        title,
        down_revision=head,
        when=generation_time(),
        after=read_graph(snapshot.revisions).filename(head),
    )
    written = field_revision(
        table,
        changes,
        revision,
        title=title,
        backfill=backfill,
        maps=options.maps,
        relations=references,
        references=reference_revision_steps(
            moved,
            old_view,
            view,
            backfill=options.backfill,
            id_type=snapshot.id_type,
            project=snapshot.root,
        ),
        owner=view,
        project=snapshot.root,
        sa_id="sa.Uuid()" if snapshot.id_type == "uuid" else "sa.Integer()",
        soft_delete=spec.soft_delete,
    )
    if written.destructive and not options.allow_data_loss:
        raise UsageError(
            *(f"this change {what}" for what in written.destructive),
            f"run again with --allow-data-loss to accept it: {command} "
            "--allow-data-loss",
        )
    filename, number = revision.filename, 1
    while filename in snapshot.revisions:  # the same change within a minute
        number += 1
        filename = revision.filename.replace(".py", f"_{number}.py")
    # A change the database does not see (a default the schemas set) needs none.
    migration = None if written.empty else revision_path(filename)
    ensure_supported(snapshot, [spec])
    rendered = render_resource(snapshot, spec, targets)
    rendered.update(summarising_repositories(snapshot, spec))
    edited = edit_referenced_models(
        snapshot, rendered, moved, old_view, view, spec.names
    )
    for reference in references:
        if reference.self_ref:
            continue
        path = model_path(reference.target.module)
        source = rendered.get(path, snapshot.files.get(path, ""))
        rendered[path] = add_inverse(
            source,
            reference.target,
            reference.spec,
            spec.names,
            path=str(path),
        )
        edited.append(path)
    shared = wire(snapshot, [spec]) if references else {}
    rendered.update(shared)
    edited = [path for path in dict.fromkeys(edited) if path not in shared]
    if migration is not None:
        rendered[migration] = written.source
    formatted = format_python(rendered, pyproject=snapshot.files.get(P(PYPROJECT_FILE)))
    ops: list[FileOp] = []
    unmergeable: list[PurePosixPath] = []
    outside = {*shared, *edited, *([migration] if migration else [])}
    own = [path for path in formatted if path not in outside]
    for path in own:
        op = settle(path, formatted[path], snapshot, force=False, refused=unmergeable)
        if op is not None:
            ops.append(op)
    if unmergeable:
        raise conflict_error(unmergeable)
    stale = stale_lines(formatted, ops, changes, moved.gone(old))
    ops += [
        write_op(path, formatted[path], snapshot.files.get(path))
        for path in [*shared, *edited]
    ]
    if migration is not None:
        ops.append(write_op(migration, formatted[migration], None))
    manifest = record_generated(
        snapshot, snapshot.manifest, formatted, shared=(*shared, *edited)
    )
    manifest = manifest.with_resource(record.model_copy(update={"spec": spec}))
    bases = {path: formatted[path] for path in own}
    ops += [
        write_op(path, text, snapshot.files.get(path))
        for path, text in state_ops(snapshot, manifest, bases).items()
    ]
    return Evolution(
        snapshot.root,
        Plan(tuple(ops)),
        tuple(changes),
        migration,
        written,
        tuple(stale),
    )


def preview_evolution(
    name: str,
    build: Callable[[ResourceSpec], tuple[ResourceSpec, FieldOptions]],
    *,
    project: Path,
    title: Callable[[ResourceSpec], str],
    command: str,
    allow_dirty: bool = False,
) -> Evolution:
    """Find the project, build the new spec and plan the change (``--dry-run``).

    Args:
        name: The resource, as recorded.
        build: From the recorded spec to the new spec and the data options.
        project: A directory inside the project.
        title: The revision's title, from the recorded spec.
        command: The command line, for error messages.
        allow_dirty: Rewrite files with uncommitted changes.
    """
    snapshot, records = read_recorded(project, [name])
    record = records[0]
    spec, options = build(record.spec)
    if spec.relations != record.spec.relations:  # read the referenced models too
        snapshot = read_snapshot(snapshot.root, [spec, record.spec])
    evolution = plan_evolution(
        snapshot, record, spec, options, title=title(record.spec), command=command
    )
    guard(snapshot.root, evolution.plan, allow_dirty=allow_dirty)
    return evolution


@dataclass(frozen=True)
class EvolveResult:
    """What a field command did."""

    evolution: Evolution
    checks: tuple[CheckResult, ...] = ()


def evolve(
    evolution: Evolution,
    *,
    check: bool = True,
    reporter: Reporter | None = None,
) -> EvolveResult:
    """Carry out a planned field change, then run the project's checks.

    Raises:
        MergeConflictError: Files were written with conflict markers (checks
            are not run).
        CheckFailedError: A check failed afterwards.
    """
    reporter = reporter or NullReporter()
    checks = carry_out(
        evolution.root,
        evolution.plan,
        check=check,
        reporter=reporter,
        settle=_merged,
    )
    return EvolveResult(evolution, checks)


def _merged(plan: Plan) -> bool:
    conflicts = plan.paths(Action.CONFLICT)
    if conflicts:
        raise MergeConflictError(
            *(
                f"{path}: your edits and the changed field touch the same lines; "
                "it was written with <<<<<<< yours / >>>>>>> scaffold markers"
                for path in conflicts
            ),
            "resolve the markers (your other edits were kept), then run: "
            "scaffold check",
        )
    return bool(project_files(op.path for op in plan.changes))
