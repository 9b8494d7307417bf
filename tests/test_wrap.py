"""Long names in generated prose: comments, docstrings and descriptions wrap."""

from __future__ import annotations

import ast
import subprocess
from pathlib import Path
from typing import Any

import pytest

from scaffold.render.view import build_view
from scaffold.spec import parse_cli_resource
from scaffold.tools.format import format_python, ruff_binary
from scaffold.tools.wrap import wrap_long_lines
from tests.test_render import render_paths

EXAMPLES = Path(__file__).resolve().parents[1] / "examples"


def test_a_long_comment_wraps_into_comment_lines_at_its_indent() -> None:
    source = "def f() -> None:\n    # " + "word " * 30 + "end\n    pass\n"

    wrapped = wrap_long_lines(source)

    lines = wrapped.splitlines()
    assert all(len(line) <= 88 for line in lines)
    comments = [line for line in lines if line.lstrip().startswith("#")]
    assert len(comments) == 2
    assert all(line.startswith("    # ") for line in comments)
    assert " ".join(c.strip()[2:] for c in comments) == ("word " * 30 + "end")


def test_a_long_docstring_wraps_within_the_docstring() -> None:
    summary = "Return the " + "borrowed book " * 8 + "with this id."
    source = (
        f'def f(x: int) -> None:\n    """{summary}\n\n    Args:\n'
        f'        x: {"a long description " * 5}of x.\n    """\n'
    )

    wrapped = wrap_long_lines(source)

    assert all(len(line) <= 88 for line in wrapped.splitlines())
    docstring = ast.get_docstring(ast.parse(wrapped).body[0])  # type: ignore[arg-type]
    assert docstring is not None
    assert " ".join(docstring.split()) == " ".join(
        (summary + " Args: x: " + "a long description " * 5 + "of x.").split()
    )
    # An argument's description continues indented under the argument
    assert "\n            " in wrapped


def test_a_long_string_argument_becomes_a_concatenation_of_the_same_text() -> None:
    text = "Only borrowed books whose " + "very long field name " * 4 + "is this."
    source = f'x = dict(\n    a=1,\n    description="{text}",\n)\n'

    wrapped = wrap_long_lines(source)

    assert all(len(line) <= 88 for line in wrapped.splitlines())
    assert "description=(" in wrapped
    namespace: dict[str, dict[str, object]] = {}
    exec(compile(wrapped, "<wrapped>", "exec"), namespace)  # noqa: S102
    assert namespace["x"]["description"] == text


def test_a_long_sole_argument_is_split_within_the_calls_own_parentheses() -> None:
    # ruff's UP034 flags a second pair of parentheses around a sole argument
    text = "The hlti unogktcfnbr latndcw is " + "still referred to " * 4 + "here."
    source = f'x = str(\n    "{text}"\n)\n'

    wrapped = wrap_long_lines(source)

    assert all(len(line) <= 88 for line in wrapped.splitlines())
    assert "(\n    (" not in wrapped
    assert wrapped.startswith('x = str(\n    "The hlti')
    namespace: dict[str, str] = {}
    exec(compile(wrapped, "<wrapped>", "exec"), namespace)  # noqa: S102
    assert namespace["x"] == text


def test_a_string_that_fits_once_in_parentheses_stays_whole() -> None:
    # ruff format would join the parts of a string that fits on one line
    text = "true: only ata wjuzxzdbcgq fosnrqkbxuus without ey lrlv; false: only with."
    source = f'x = dict(\n    a=1,\n    description="{text}",\n)\n'

    wrapped = wrap_long_lines(source)

    assert f'description=(\n        "{text}"\n    ),' in wrapped


def test_lines_within_the_limit_are_left_as_they_are() -> None:
    source = 'x = "short"  # short\n'

    assert wrap_long_lines(source) == source


@pytest.mark.parametrize(
    ("name", "fields", "options"),
    [
        (
            "borrowed_book",
            [
                "title_of_the_borrowed_volume:str(200):index:min=3",
                "date_the_volume_must_return:date?",
                "status:enum(on-loan,returned)",
                "late_fee_owed_by_the_reader:decimal(8,2)?:min=0",
            ],
            {},
        ),
        # names near the longest a table may have: the row's parameter and its
        # class no longer fit on one line
        (
            "extraordinarily_long_referenced_publisher",
            ["name:str:unique", "founded_on:date?"],
            {"soft_delete": True},
        ),
        (
            "substantially_lengthy_inventory_adjustments_x",
            ["quantity:int:min=0"],
            {"pagination": "cursor", "owned": True},
        ),
    ],
)
def test_a_resource_with_long_names_renders_within_the_line_limit(
    tmp_path: Path, name: str, fields: list[str], options: dict[str, Any]
) -> None:
    # Given a resource named like a real model, with long field names
    view = build_view(
        parse_cli_resource(name, fields, **options),
        id_type="uuid",
        project_auth=True,
    )
    files = render_paths(view)
    pyproject = (EXAMPLES / "minimal" / "pyproject.toml").read_text()

    # When scaffold formats them
    formatted = format_python(files, pyproject=pyproject)

    # Then ruff finds no line over the project's limit, and the format holds
    (tmp_path / "pyproject.toml").write_text(pyproject)
    for path, text in formatted.items():
        (tmp_path / path).write_text(text)
    ruff = ruff_binary()
    check = subprocess.run(
        [ruff, "check", "--no-cache", "--select", "E501", "."],
        cwd=tmp_path, capture_output=True, text=True, check=False,
    )  # fmt: skip
    assert check.returncode == 0, check.stdout
    fmt = subprocess.run(
        [ruff, "format", "--no-cache", "--check", "."],
        cwd=tmp_path, capture_output=True, text=True, check=False,
    )  # fmt: skip
    assert fmt.returncode == 0, fmt.stdout


def test_a_long_f_string_argument_keeps_its_replacement_fields_whole() -> None:
    field = "{an_identifier_of_quite_some_length}"
    line = f'        f"Ata wjuzxzdbcgq fosnrqkbxuu {field} was not found",'
    source = (
        "def f(an_identifier_of_quite_some_length: int) -> str:\n"
        f"    return str(\n{line}\n    )\n"
    )

    wrapped = wrap_long_lines(source)

    assert all(len(line) <= 88 for line in wrapped.splitlines())
    assert ' "found"' in wrapped  # a part without a replacement field is plain
    namespace: dict[str, Any] = {}
    exec(compile(wrapped, "<wrapped>", "exec"), namespace)  # noqa: S102
    assert namespace["f"](7) == "Ata wjuzxzdbcgq fosnrqkbxuu 7 was not found"


def test_a_long_test_name_loses_fillers_then_last_words() -> None:
    name = (
        "test_openapi_links_a_created_ata_wjuzxzdbcgq_fosnrqkbxuu"
        "_to_what_its_ids_lead_to"
    )
    source = f"async def {name}(\n    client: AsyncClient,\n) -> None:\n    pass\n"

    wrapped = wrap_long_lines(source)

    head = wrapped.splitlines()[0]
    assert len(head) <= 88
    assert head.startswith("async def test_openapi_links_created_ata_wjuzxzdbcgq")
    assert wrapped.splitlines()[1:] == source.splitlines()[1:]


def test_a_long_annotation_goes_in_parentheses_on_a_line_of_its_own() -> None:
    parameter = "extraordinarily_long_referenced_publisher"
    annotation = "ExtraordinarilyLongReferencedPublisher"
    source = (
        f"def add(\n    self,\n        {parameter}: {annotation},\n) -> None:\n"
        "    pass\n"
    )

    wrapped = wrap_long_lines(source)

    assert f"        {parameter}: (\n            {annotation}\n        ),\n" in wrapped
    assert all(len(line) <= 88 for line in wrapped.splitlines())
    ast.parse(wrapped)


def test_a_string_that_exactly_fits_in_parentheses_is_not_split() -> None:
    text = "x" * (88 - 8 - 2)  # at eight spaces, with its quotes: 88 characters
    source = f'x = dict(\n    a=1,\n    description="{text}",\n)\n'

    wrapped = wrap_long_lines(source)

    assert f'description=(\n        "{text}"\n    ),' in wrapped
