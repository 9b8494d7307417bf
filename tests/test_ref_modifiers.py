"""``on_delete`` on the command line, and a misspelled reference target."""

from __future__ import annotations

from pathlib import Path

import pytest

from scaffold.errors import SpecError
from scaffold.project.relations import resolve_targets
from scaffold.spec import OnDelete, parse_cli_resource
from scaffold.spec.naming import resource_names


@pytest.mark.parametrize(
    ("token", "expected"),
    [
        ("author:ref:on_delete=cascade", OnDelete.CASCADE),
        ("author:ref:on_delete=restrict", OnDelete.RESTRICT),
        ("author:ref?:on_delete=set_null", OnDelete.SET_NULL),
        ("author:ref?:on_delete=set-null", OnDelete.SET_NULL),
        ("author:ref?:on_delete=set null", OnDelete.SET_NULL),
        ("author:ref?:on_delete=SET_NULL", OnDelete.SET_NULL),
        ("author:ref:on_delete=Cascade", OnDelete.CASCADE),
    ],
)
def test_on_delete_is_a_command_line_modifier_of_references(
    token: str, expected: OnDelete
) -> None:
    # Given a reference with on_delete spelled on the command line
    # When it is parsed
    book = parse_cli_resource("book", ["title:str", token])

    # Then the relation deletes as asked
    assert book.relations[0].on_delete is expected


def test_an_unknown_on_delete_value_lists_the_choices() -> None:
    with pytest.raises(SpecError) as caught:
        parse_cli_resource("book", ["author:ref:on_delete=nothing"])

    message = "\n".join(caught.value.problems)
    assert "cascade" in message
    assert "set_null" in message
    assert "restrict" in message


def test_on_delete_on_a_plain_field_is_refused_with_the_reason() -> None:
    with pytest.raises(SpecError) as caught:
        parse_cli_resource("book", ["title:str:on_delete=cascade"])

    assert "applies to ref" in "\n".join(caught.value.problems)


def test_a_misspelled_reference_target_suggests_the_known_resource() -> None:
    # Given a comment that refers to 'psot' in a project that has posts
    comment = parse_cli_resource("comment", ["body:text", "post:ref(psot)"])
    recorded = {"post": resource_names("post")}

    # When its targets are resolved
    with pytest.raises(SpecError) as caught:
        resolve_targets([comment], {}, recorded)

    # Then the error suggests the resource the project has
    assert "did you mean 'post'?" in "\n".join(caught.value.problems)


def test_a_misspelled_target_suggests_a_resource_of_the_same_command() -> None:
    post = parse_cli_resource("post", ["title:str"])
    comment = parse_cli_resource("comment", ["post:ref(posst)"])

    with pytest.raises(SpecError) as caught:
        resolve_targets([post, comment], {})

    assert "did you mean 'post'?" in "\n".join(caught.value.problems)


def test_the_help_documents_on_delete(tmp_path: Path) -> None:
    from typer.testing import CliRunner

    from scaffold.cli import app

    result = CliRunner().invoke(
        app, ["add", "resource", "--help"], env={"COLUMNS": "200"}
    )

    assert "on_delete=" in result.output
