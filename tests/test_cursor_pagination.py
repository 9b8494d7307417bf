"""``--pagination cursor``: the spec key, refusals, what renders.

A real run of a cursor resource's checks is in ``test_data_options.py``.
"""

from __future__ import annotations

import ast
import shutil
from datetime import datetime
from pathlib import Path, PurePosixPath

import pytest

from scaffold.errors import SpecError
from scaffold.project.answers import IdType
from scaffold.render.view import build_view
from scaffold.spec import load_spec_file, parse_cli_resource
from scaffold.tools.format import format_python
from tests.conftest import RenderOnce, tree_digest
from tests.e2e import run_scaffold
from tests.test_render import pyflakes, render_paths

FIELDS = ["name:str(100):index", "rating:int:min=1:max=5", "note:str(50)?"]


@pytest.fixture(scope="module")
def rendered(tmp_path_factory: pytest.TempPathFactory, render_once: RenderOnce) -> Path:
    """A fresh project with auth, never modified."""
    return render_once(tmp_path_factory.mktemp("cursor"), name="shop", auth=True)


def add_items(project: Path, *extra: str) -> None:
    """Add a cursor-paged ``item`` resource."""
    result = run_scaffold(
        "add", "resource", "item", *FIELDS, "--pagination", "cursor", *extra,
        "--no-check", "-q", cwd=project,
    )  # fmt: skip
    assert result.returncode == 0, result.stderr


def test_the_flag_and_the_spec_key_set_cursor_pagination(tmp_path: Path) -> None:
    # Given the flag, and a spec file with the key
    flagged = parse_cli_resource("item", FIELDS, pagination="cursor")
    spec = tmp_path / "spec.yaml"
    spec.write_text(
        "version: 1\nresources:\n  - name: item\n    pagination: cursor\n"
        "    fields:\n      name: str(100)\n"
    )

    # Then both set it; the default pages by offset
    assert flagged.pagination == "cursor"
    assert load_spec_file(spec)[0].pagination == "cursor"
    assert parse_cli_resource("item", FIELDS).pagination == "offset"


def test_optional_fields_leave_the_cursor_sort_allow_list() -> None:
    # Given a cursor resource with a required and an optional sortable field
    offset = parse_cli_resource("item", FIELDS)
    cursor = parse_cli_resource("item", FIELDS, pagination="cursor")

    # Then only offset paging sorts by the optional one (NULLs break keysets)
    assert "note" in [f.name for f in offset.sortable]
    assert "note" not in [f.name for f in cursor.sortable]
    assert "rating" in [f.name for f in cursor.sortable]


def test_an_optional_field_named_sortable_is_refused_with_cursor_paging(
    tmp_path: Path,
) -> None:
    # Given a spec file that asks to sort a cursor list by an optional field
    spec = tmp_path / "spec.yaml"
    spec.write_text(
        "version: 1\nresources:\n  - name: item\n    pagination: cursor\n"
        "    sortable: [note]\n    fields:\n      note: str(50)?\n"
    )

    # When it is loaded / Then the problem and its fix are named
    with pytest.raises(SpecError, match=r"'note' is optional.*make it required"):
        load_spec_file(spec)


def test_a_bad_pagination_value_is_refused_and_nothing_changes(
    rendered: Path, tmp_path: Path
) -> None:
    # Given a project / When a resource asks for an unknown pagination
    project = Path(shutil.copytree(rendered, tmp_path / "shop"))
    result = run_scaffold(
        "add", "resource", "item", "name:str", "--pagination", "pages",
        "--no-check", "-q", cwd=project,
    )  # fmt: skip

    # Then exit 2 naming the option and the choices, and no file is written
    assert result.returncode == 2
    assert "--pagination" in result.stderr
    assert "offset" in result.stderr and "cursor" in result.stderr
    assert not (project / "app/models/item.py").exists()


def test_the_flag_is_refused_with_a_spec_file(rendered: Path, tmp_path: Path) -> None:
    # Given a spec file / When --pagination is given beside it
    spec = tmp_path / "spec.yaml"
    spec.write_text("version: 1\nresources:\n  - name: item\n    fields: {a: str}\n")
    result = run_scaffold(
        "add", "resource", "--spec", str(spec), "--pagination", "cursor",
        "--no-check", "-q", cwd=rendered,
    )  # fmt: skip

    # Then exit 2: the file sets it per resource
    assert result.returncode == 2
    assert "--pagination" in result.stderr


def test_the_list_pages_by_cursor_without_a_count(
    rendered: Path, tmp_path: Path
) -> None:
    # Given a cursor resource
    project = Path(shutil.copytree(rendered, tmp_path / "shop"))
    add_items(project)
    schemas = (project / "app/schemas/item.py").read_text()
    repository = (project / "app/repositories/item.py").read_text()
    service = (project / "app/services/item.py").read_text()

    # Then its query takes a bounded cursor, its list a keyset condition, no count
    assert "class ItemQuery(CursorQuery):" in schemas
    assert "pattern=CURSOR_PATTERN" in schemas
    assert '"note"' not in schemas.split("ItemSort = Literal[")[1].split("]")[0]
    assert "func.count" not in repository
    assert "or_(column < value, and_(column == value, Item.id < last_id))" in (
        " ".join(repository.split())
    )
    assert ".limit(query.size + 1)" in repository
    assert "CursorPage[ItemRead](" in service


def test_a_bad_pagination_in_a_spec_file_is_refused_in_one_line(
    tmp_path: Path,
) -> None:
    # Given a spec file with an unknown pagination
    spec = tmp_path / "spec.yaml"
    spec.write_text(
        "version: 1\nresources:\n  - name: item\n    pagination: pages\n"
        "    fields:\n      name: str(100)\n"
    )

    # When it is loaded / Then the key and the values it takes are named
    with pytest.raises(SpecError, match=r"pagination.*'offset'.*'cursor'"):
        load_spec_file(spec)


def test_apply_refuses_to_switch_pagination_and_changes_nothing(
    rendered: Path, tmp_path: Path
) -> None:
    # Given a cursor resource, and a spec file that lists it with offset pages
    project = Path(shutil.copytree(rendered, tmp_path / "shop"))
    add_items(project)
    spec_file = tmp_path / "items.yaml"
    spec_file.write_text(
        "resources:\n  - name: item\n    fields:\n      name: str(100):index\n"
        "      rating: int:min=1:max=5\n      note: str(50)?\n"
    )
    before = tree_digest(project)

    # When the file is applied
    result = run_scaffold("apply", str(spec_file), "--no-check", cwd=project)

    # Then exit 2 naming the problem and the fix, and nothing changes
    assert result.returncode == 2
    assert "pagination cannot be switched on an existing resource" in result.stderr
    assert "set it back to cursor" in result.stderr
    assert tree_digest(project) == before


@pytest.mark.parametrize("id_type", ["uuid", "int"])
@pytest.mark.parametrize(
    "options", [{}, {"owned": True}, {"soft_delete": True}], ids=str
)
def test_cursor_modules_render_without_undefined_or_unused_names(
    id_type: IdType, options: dict[str, bool], tmp_path: Path
) -> None:
    # Given every module of a cursor resource with every kind of sort column
    resource = parse_cli_resource(
        "item",
        [*FIELDS, "price:decimal(10,2)", "kind:enum(a,b)", "on:date", "at:datetime"],
        pagination="cursor",
        **options,
    )
    view = build_view(resource, id_type=id_type, project_auth=True)
    rendered = render_paths(view)
    modules = {str(path): text for path, text in format_python(rendered).items()}

    # When pyflakes' checks run over them / Then there is nothing to report
    result = pyflakes(modules, tmp_path)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "CursorPage[ItemRead]" in modules["service.py"]


def test_the_generated_order_check_orders_instants_not_their_text() -> None:
    # Given the generated tests' sort key, taken from a cursor resource's tests
    resource = parse_cli_resource("item", [*FIELDS, "at:datetime"], pagination="cursor")
    text = render_paths(build_view(resource, id_type="uuid"))[PurePosixPath("tests.py")]
    tree = ast.parse(text)
    (function,) = [
        node
        for node in tree.body
        if isinstance(node, ast.FunctionDef) and node.name == "_order_key"
    ]
    namespace: dict[str, object] = {"datetime": datetime, "Any": object}
    # our own template's function, run as the generated tests run it
    exec(compile(ast.Module([function], []), "tests", "exec"), namespace)  # noqa: S102
    order_key = namespace["_order_key"]

    # When it orders a whole second (JSON drops its zero fraction) and a later
    # instant in the same second, decimals sent as text, and plain text
    instants = ["2026-11-30T11:42:12.018000Z", "2026-11-30T11:42:12Z"]
    decimals = ["10.50", "9.25"]

    # Then instants and decimals sort by value, not by their characters
    assert sorted(instants, key=order_key) == instants[::-1]  # type: ignore[arg-type]
    assert sorted(decimals, key=order_key) == decimals[::-1]  # type: ignore[arg-type]
    assert sorted(["b", "a"], key=order_key) == ["a", "b"]  # type: ignore[arg-type]
