"""The ``new project`` job: validation of the name and of the target directory."""

from __future__ import annotations

from pathlib import Path

import pytest

from scaffold.changes.new_project import (
    ProjectRequest,
    render_project,
    suggest_project_name,
)
from scaffold.errors import ProjectError, UsageError
from tests.conftest import tree_digest


@pytest.mark.parametrize("name", ["shop", "my-shop", "my_shop", "shop2", "a1-b2-c3"])
def test_valid_names_are_accepted(name: str) -> None:
    # Given a well-formed project name / When the request is built
    request = ProjectRequest.build(name=name)

    # Then it keeps the name and targets a directory of that name
    assert request.name == name
    assert request.target == Path(name)


@pytest.mark.parametrize(
    ("name", "suggestion"),
    [
        ("MyShop", "my-shop"),
        ("Bad_Name", "bad-name"),
        ("shop!", "shop"),
        ("2shop", "shop"),
        ("my--shop", "my-shop"),
        ("shop-", "shop"),
        ("шоп", None),
        ("", None),
    ],
)
def test_invalid_names_are_refused_with_a_suggestion(
    name: str, suggestion: str | None
) -> None:
    # Given an invalid name / When the request is built
    with pytest.raises(UsageError) as caught:
        ProjectRequest.build(name=name)

    # Then one problem names the bad value (repr) and, where one fits, a fix
    (problem,) = caught.value.problems
    assert repr(name) in problem
    assert "lowercase ASCII letters" in problem
    if suggestion:
        assert f"did you mean {suggestion!r}" in problem
    else:
        assert "did you mean" not in problem
    assert suggest_project_name(name) == suggestion


@pytest.mark.parametrize(
    ("name", "fix"),
    [
        ("fastapi", "fastapi-service"),
        ("sqlalchemy", "sqlalchemy-service"),
        ("pydantic_settings", "pydantic_settings_service"),
        ("pytest-xdist", "pytest-xdist-service"),
        ("asyncpg", "asyncpg-service"),  # a dependency of PostgreSQL projects
        ("arq", "arq-service"),  # of projects with jobs
    ],
)
def test_a_project_named_like_its_own_dependency_is_refused(
    name: str, fix: str
) -> None:
    # Given the name of a package the project would depend on, which uv
    # refuses to install in a project of that name / When the request is built
    with pytest.raises(UsageError) as caught:
        ProjectRequest.build(name=name)

    # Then one problem says why, with a name that works
    (problem,) = caught.value.problems
    assert (
        f"project name {name!r} is the name of a package the project depends on"
        in problem
    )
    assert f"e.g. {fix!r}" in problem
    assert ProjectRequest.build(name=fix).name == fix


def test_overlong_name_is_refused() -> None:
    with pytest.raises(UsageError, match="at most 50 characters"):
        ProjectRequest.build(name="a" * 51)


def test_unknown_database_is_refused() -> None:
    with pytest.raises(UsageError):
        ProjectRequest.build(name="shop", database="mysql")


def test_copier_data_records_every_answer() -> None:
    request = ProjectRequest.build(name="shop", database="postgres", id_type="int")

    data = request.copier_data()

    assert data["project_name"] == "shop"
    assert data["database"] == "postgres"
    assert data["id_type"] == "int"
    assert data["scaffold_version"]


def test_non_empty_target_is_refused_and_left_alone(tmp_path: Path) -> None:
    # Given a target directory that already holds a user's file
    target = tmp_path / "shop"
    target.mkdir()
    (target / "notes.txt").write_text("mine\n")
    before = tree_digest(tmp_path)

    # When a project is rendered there
    with pytest.raises(ProjectError, match="already exists and is not empty"):
        render_project(ProjectRequest.build(name="shop", parent=tmp_path))

    # Then nothing at all changed
    assert tree_digest(tmp_path) == before


def test_file_in_the_way_is_refused(tmp_path: Path) -> None:
    (tmp_path / "shop").write_text("not a directory\n")
    before = tree_digest(tmp_path)

    with pytest.raises(ProjectError, match="is not a directory"):
        render_project(ProjectRequest.build(name="shop", parent=tmp_path))

    assert tree_digest(tmp_path) == before


def test_missing_parent_is_refused(tmp_path: Path) -> None:
    with pytest.raises(ProjectError, match="does not exist"):
        render_project(ProjectRequest.build(name="shop", parent=tmp_path / "nope"))

    assert not (tmp_path / "nope").exists()
