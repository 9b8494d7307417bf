"""Edits of the project's shared files: router registration and model imports.

The edits find their anchors on the syntax tree (:mod:`ast`) and insert or
rewrite only the lines they own, so the rest of the file keeps its formatting.
Each edit is idempotent: applying it to its own output changes nothing. When a
file no longer has the shape an edit expects, nothing is changed and the error
shows the exact lines to add by hand.
"""

from __future__ import annotations

import ast
from dataclasses import dataclass

from scaffold.errors import WiringError
from scaffold.project.layout import MODELS_FILE, ROUTER_FILE

__all__ = [
    "LineEdit",
    "WiringError",
    "apply_removals",
    "drop_import",
    "register_model",
    "register_router",
    "unregister_model",
    "unregister_router",
]

ENDPOINTS_PACKAGE = "app.api.v1.endpoints"


@dataclass(frozen=True)
class LineEdit:
    """Replace lines ``start``..``end`` (1-based, inclusive) with ``text``.

    ``end == start - 1`` inserts before line ``start`` without replacing.
    """

    start: int
    end: int
    text: str


def _apply(source: str, edits: list[LineEdit]) -> str:
    lines = source.splitlines(keepends=True)
    if lines and not lines[-1].endswith("\n"):
        lines[-1] += "\n"
    # Bottom-up keeps line numbers valid; at the same line, the edit listed
    # first ends up first.
    ordered = sorted(enumerate(edits), key=lambda pair: (pair[1].start, pair[0]))
    for _, edit in reversed(ordered):
        lines[edit.start - 1 : edit.end] = [edit.text]
    return "".join(lines)


def _parse(source: str, path: str, by_hand: list[str]) -> ast.Module:
    try:
        return ast.parse(source)
    except SyntaxError as exc:
        raise _refuse(path, f"it does not parse (line {exc.lineno})", by_hand) from exc


def _refuse(path: str, why: str, by_hand: list[str]) -> WiringError:
    lines = "; ".join(by_hand)
    return WiringError(
        f"{path} no longer has the shape scaffold expects ({why}); it was left "
        f"unchanged: add these lines by hand: {lines}"
    )


def _last_import_line(tree: ast.Module) -> int:
    """The last line of the top-level imports, or of the docstring, or 0."""
    last = 0
    for node in tree.body:
        if isinstance(node, ast.Import | ast.ImportFrom) or (
            last == 0 and _is_docstring(node)
        ):
            last = node.end_lineno or node.lineno
    return last


def _is_docstring(node: ast.stmt) -> bool:
    return (
        isinstance(node, ast.Expr)
        and isinstance(node.value, ast.Constant)
        and isinstance(node.value.value, str)
    )


def _import_from(tree: ast.Module, module: str) -> list[ast.ImportFrom]:
    return [
        node
        for node in tree.body
        if isinstance(node, ast.ImportFrom)
        and node.module == module
        and node.level == 0
    ]


def _add_name_to_import(
    node: ast.ImportFrom, module: str, name: str
) -> LineEdit | None:
    """Rewrite ``from module import ...`` to include ``name``; None if present."""
    if any(alias.name == name and alias.asname is None for alias in node.names):
        return None
    names = sorted(
        [*(_alias_text(alias) for alias in node.names), name], key=str.casefold
    )
    text = f"from {module} import {', '.join(names)}\n"
    return LineEdit(node.lineno, node.end_lineno or node.lineno, text)


def _ensure_import(tree: ast.Module, module: str, name: str) -> list[LineEdit]:
    """The edit that makes ``from module import name`` hold, if one is needed."""
    imports = _import_from(tree, module)
    if imports:
        edit = _add_name_to_import(imports[0], module, name)
        return [edit] if edit else []
    after = _last_import_line(tree)
    return [LineEdit(after + 1, after, f"from {module} import {name}\n")]


def _alias_text(alias: ast.alias) -> str:
    return f"{alias.name} as {alias.asname}" if alias.asname else alias.name


def register_router(
    source: str, module: str, *, path: str = ROUTER_FILE, attribute: str = "router"
) -> str:
    """Include the router of endpoint module ``module`` in ``api_router``.

    Args:
        source: The current text of ``app/api/v1/router.py``.
        module: The endpoint module name, e.g. ``books``.
        path: The file's path, for messages.
        attribute: The router's name in the module: ``router``, or
            ``nested_router`` for routes under the resources it refers to.

    Returns:
        The new text (the same text when the router is already included).

    Raises:
        WiringError: The file has no single top-level ``api_router = APIRouter()``.
    """
    import_line = f"from {ENDPOINTS_PACKAGE} import {module}"
    include_line = f"api_router.include_router({module}.{attribute})"
    by_hand = [import_line, include_line]
    tree = _parse(source, path, by_hand)

    routers = [
        node
        for node in tree.body
        if isinstance(node, ast.Assign | ast.AnnAssign)
        and _assigns_name(node, "api_router")
        and isinstance(node.value, ast.Call)
        and _call_name(node.value) == "APIRouter"
    ]
    if len(routers) != 1:
        found = "no" if not routers else f"{len(routers)}"
        raise _refuse(path, f"{found} top-level 'api_router = APIRouter(...)'", by_hand)

    edits = []
    imports = _import_from(tree, ENDPOINTS_PACKAGE)
    if len(imports) > 1:
        raise _refuse(path, f"{len(imports)} imports from {ENDPOINTS_PACKAGE}", by_hand)
    edits += _ensure_import(tree, ENDPOINTS_PACKAGE, module)

    includes = [
        node
        for node in tree.body
        if isinstance(node, ast.Expr)
        and isinstance(node.value, ast.Call)
        and _is_include_router(node.value)
    ]
    if not any(_includes_module(node, module, attribute) for node in includes):
        anchor: ast.stmt = includes[-1] if includes else routers[0]
        after = anchor.end_lineno or anchor.lineno
        separator = "" if includes else "\n"
        edits.append(LineEdit(after + 1, after, f"{separator}{include_line}\n"))
    return _apply(source, edits) if edits else source


def register_model(
    source: str, module: str, class_name: str, *, path: str = MODELS_FILE
) -> str:
    """Import model ``class_name`` from ``app.models.<module>`` and export it.

    Args:
        source: The current text of ``app/models/__init__.py``.
        module: The model module name, e.g. ``book``.
        class_name: The model class, e.g. ``Book``.
        path: The file's path, for messages.

    Returns:
        The new text (the same text when the model is already registered).

    Raises:
        WiringError: ``__all__`` exists but is not a plain list of strings.
    """
    import_line = f"from app.models.{module} import {class_name}"
    by_hand = [import_line, f'add "{class_name}" to __all__']
    tree = _parse(source, path, by_hand)
    edits = []

    edits += _ensure_import(tree, f"app.models.{module}", class_name)

    exports = [
        node
        for node in tree.body
        if isinstance(node, ast.Assign | ast.AnnAssign)
        and _assigns_name(node, "__all__")
    ]
    if len(exports) > 1:
        raise _refuse(path, "more than one __all__", by_hand)
    if exports:
        node = exports[0]
        value = node.value
        if not isinstance(value, ast.List | ast.Tuple) or not all(
            isinstance(item, ast.Constant) and isinstance(item.value, str)
            for item in value.elts
        ):
            raise _refuse(path, "__all__ is not a list of strings", by_hand)
        names = [
            item.value
            for item in value.elts
            if isinstance(item, ast.Constant) and isinstance(item.value, str)
        ]
        if class_name not in names:
            listed = ", ".join(f'"{name}"' for name in sorted({*names, class_name}))
            text = f"__all__ = [{listed}]\n"
            edits.append(LineEdit(node.lineno, node.end_lineno or node.lineno, text))
    else:
        after = _last_import_line(tree)
        edits.append(LineEdit(after + 1, after, f'\n__all__ = ["{class_name}"]\n'))
    return _apply(source, edits) if edits else source


def unregister_router(source: str, module: str, *, path: str = ROUTER_FILE) -> str:
    """Undo :func:`register_router`: drop the import and includes of ``module``.

    Every router of the module is dropped: ``router`` and ``nested_router``.

    Returns:
        The new text (the same text when the router is not included).

    Raises:
        WiringError: The file does not parse.
    """
    by_hand = [
        f"remove 'from {ENDPOINTS_PACKAGE} import {module}'",
        f"remove 'api_router.include_router({module}.router)'",
    ]
    tree = _parse(source, path, by_hand)
    edits = drop_import(tree, ENDPOINTS_PACKAGE, module)
    for node in tree.body:
        if (
            isinstance(node, ast.Expr)
            and isinstance(node.value, ast.Call)
            and _is_include_router(node.value)
            and _includes_module(node, module)
        ):
            edits.append(LineEdit(node.lineno, node.end_lineno or node.lineno, ""))
    return apply_removals(source, edits) if edits else source


def unregister_model(
    source: str, module: str, class_name: str, *, path: str = MODELS_FILE
) -> str:
    """Undo :func:`register_model`: drop the import and export of ``class_name``.

    Returns:
        The new text (the same text when the model is not registered).

    Raises:
        WiringError: The file does not parse, or ``__all__`` is not a plain
            list of strings.
    """
    by_hand = [
        f"remove 'from app.models.{module} import {class_name}'",
        f'remove "{class_name}" from __all__',
    ]
    tree = _parse(source, path, by_hand)
    edits = drop_import(tree, f"app.models.{module}", class_name)
    for node in tree.body:
        if not (
            isinstance(node, ast.Assign | ast.AnnAssign)
            and _assigns_name(node, "__all__")
        ):
            continue
        value = node.value
        if not isinstance(value, ast.List | ast.Tuple):
            raise _refuse(path, "__all__ is not a list of strings", by_hand)
        names = [
            item.value
            for item in value.elts
            if isinstance(item, ast.Constant) and isinstance(item.value, str)
        ]
        if class_name in names:
            listed = ", ".join(f'"{name}"' for name in names if name != class_name)
            text = f"__all__ = [{listed}]\n"
            edits.append(LineEdit(node.lineno, node.end_lineno or node.lineno, text))
    return apply_removals(source, edits) if edits else source


def drop_import(tree: ast.Module, module: str, name: str) -> list[LineEdit]:
    """Edits that remove ``name`` from every ``from module import ...``."""
    edits = []
    for node in _import_from(tree, module):
        kept = [alias for alias in node.names if alias.name != name or alias.asname]
        if len(kept) == len(node.names):
            continue
        text = (
            f"from {module} import {', '.join(map(_alias_text, kept))}\n"
            if kept
            else ""
        )
        edits.append(LineEdit(node.lineno, node.end_lineno or node.lineno, text))
    return edits


def apply_removals(source: str, edits: list[LineEdit]) -> str:
    """Apply ``edits``; where a statement is removed, drop the blank line it leaves.

    A removed statement that sat between two blank lines (or a blank line and
    the end of the file) takes the blank line before it along, so the file
    keeps the spacing it had before the statement was added.
    """
    lines = source.splitlines(keepends=True)
    removed_blanks: list[LineEdit] = []
    for edit in edits:
        if edit.text:
            continue
        before = edit.start - 2  # 0-based index of the line above
        after = edit.end  # 0-based index of the line below
        blank_before = before >= 0 and not lines[before].strip()
        blank_after = after >= len(lines) or not lines[after].strip()
        if blank_before and blank_after:
            removed_blanks.append(LineEdit(before + 1, before + 1, ""))
    text = _apply(source, [*edits, *removed_blanks])
    return text.rstrip("\n") + "\n"


def _assigns_name(node: ast.Assign | ast.AnnAssign, name: str) -> bool:
    targets = node.targets if isinstance(node, ast.Assign) else [node.target]
    return any(isinstance(target, ast.Name) and target.id == name for target in targets)


def _call_name(call: ast.Call) -> str | None:
    func = call.func
    if isinstance(func, ast.Name):
        return func.id
    if isinstance(func, ast.Attribute):
        return func.attr
    return None


def _is_include_router(call: ast.Call) -> bool:
    func = call.func
    return (
        isinstance(func, ast.Attribute)
        and func.attr == "include_router"
        and isinstance(func.value, ast.Name)
        and func.value.id == "api_router"
    )


def _includes_module(
    statement: ast.Expr, module: str, attribute: str | None = None
) -> bool:
    """Whether ``statement`` includes ``module.<attribute>`` (any router if None)."""
    call = statement.value
    if not isinstance(call, ast.Call) or not call.args:
        return False
    first = call.args[0]
    return (
        isinstance(first, ast.Attribute)
        and (attribute is None or first.attr == attribute)
        and isinstance(first.value, ast.Name)
        and first.value.id == module
    )
