"""The inverse side of a relation, edited into the referenced model's file.

``author:ref`` on books adds ``Author.books``. The edits find their anchors on
the syntax tree (:mod:`ast`) and insert or remove only the lines they own, in
the style of :mod:`scaffold.edit.wiring`: applying one twice changes nothing more,
and when the file is not in the expected shape nothing is changed and the
error shows the lines to add by hand. The referencing model is imported under
``TYPE_CHECKING`` only, so models never import each other at run time.
"""

from __future__ import annotations

import ast
from pathlib import Path

from scaffold.edit.wiring import LineEdit, WiringError, apply_removals, drop_import
from scaffold.errors import SpecError
from scaffold.project.relations import (
    Target,
    assigns,
    association_table,
    inverse_name,
    model_class,
)
from scaffold.render.environment import render_macro
from scaffold.spec import RelationSpec
from scaffold.spec.naming import ResourceNames

__all__ = ["add_inverse", "inverse_lines", "remove_inverse"]


def inverse_lines(
    relation: RelationSpec, owner: ResourceNames, *, project: Path | None = None
) -> list[str]:
    """The class-body lines of the inverse relationship (one statement).

    Shaped by the ``inverse_relationship`` macro of ``resource/_macros.jinja``
    (the project's own, if it has one), which a self-referencing model prints.
    """
    text = render_macro(
        "resource/_macros.jinja",
        "inverse_relationship",
        inverse_name(relation, owner),
        owner.class_name,
        relation.name,
        association_table(owner, relation),
        relation.key,
        project=project,
    )
    return [f"    {line}" for line in text.splitlines()]


def add_inverse(
    source: str,
    target: Target,
    relation: RelationSpec,
    owner: ResourceNames,
    *,
    path: str,
    project: Path | None = None,
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
        path: The file's path, for messages.
        project: The project, whose own templates shape the lines.

    Returns:
        The new text.

    Raises:
        WiringError: The file has no single model class to add to; nothing is
            changed and the message shows the lines to add by hand.
    """
    inverse = inverse_name(relation, owner)
    body = inverse_lines(relation, owner, project=project)
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
    node = model_class(tree, target.class_name)
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
    inverse = inverse_name(relation, owner)
    try:
        tree = ast.parse(source)
    except SyntaxError as exc:
        raise WiringError(
            f"{path} does not parse (line {exc.lineno}); remove the relationship "
            f"{target.class_name}.{inverse} by hand"
        ) from exc
    node = model_class(tree, target.class_name)
    if node is None:
        return source
    edits = [
        LineEdit(item.lineno, item.end_lineno or item.lineno, "")
        for item in node.body
        if isinstance(item, ast.AnnAssign)
        and assigns(item, inverse)
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
            edits.append(LineEdit(guard.lineno, guard.end_lineno or guard.lineno, ""))
        else:
            for sub in imports:
                edits.append(LineEdit(sub.lineno, sub.end_lineno or sub.lineno, ""))
    edited = apply_removals(source, edits)
    tree = ast.parse(edited)
    used = {
        name.id
        for name in ast.walk(tree)
        if isinstance(name, ast.Name) and isinstance(name.ctx, ast.Load)
    }
    drops = []
    if "relationship" not in used:
        drops += drop_import(tree, "sqlalchemy.orm", "relationship")
    if "TYPE_CHECKING" not in used:
        drops += drop_import(tree, "typing", "TYPE_CHECKING")
    return apply_removals(edited, drops) if drops else edited
