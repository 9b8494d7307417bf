"""Relationships across resources: order, referenced resources, inverse sides.

A resource can only be generated once every resource it refers to exists,
either earlier in the same call or already in the project. This module orders a
call's resources so referenced tables come first, finds referenced resources
in the project (``app/models/<module>.py`` and its model class, via :mod:`ast`),
and adds the inverse relationship to a referenced model with a syntax-tree
anchored, idempotent edit in the style of :mod:`scaffold.wiring`.
"""

from __future__ import annotations

import ast
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import PurePosixPath

from scaffold.errors import SpecError
from scaffold.naming import ResourceNames, resource_names
from scaffold.spec import RelationSpec, ResourceSpec
from scaffold.wiring import WiringError

__all__ = [
    "Target",
    "add_inverse",
    "existing_target",
    "model_path",
    "order_resources",
    "resolve_targets",
]


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
        existing: Already in the project rather than generated in this call.
    """

    singular: str
    class_name: str
    module: str
    table: str
    url_path: str
    plural: str
    human: str
    existing: bool = False

    @classmethod
    def of(cls, names: ResourceNames, *, existing: bool = False) -> Target:
        """The target for a resource with these names."""
        return cls(
            singular=names.singular,
            class_name=names.class_name,
            module=names.module,
            table=names.table,
            url_path=names.url_path,
            plural=names.plural,
            human=names.human,
            existing=existing,
        )


def model_path(module: str) -> PurePosixPath:
    """The model file of a resource module: ``app/models/<module>.py``."""
    return PurePosixPath(f"app/models/{module}.py")


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


def _model_class(tree: ast.Module, class_name: str) -> ast.ClassDef | None:
    """The class that maps a table: the one named ``class_name``, else the only one."""
    tables = [
        node
        for node in tree.body
        if isinstance(node, ast.ClassDef)
        and any(
            isinstance(item, ast.Assign | ast.AnnAssign)
            and _assigns(item, "__tablename__")
            for item in node.body
        )
    ]
    named = [node for node in tables if node.name == class_name]
    if named:
        return named[0]
    return tables[0] if len(tables) == 1 else None


def _assigns(node: ast.Assign | ast.AnnAssign, name: str) -> bool:
    targets = node.targets if isinstance(node, ast.Assign) else [node.target]
    return any(isinstance(target, ast.Name) and target.id == name for target in targets)


def _table_name(node: ast.ClassDef) -> str | None:
    for item in node.body:
        if (
            isinstance(item, ast.Assign | ast.AnnAssign)
            and _assigns(item, "__tablename__")
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
    node = _model_class(tree, names.class_name)
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
        existing=True,
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
                targets[relation.target] = Target.of(names, existing=True)
                continue
            path = model_path(resource_names(relation.target).module)
            found = existing_target(relation.target, files.get(path))
            if found is not None:
                targets[relation.target] = found
                continue
            kind = "refs" if relation.many else "ref"
            problems.append(
                f"{resource.names.singular}.{relation.name} refers to resource "
                f"{relation.target!r}, which is neither in this command nor in the "
                f"project ({path} has no model); add {relation.target!r} first "
                f"(scaffold add resource {relation.target} ...), or name another "
                f"resource with {kind}(NAME)"
            )
    if problems:
        raise SpecError(*problems)
    return targets


def inverse_lines(
    relation: RelationSpec, owner: ResourceNames, *, association: str | None
) -> list[str]:
    """The class-body lines of the inverse relationship (one statement)."""
    inverse = relation.inverse or owner.plural
    if relation.many:
        return [
            f'    {inverse}: Mapped[list["{owner.class_name}"]] = relationship(',
            f'        secondary="{association}",',
            f'        back_populates="{relation.name}",',
            "        passive_deletes=True,",
            "    )",
        ]
    return [
        f'    {inverse}: Mapped[list["{owner.class_name}"]] = relationship(',
        f'        back_populates="{relation.name}", passive_deletes="all"',
        "    )",
    ]


def add_inverse(
    source: str,
    target: Target,
    relation: RelationSpec,
    owner: ResourceNames,
    *,
    association: str | None,
    path: str,
) -> str:
    """Add the inverse of ``relation`` to the model class of ``target``.

    The edit adds a ``TYPE_CHECKING`` import of the referencing model and the
    relationship at the end of the class body, and ``relationship`` and
    ``TYPE_CHECKING`` to the imports. Applying it twice changes nothing more.

    Args:
        source: The text of the referenced model's file.
        target: The referenced resource.
        relation: The relation of ``owner`` whose inverse this is.
        owner: The referencing resource's names.
        association: The association table of a many-to-many relation.
        path: The file's path, for messages.

    Returns:
        The new text.

    Raises:
        WiringError: The file has no single model class to add to; nothing is
            changed and the message shows the lines to add by hand.
    """
    inverse = relation.inverse or owner.plural
    body = inverse_lines(relation, owner, association=association)
    owner_import = f"from app.models.{owner.module} import {owner.class_name}"
    by_hand = [
        "from typing import TYPE_CHECKING",
        "from sqlalchemy.orm import relationship",
        f"if TYPE_CHECKING: {owner_import}",
        f"in class {target.class_name}: " + " ".join(line.strip() for line in body),
    ]

    def refuse(why: str) -> WiringError:
        return WiringError(
            f"{path} no longer has the shape scaffold expects ({why}); it was left "
            f"unchanged: add these lines by hand: {'; '.join(by_hand)}"
        )

    try:
        tree = ast.parse(source)
    except SyntaxError as exc:
        raise refuse(f"it does not parse (line {exc.lineno})") from exc
    node = _model_class(tree, target.class_name)
    if node is None:
        raise refuse(f"no single model class {target.class_name!r}")
    attributes = {
        target.id
        for item in node.body
        if isinstance(item, ast.Assign | ast.AnnAssign)
        for target in (item.targets if isinstance(item, ast.Assign) else [item.target])
        if isinstance(target, ast.Name)
    }
    if inverse in attributes:
        segment = ast.get_source_segment(source, node) or ""
        if f'back_populates="{relation.name}"' in segment:
            return source  # added before
        raise SpecError(
            f"{owner.singular}.{relation.name}: model {target.class_name} already "
            f"has an attribute {inverse!r}; give the relation another inverse name"
        )
    lines = source.splitlines(keepends=True)
    if lines and not lines[-1].endswith("\n"):
        lines[-1] += "\n"
    statements = [
        item for item in node.body if isinstance(item, ast.Assign | ast.AnnAssign)
    ]
    anchor = statements[-1] if statements else node
    end = anchor.end_lineno or anchor.lineno
    lines[end:end] = [line + "\n" for line in body]
    return _ensure_imports("".join(lines), owner)


def _ensure_imports(source: str, owner: ResourceNames) -> str:
    """Import ``TYPE_CHECKING``, ``relationship`` and, guarded, the owner model.

    New lines go after the last top-level import; ruff sorts and merges them
    when the files are formatted.
    """
    tree = ast.parse(source)
    imported = {
        (node.module, alias.name)
        for node in tree.body
        if isinstance(node, ast.ImportFrom)
        for alias in node.names
    }
    last = max(
        (
            node.end_lineno or node.lineno
            for node in tree.body
            if isinstance(node, ast.Import | ast.ImportFrom)
        ),
        default=0,
    )
    new = [
        f"from {module} import {name}\n"
        for module, name in (
            ("typing", "TYPE_CHECKING"),
            ("sqlalchemy.orm", "relationship"),
        )
        if (module, name) not in imported
    ]
    owner_import = f"from app.models.{owner.module} import {owner.class_name}\n"
    guards = [
        node
        for node in tree.body
        if isinstance(node, ast.If)
        and isinstance(node.test, ast.Name)
        and node.test.id == "TYPE_CHECKING"
    ]
    lines = source.splitlines(keepends=True)
    if guards:
        guarded = {
            (sub.module, alias.name)
            for sub in guards[0].body
            if isinstance(sub, ast.ImportFrom)
            for alias in sub.names
        }
        if (f"app.models.{owner.module}", owner.class_name) not in guarded:
            end = guards[0].end_lineno or guards[0].lineno
            lines[end:end] = ["    " + owner_import]
    else:
        new.append("\nif TYPE_CHECKING:\n    " + owner_import)
    lines[last:last] = new
    return "".join(lines)


def remove_inverse(
    source: str,
    target: Target,
    relation: RelationSpec,
    owner: ResourceNames,
    *,
    path: str,
) -> str:
    """Undo :func:`add_inverse`: drop the inverse relationship and its imports.

    The guarded import of the referencing model goes, and so do the
    ``relationship`` and ``TYPE_CHECKING`` imports once nothing uses them.

    Returns:
        The new text (the same text when there is no such inverse).

    Raises:
        WiringError: The file does not parse.
    """
    from scaffold.wiring import _delete, _drop_import, _Insert

    inverse = relation.inverse or owner.plural
    try:
        tree = ast.parse(source)
    except SyntaxError as exc:
        raise WiringError(
            f"{path} does not parse (line {exc.lineno}); remove the relationship "
            f"{target.class_name}.{inverse} by hand"
        ) from exc
    node = _model_class(tree, target.class_name)
    if node is None:
        return source
    edits = [
        _Insert(item.lineno, item.end_lineno or item.lineno, "")
        for item in node.body
        if isinstance(item, ast.AnnAssign)
        and _assigns(item, inverse)
        and f'back_populates="{relation.name}"'
        in (ast.get_source_segment(source, item) or "")
    ]
    if not edits:
        return source
    for guard in tree.body:
        if not (
            isinstance(guard, ast.If)
            and isinstance(guard.test, ast.Name)
            and guard.test.id == "TYPE_CHECKING"
        ):
            continue
        owner_module = f"app.models.{owner.module}"
        imports = [
            sub
            for sub in guard.body
            if isinstance(sub, ast.ImportFrom) and sub.module == owner_module
        ]
        if imports and len(guard.body) == len(imports):
            edits.append(_Insert(guard.lineno, guard.end_lineno or guard.lineno, ""))
        else:
            for sub in imports:
                edits.append(_Insert(sub.lineno, sub.end_lineno or sub.lineno, ""))
    edited = _delete(source, edits)
    tree = ast.parse(edited)
    used = {
        name.id
        for name in ast.walk(tree)
        if isinstance(name, ast.Name) and isinstance(name.ctx, ast.Load)
    }
    drops = []
    if "relationship" not in used:
        drops += _drop_import(tree, "sqlalchemy.orm", "relationship")
    if "TYPE_CHECKING" not in used:
        drops += _drop_import(tree, "typing", "TYPE_CHECKING")
    return _delete(edited, drops) if drops else edited
