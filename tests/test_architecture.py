"""The shape of scaffold's own code: sizes, layering, errors, one transaction.

These read the source with ``ast``; they import nothing of scaffold's and run
in well under a second.
"""

from __future__ import annotations

import ast
from collections.abc import Iterator
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parents[1] / "scaffold"
MAX_LINES = 400
WRITING_COMMANDS = [
    "add_job",
    "add_resource",
    "new_project",
    "regenerate",
    "remove_resource",
]
# the steps only scaffold.changes.transaction may take
TRANSACTION_STEPS = {
    "apply_plan",
    "check_project",
    "ensure_committed",
    "raise_for_failures",
}


def module_name(path: Path) -> str:
    """The dotted name of the module at ``path``."""
    parts = path.relative_to(PACKAGE.parent).with_suffix("").parts
    if parts[-1] == "__init__":
        parts = parts[:-1]
    return ".".join(parts)


MODULES = {module_name(path): path for path in sorted(PACKAGE.rglob("*.py"))}


def parsed(name: str) -> ast.Module:
    """The syntax tree of module ``name``."""
    return ast.parse(MODULES[name].read_text(), filename=str(MODULES[name]))


def imports(name: str) -> Iterator[tuple[str, str | None]]:
    """Each ``(module, imported name)`` pair that module ``name`` imports.

    ``import a.b`` yields ``("a.b", None)``; ``from a import b`` yields
    ``("a", "b")``, and relative imports are resolved against ``name``.
    """
    package = name if MODULES[name].name == "__init__.py" else name.rpartition(".")[0]
    for node in ast.walk(parsed(name)):
        if isinstance(node, ast.Import):
            for alias in node.names:
                yield alias.name, None
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                anchor = package.split(".")[: len(package.split(".")) - node.level + 1]
                base = ".".join([*anchor, base] if base else anchor)
            for alias in node.names:
                yield base, alias.name


def scaffold_edges(name: str) -> set[str]:
    """The scaffold modules that module ``name`` imports."""
    edges: set[str] = set()
    for module, imported in imports(name):
        if imported and f"{module}.{imported}" in MODULES:
            edges.add(f"{module}.{imported}")
        elif module in MODULES:
            edges.add(module)
    edges.discard(name)
    return edges


def test_the_module_list_is_read() -> None:
    assert {"scaffold.cli", "scaffold.errors", "scaffold.spec"} <= set(MODULES)


@pytest.mark.parametrize("name", sorted(MODULES))
def test_no_module_is_over_the_line_limit(name: str) -> None:
    lines = len(MODULES[name].read_text().splitlines())
    assert lines <= MAX_LINES, f"{name} has {lines} lines; split it"


def test_no_import_cycle_among_scaffold_modules() -> None:
    graph = {name: scaffold_edges(name) for name in MODULES}
    done: set[str] = set()

    def visit(name: str, stack: list[str]) -> None:
        if name in stack:
            cycle = [*stack[stack.index(name) :], name]
            pytest.fail("import cycle: " + " -> ".join(cycle))
        if name in done:
            return
        for target in sorted(graph[name]):
            visit(target, [*stack, name])
        done.add(name)

    for name in sorted(graph):
        visit(name, [])


def test_the_cycle_finder_sees_a_cycle() -> None:
    graph = {"a": {"b"}, "b": {"a"}}
    assert "a" in graph["b"] and "b" in graph["a"]


def test_no_private_helper_is_imported_across_modules() -> None:
    offenders = [
        f"{name} imports {module}.{imported}"
        for name in MODULES
        for module, imported in imports(name)
        if module.startswith("scaffold")
        and imported is not None
        and imported.startswith("_")
        and imported != "__version__"
        # a package may import its own private submodules
        and not (module == name and f"{module}.{imported}" in MODULES)
    ]
    assert offenders == []


def test_every_exception_class_is_defined_in_errors() -> None:
    offenders = [
        f"{name}.{node.name}"
        for name in MODULES
        if name != "scaffold.errors"
        for node in ast.walk(parsed(name))
        if isinstance(node, ast.ClassDef)
        and any(
            isinstance(base, ast.Name | ast.Attribute)
            and ast.unparse(base).split(".")[-1].endswith(("Error", "Exception"))
            for base in node.bases
        )
    ]
    assert offenders == []


@pytest.mark.parametrize("command", WRITING_COMMANDS)
def test_every_writing_command_goes_through_the_one_transaction(command: str) -> None:
    name = f"scaffold.changes.{command}"
    assert "scaffold.changes.transaction" in scaffold_edges(name)
    # and none applies a plan, checks the commit state or runs the checks alone
    bypasses = {
        f"{module}.{imported}"
        for module, imported in imports(name)
        if imported in TRANSACTION_STEPS
    }
    assert bypasses == set()


def test_the_public_api_offers_every_command_and_its_preview() -> None:
    import scaffold.api as api

    commands = {
        "add_job": "preview_job",
        "add_resources": "preview_resources",
        "create_project": "preview_project",
        "regenerate_resources": "preview_regeneration",
        "remove_resources": "preview_removal",
    }
    for command, preview in commands.items():
        assert {command, preview} <= set(api.__all__)
        assert callable(getattr(api, command)) and callable(getattr(api, preview))
    assert all(hasattr(api, name) for name in api.__all__)


def leading_text(node: ast.AST) -> str | None:
    """The text a string literal starts with (an f-string's first literal part)."""
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        return node.value
    if (
        isinstance(node, ast.JoinedStr)
        and node.values
        and isinstance(node.values[0], ast.Constant)
        and isinstance(node.values[0].value, str)
    ):
        return node.values[0].value
    return None


def string_starts(name: str) -> Iterator[tuple[int, str]]:
    """Line and leading text of every string literal of module ``name``."""
    tree = parsed(name)
    inside_fstrings = {
        id(part)
        for node in ast.walk(tree)
        if isinstance(node, ast.JoinedStr)
        for part in node.values
    }
    for node in ast.walk(tree):
        text = leading_text(node)
        if text is not None and id(node) not in inside_fstrings:
            yield getattr(node, "lineno", 0), text


def test_every_project_path_is_spelled_in_the_layout_module() -> None:
    # app/..., tests/..., alembic/... and .scaffold/... come from one place
    project_path = ("app/", "tests/", "alembic/", ".scaffold/")
    offenders = [
        f"{name}:{line}: {text[:40]!r}"
        for name in MODULES
        if name != "scaffold.project.layout"
        for line, text in string_starts(name)
        if text.startswith(project_path)
    ]
    assert offenders == []


def test_views_spell_no_import_statement() -> None:
    # Imports of generated code are collected as data (scaffold.render.imports)
    offenders = [
        f"{name}:{line}: {text[:40]!r}"
        for name in MODULES
        if name.startswith("scaffold.render.") and name != "scaffold.render.imports"
        for line, text in string_starts(name)
        if text.startswith(("from ", "import "))
    ]
    assert offenders == []


def test_the_rules_above_see_what_they_look_for() -> None:
    # f-strings are caught by their first literal part, not by the parts after it
    tree = ast.parse('x = f"from {module} import {name}"\ny = f"{a}app/"\n')
    texts = [
        leading_text(node) for node in ast.walk(tree) if isinstance(node, ast.JoinedStr)
    ]
    assert texts == ["from ", None]
