"""References a field command removes, renames or alters.

:func:`diff_references` tells, between a resource's recorded spec and its new
one, which references were added, removed, renamed (only when the caller
says so, as for fields) or altered; :func:`reference_revision_steps` writes
their revision statements and :func:`edit_referenced_models` keeps the
inverse relationships on the referenced models, and the nested routes in the
router, in step with them.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path, PurePosixPath

from scaffold.changes.field_rules import reference_fill
from scaffold.edit.inverse import add_inverse, remove_inverse
from scaffold.edit.wiring import register_router, unregister_router
from scaffold.errors import UsageError
from scaffold.migrations.relation_changes import (
    ReferenceStep,
    altered_steps,
    removed_steps,
    renamed_steps,
)
from scaffold.project.layout import ROUTER_FILE, model_path
from scaffold.project.snapshot import ProjectSnapshot
from scaffold.render.view_model import ResourceView
from scaffold.spec import RelationSpec, ResourceSpec
from scaffold.spec.naming import ResourceNames

__all__ = [
    "ReferenceDiff",
    "diff_references",
    "edit_referenced_models",
    "reference_revision_steps",
]

P = PurePosixPath


@dataclass(frozen=True)
class ReferenceDiff:
    """How the references of a resource change.

    Attributes:
        added: Names of the references added.
        removed: Names of the references removed.
        renamed: ``(old, new)`` names of the references renamed.
        altered: Names of the references whose definition changes.
        reshaped: New names of the renamed references whose definition
            changes too (a rename and an alteration: two field commands).
    """

    added: tuple[str, ...] = ()
    removed: tuple[str, ...] = ()
    renamed: tuple[tuple[str, str], ...] = ()
    altered: tuple[str, ...] = ()
    reshaped: tuple[str, ...] = ()

    def __bool__(self) -> bool:
        return bool(self.added or self.removed or self.renamed or self.altered)

    def gone(self, old: ResourceSpec) -> list[str]:
        """The names (and keys) of ``old``'s references removed or renamed."""
        names = {*self.removed, *(source for source, _ in self.renamed)}
        return [
            word
            for relation in old.relations
            if relation.name in names
            for word in (relation.name, relation.key)
        ]

    def describe(self) -> list[str]:
        """One line per change, for people."""
        return [
            *(f"add {name}" for name in self.added),
            *(f"remove {name}" for name in self.removed),
            *(f"rename {old} to {new}" for old, new in self.renamed),
            *(f"alter {name}" for name in (*self.altered, *self.reshaped)),
        ]


def _same_kind(old: RelationSpec, new: RelationSpec) -> None:
    if old.target != new.target or old.many != new.many:
        kind = "refs" if old.many else "ref"
        raise UsageError(
            f"{old.name} is a {kind} to {old.target}; a reference cannot change "
            f"its target or kind: remove it (scaffold remove field ... {old.name} "
            "--allow-data-loss) and add the new one"
        )


def diff_references(
    old: ResourceSpec, new: ResourceSpec, renames: Mapping[str, str]
) -> ReferenceDiff:
    """The reference changes from ``old`` to ``new``.

    Args:
        old: The recorded spec.
        new: The new spec.
        renames: New name → old name (field renames may be among them).

    Raises:
        UsageError: A reference changes its target or kind, or a ``refs`` is
            renamed.
    """
    before = {relation.name: relation for relation in old.relations}
    after = {relation.name: relation for relation in new.relations}
    renamed = tuple(
        (source, target)
        for target, source in renames.items()
        if source in before and target in after
    )
    for source, target in renamed:
        was, now = before[source], after[target]
        _same_kind(was, now)
        if was.many:
            raise UsageError(
                f"{source} is a many-to-many reference, which cannot be renamed "
                f"yet; remove it and add {target}:refs({was.target})"
            )
    gone = {source for source, _ in renamed}
    came = {target for _, target in renamed}
    altered = [name for name in before if name in after and before[name] != after[name]]
    for name in altered:
        _same_kind(before[name], after[name])
    added = [name for name in after if name not in before and name not in came]
    removed = [name for name in before if name not in after and name not in gone]
    reshaped = [
        target
        for source, target in renamed
        if before[source].model_copy(update={"name": target}) != after[target]
    ]
    return ReferenceDiff(
        added=tuple(added),
        removed=tuple(removed),
        renamed=renamed,
        altered=tuple(altered),
        reshaped=tuple(reshaped),
    )


def reference_revision_steps(
    diff: ReferenceDiff,
    old: ResourceView,
    new: ResourceView,
    *,
    backfill: Mapping[str, object],
    id_type: str,
    project: Path,
) -> list[ReferenceStep]:
    """The revision statements of ``diff`` (added references aside).

    Raises:
        UsageError: A ``--backfill`` is not an id of the target.
    """
    sa_id = "sa.Uuid()" if id_type == "uuid" else "sa.Integer()"
    table = old.table
    was = {relation.name: relation for relation in old.relations}
    now = {relation.name: relation for relation in new.relations}
    steps = [
        removed_steps(table, was[name], owner=old, sa_id=sa_id, project=project)
        for name in diff.removed
    ]
    steps += [
        renamed_steps(table, was[source], now[target], sa_id=sa_id)
        for source, target in diff.renamed
    ]
    for name in diff.altered:
        fill = None
        if name in backfill:
            fill = reference_fill(table, now[name], backfill[name], id_type)
        steps.append(altered_steps(table, was[name], now[name], sa_id=sa_id, fill=fill))
    return steps


def edit_referenced_models(
    snapshot: ProjectSnapshot,
    rendered: dict[PurePosixPath, str],
    diff: ReferenceDiff,
    old: ResourceView,
    new: ResourceView,
    owner: ResourceNames,
) -> list[PurePosixPath]:
    """Update the inverse relationships and nested routes ``diff`` touches.

    The new texts go into ``rendered``; ``owner`` names the resource whose
    references change.

    Returns:
        The shared files edited (referenced models, the router).
    """
    was = {relation.name: relation for relation in old.relations}
    now = {relation.name: relation for relation in new.relations}
    gone = [*diff.removed, *(source for source, _ in diff.renamed), *diff.altered]
    came = [*(target for _, target in diff.renamed), *diff.altered]
    edited: list[PurePosixPath] = []

    def source_of(path: PurePosixPath) -> str:
        return rendered.get(path, snapshot.files.get(path, ""))

    for name in gone:
        relation = was[name]
        if relation.self_ref:
            continue
        path = model_path(relation.target.module)
        rendered[path] = remove_inverse(
            source_of(path), relation.target, relation.spec, owner, path=str(path)
        )
        edited.append(path)
    for name in came:
        relation = now[name]
        if relation.self_ref:
            continue
        path = model_path(relation.target.module)
        rendered[path] = add_inverse(
            source_of(path),
            relation.target,
            relation.spec,
            owner,
            path=str(path),
            project=snapshot.root,
        )
        edited.append(path)
    nested_before = bool(old.relations)
    nested_after = bool(new.relations)
    if nested_before and not nested_after:
        router = P(ROUTER_FILE)
        plural = owner.plural
        text = unregister_router(source_of(router), plural)
        rendered[router] = register_router(text, plural)
        edited.append(router)
    return list(dict.fromkeys(edited))
