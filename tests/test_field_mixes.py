"""Every mix of fields renders a resource: plain fields, references, or nothing.

Likes, bookmarks, follows and memberships are made only of references; a
resource may even have nothing but its id and timestamps. Hypothesis draws
field mixes, including those, and every module they render must parse and
pass ruff's pyflakes checks; the generated tests must still test something.
"""

from __future__ import annotations

import ast
import tempfile
from pathlib import Path
from typing import Literal

import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from scaffold.project.relations import Target
from scaffold.render.view import build_view
from scaffold.spec import parse_cli_resource
from scaffold.spec.naming import resource_names
from scaffold.tools.format import format_python
from tests.e2e import run_scaffold
from tests.test_render import pyflakes, render_paths

#: Fields a mix is drawn from: plain ones and references of every kind.
POOL = [
    "title:str:unique",
    "pages:int?",
    "status:enum(draft,published)",
    "post:ref",
    "editor:ref(person)?",
    "tags:refs",
]
TARGETS = {name: Target.of(resource_names(name)) for name in ("post", "person", "tag")}

IdType = Literal["uuid", "int"]


def render_mix(
    fields: list[str], *, owned: bool, id_type: IdType = "uuid"
) -> dict[str, str]:
    """Every module of a ``like`` resource with ``fields``, in a project with auth.

    Formatted as ``add resource`` formats them (ruff merges the import lines).
    """
    resource = parse_cli_resource("like", fields, owned=owned)
    view = build_view(resource, id_type=id_type, targets=TARGETS, project_auth=True)
    rendered = render_paths(view)
    return {
        path.name + ".jinja": text for path, text in format_python(rendered).items()
    }


def generated_tests(source: str) -> set[str]:
    """Names of the test functions of a generated test module."""
    tree = ast.parse(source)
    return {
        node.name
        for node in tree.body
        if isinstance(node, ast.AsyncFunctionDef | ast.FunctionDef)
        and node.name.startswith("test_")
    }


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    fields=st.lists(st.sampled_from(POOL), unique=True, max_size=4),
    owned=st.booleans(),
    id_type=st.sampled_from(["uuid", "int"]),
)
@example(fields=["post:ref"], owned=True, id_type="uuid")
@example(fields=["tags:refs"], owned=False, id_type="uuid")
@example(fields=[], owned=False, id_type="int")
@example(fields=[], owned=True, id_type="uuid")
def test_every_field_mix_renders_modules_ruff_accepts(
    fields: list[str], owned: bool, id_type: IdType
) -> None:
    # Given a resource made of any mix of fields, references or none at all
    modules = render_mix(fields, owned=owned, id_type=id_type)

    # When its modules are parsed and checked with pyflakes' rules
    for name, source in modules.items():
        ast.parse(source, filename=name)
    with tempfile.TemporaryDirectory() as directory:
        result = pyflakes(modules, Path(directory))

    # Then there is nothing to report, and partial updates are still tested
    assert result.returncode == 0, result.stdout + result.stderr
    assert any(
        name.startswith("test_update_")
        for name in generated_tests(modules["tests.py.jinja"])
    )


def test_a_reference_only_resource_tests_updating_its_reference() -> None:
    # Given a like made of a reference to a post and nothing else
    tests = render_mix(["post:ref"], owned=True)["tests.py.jinja"]

    # When its tests are read / Then PATCH changes the reference
    assert "test_update_changes_only_the_reference_sent" in generated_tests(tests)
    assert '"post_id"' in tests


def test_a_resource_without_fields_tests_an_empty_update() -> None:
    # Given a resource with nothing but its id and timestamps
    tests = render_mix([], owned=False)["tests.py.jinja"]

    # When its tests are read / Then an empty PATCH is tested, and no empty
    # parameter list turns a test into a skip
    assert "test_update_with_an_empty_body_changes_nothing" in generated_tests(tests)
    assert "[\n    ],\n)" not in tests
    assert "test_create_refuses_invalid_values" not in generated_tests(tests)


@pytest.mark.e2e
def test_reference_only_and_field_less_resources_pass_their_checks(
    project: Path,
) -> None:
    # Given a blog's posts and tags, then likes made only of a reference,
    # taggings made only of a many-to-many reference, pings with no field, and
    # visits whose fields are named like the generated tests' helpers'
    # parameters and variables (valid_payload(n, ...), create_visit(client,
    # n, ...), payload, changes, response) or like builtins (format, zip...)
    added = run_scaffold(
        "add", "resource", "post", "title:str", "--owned", "--no-check", cwd=project
    )
    assert added.returncode == 0, added.stderr
    added = run_scaffold(
        "add", "resource", "tag", "name:str", "--no-check", cwd=project
    )
    assert added.returncode == 0, added.stderr
    for args in (
        ["like", "post:ref", "--owned"],
        ["tagging", "tags:refs"],
        ["ping"],
        [
            "visit",
            "n:int:unique:default=0",
            "client:str",
            "payload:str?",
            "changes:int?",
            "response:str?",
            "format:str?",
            "zip:str(10):unique",
            "credits:int?",
            "min:int?",
            "max:int?",
            "post:ref",
        ],
    ):
        added = run_scaffold("add", "resource", *args, "--no-check", cwd=project)
        assert added.returncode == 0, added.stdout + added.stderr

    # When the project's checks run
    checked = run_scaffold("check", "--quiet", cwd=project)

    # Then ruff, mypy, the generated tests and the migrations all pass
    assert checked.returncode == 0, checked.stdout + checked.stderr
