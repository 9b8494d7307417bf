"""Relationships across resources: order, referenced resources, inverse sides.

A resource can only be generated once every resource it refers to exists,
either earlier in the same call or already in the project. This module orders a
call's resources so referenced tables come first, finds referenced resources
in the project (``app/models/<module>.py`` and its model class, via :mod:`ast`).
:mod:`scaffold.edit.inverse` edits the inverse side into the referenced model.
"""

from __future__ import annotations

import ast
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import PurePosixPath

from scaffold.errors import SpecError
from scaffold.project.layout import model_path
from scaffold.project.skeleton import skeleton_paths
from scaffold.spec import RelationSpec, ResourceSpec, Rule
from scaffold.spec.naming import ResourceNames, did_you_mean, resource_names

__all__ = [
    "Load",
    "Target",
    "assigns",
    "association_table",
    "embedding",
    "existing_target",
    "inverse_name",
    "loader_of",
    "loads_of",
    "model_class",
    "order_resources",
    "resolve_targets",
]


def loader_of(relation: RelationSpec) -> str | None:
    """How reading a row loads ``relation`` with it, or None when nothing is read.

    The rows of a many-to-many relation in a second query (``selectinload``); a
    summarised reference joined in (``joinedload``).
    """
    if relation.many:
        return "selectinload"
    if relation.summary:
        return "joinedload"
    return None


@dataclass(frozen=True)
class Load:
    """A relation that reading a referenced row loads with it, and what it loads.

    Attributes:
        loader: ``selectinload`` or ``joinedload`` (see :func:`loader_of`).
        owner: The class the relation is on, e.g. ``Post``.
        module: That class's module in ``app/models``.
        name: The relation, e.g. ``tags``.
        then: What the related rows load in turn (a summary's own relations).
    """

    loader: str
    owner: str
    module: str
    name: str
    then: tuple[Load, ...] = ()


@dataclass(frozen=True)
class Target:
    """A referenced resource, as the referencing resource's files need it.

    Attributes:
        singular: snake_case singular, e.g. ``author``.
        class_name: The model class, e.g. ``Author``.
        module: The module in ``app/models``, ``app/schemas``, e.g. ``author``.
        table: The table, e.g. ``authors``.
        url_path: The URL segment, e.g. ``authors``.
        plural: The endpoint module and test module name, e.g. ``authors``.
        human: Lowercase words, e.g. ``author``.
        read: Who may read its rows (see :mod:`scaffold.project.access`).
        write: Who may write its rows.
        owned: Whether each of its rows has an owner.
        soft_delete: Whether its deleted rows stay, marked (``deleted_at``).
        versioned: Whether changing its rows needs ``If-Match``.
        admin_rows: Whether a new row of it must refer to rows that only
            administrators create (through its required references, at any
            depth), which its tests' ``shared_references`` creates.
        user_rows: Whether that helper also creates rows the caller must own
            (it takes the caller's client).
        loads: What reading one of its rows loads with it (its many-to-many
            relations and summaries), which a summary of it must load too.
    """

    singular: str
    class_name: str
    module: str
    table: str
    url_path: str
    plural: str
    human: str
    read: Rule = "user"
    write: Rule = "user"
    owned: bool = False
    soft_delete: bool = False
    versioned: bool = False
    admin_rows: bool = False
    user_rows: bool = False
    loads: tuple[Load, ...] = ()

    @classmethod
    def of(cls, names: ResourceNames) -> Target:
        """The target for a resource with these names."""
        return cls(
            singular=names.singular,
            class_name=names.class_name,
            module=names.module,
            table=names.table,
            url_path=names.url_path,
            plural=names.plural,
            human=names.human,
        )


def inverse_name(relation: RelationSpec, owner: ResourceNames) -> str:
    """The relationship on the referenced model: ``Author.books`` for books."""
    return relation.inverse or owner.plural


def association_table(owner: ResourceNames, relation: RelationSpec) -> str | None:
    """The table linking a many-to-many relation: ``books_tags``; None for a ref."""
    return f"{owner.table}_{relation.name}" if relation.many else None


def loads_of(
    specs: Mapping[str, ResourceSpec], name: str, seen: frozenset[str] = frozenset()
) -> tuple[Load, ...]:
    """What reading a row of ``name`` loads with it, a summary's loads in turn."""
    spec = specs.get(name)
    if spec is None or name in seen:
        return ()
    owner = spec.names
    out = []
    for relation in spec.relations:
        loader = loader_of(relation)
        if loader is None:
            continue
        then: tuple[Load, ...] = ()
        if relation.summary:
            then = loads_of(specs, relation.target, seen | {name})
        out.append(Load(loader, owner.class_name, owner.module, relation.name, then))
    return tuple(out)


def embedding(
    specs: Mapping[str, ResourceSpec], names: Sequence[str]
) -> dict[str, ResourceSpec]:
    """The resources of ``specs`` whose reads embed rows of ``names``, at any depth.

    A summary returns the summarised rows as they read, their own relations
    included: comments embedding their post embed what the post's read returns.
    """
    embedded, found = set(names), {}
    while more := {
        name: spec
        for name, spec in specs.items()
        if name not in found and name not in names
        if any(r.summary and r.target in embedded for r in spec.relations)
    }:
        found.update(more)
        embedded.update(more)
    return found


def order_resources(resources: Sequence[ResourceSpec]) -> list[ResourceSpec]:
    """Order ``resources`` so that each comes after those it refers to.

    The order of the call is kept where references do not decide it.

    Raises:
        SpecError: Resources of the call refer to each other in a cycle.
    """
    by_name = {resource.names.singular: resource for resource in resources}
    ordered: list[ResourceSpec] = []
    state: dict[str, str] = {}

    def visit(name: str, path: list[str]) -> None:
        if state.get(name) == "done":
            return
        if state.get(name) == "visiting":
            cycle = " -> ".join([*path[path.index(name) :], name])
            raise SpecError(
                f"resources refer to each other in a cycle ({cycle}); referenced "
                "tables are created first, so drop one of these references"
            )
        state[name] = "visiting"
        for target in by_name[name].targets:
            if target in by_name:
                visit(target, [*path, name])
        state[name] = "done"
        ordered.append(by_name[name])

    for resource in resources:
        visit(resource.names.singular, [])
    return ordered


def model_class(tree: ast.Module, class_name: str) -> ast.ClassDef | None:
    """The class that maps a table: the one named ``class_name``, else the only one."""
    tables = [
        node
        for node in tree.body
        if isinstance(node, ast.ClassDef)
        and any(
            isinstance(item, ast.Assign | ast.AnnAssign)
            and assigns(item, "__tablename__")
            for item in node.body
        )
    ]
    named = [node for node in tables if node.name == class_name]
    if named:
        return named[0]
    return tables[0] if len(tables) == 1 else None


def assigns(node: ast.Assign | ast.AnnAssign, name: str) -> bool:
    """Whether ``node`` assigns the plain name ``name``."""
    targets = node.targets if isinstance(node, ast.Assign) else [node.target]
    return any(isinstance(target, ast.Name) and target.id == name for target in targets)


def _table_name(node: ast.ClassDef) -> str | None:
    for item in node.body:
        if (
            isinstance(item, ast.Assign | ast.AnnAssign)
            and assigns(item, "__tablename__")
            and isinstance(item.value, ast.Constant)
            and isinstance(item.value.value, str)
        ):
            return item.value.value
    return None


def existing_target(name: str, source: str | None) -> Target | None:
    """The resource ``name`` as the project has it, or None when it has none.

    Args:
        name: The referenced resource's singular snake_case name.
        source: The text of its model file (``app/models/<module>.py``), or
            None when there is no such file.
    """
    if source is None:
        return None
    names = resource_names(name)
    try:
        tree = ast.parse(source)
    except SyntaxError:
        return None
    node = model_class(tree, names.class_name)
    table = _table_name(node) if node is not None else None
    if node is None or table is None:
        return None
    return Target(
        singular=names.singular,
        class_name=node.name,
        module=names.module,
        table=table,
        url_path=names.url_path,
        plural=names.plural,
        human=names.human,
    )


def resolve_targets(
    resources: Sequence[ResourceSpec],
    files: Mapping[PurePosixPath, str],
    recorded: Mapping[str, ResourceNames] | None = None,
) -> dict[str, Target]:
    """Find every resource the call refers to, in the call or in the project.

    Args:
        resources: The call's resources.
        files: The project's model files by path (those that exist).
        recorded: The names of the resources the project's manifest records,
            which know a custom plural or table; others are read from their
            model file.

    Returns:
        The targets by singular name.

    Raises:
        SpecError: A referenced resource is neither in the call nor in the
            project, or the project's model for it cannot be read.
    """
    targets = {
        resource.names.singular: Target.of(resource.names) for resource in resources
    }
    problems: list[str] = []
    for resource in resources:
        for relation in resource.relations:
            if relation.target in targets:
                continue
            names = (recorded or {}).get(relation.target)
            if names is not None and model_path(names.module) in files:
                targets[relation.target] = Target.of(names)
                continue
            path = model_path(resource_names(relation.target).module)
            if path in files and path in skeleton_paths(auth=True, jobs=True):
                problems.append(
                    f"{resource.names.singular}.{relation.name} refers to "
                    f"{relation.target!r}, a model of the project's own ({path}), "
                    "which a resource cannot refer to yet; for rows that belong "
                    "to the user who creates them, add the resource with --owned"
                )
                continue
            found = existing_target(relation.target, files.get(path))
            if found is not None:
                targets[relation.target] = found
                continue
            kind = "refs" if relation.many else "ref"
            known = [*targets, *(recorded or {})]
            problems.append(
                f"{resource.names.singular}.{relation.name} refers to resource "
                f"{relation.target!r}, which is neither in this command nor in the "
                f"project ({path} has no model); add {relation.target!r} first "
                f"(scaffold add resource {relation.target} ...), or name another "
                f"resource with {kind}(NAME){did_you_mean(relation.target, known)}"
            )
    if problems:
        raise SpecError(*problems)
    return targets
