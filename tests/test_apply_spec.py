"""``scaffold apply``: the spec file is the truth; twice changes nothing."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from scaffold.project.manifest import read_manifest
from tests.conftest import tree_digest
from tests.e2e import run_scaffold

SPEC = """\
version: 1
resources:
  - name: author
    fields:
      name: str(200)
  - name: book
    fields:
      title: str(200)
      pages: int?
      author: ref?
"""
EVOLVED = """\
version: 1
resources:
  - name: book
    fields:
      name: {type: str, max_length: 300, renamed_from: title}
      pages: int?
      isbn: str(13):default=unknown
      author: ref?
"""


@pytest.fixture(scope="module")
def base_applied(base_project: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    project = Path(shutil.copytree(base_project, tmp_path_factory.mktemp("a") / "shop"))
    (project / "spec.yaml").write_text(SPEC)
    result = run_scaffold("apply", "spec.yaml", "--no-check", cwd=project)
    assert result.returncode == 0, result.stderr
    return project


@pytest.fixture
def applied(base_applied: Path, tmp_path: Path) -> Path:
    return Path(shutil.copytree(base_applied, tmp_path / "shop"))


def test_apply_adds_the_resources_and_twice_changes_nothing(applied: Path) -> None:
    assert sorted(read_manifest(applied).resources) == ["author", "book"]
    before = tree_digest(applied)

    again = run_scaffold("apply", "spec.yaml", "--no-check", cwd=applied)

    assert again.returncode == 0, again.stderr
    assert "nothing to change" in again.stderr
    assert tree_digest(applied) == before


def test_apply_evolves_renames_only_when_told_and_prunes_only_when_asked(
    applied: Path,
) -> None:
    (applied / "evolved.yaml").write_text(EVOLVED)

    # A dry run lists the steps and writes nothing
    before = tree_digest(applied)
    shown = run_scaffold("apply", "evolved.yaml", "--dry-run", cwd=applied)
    assert shown.returncode == 0, shown.stderr
    assert "change book: rename title to name (length); add isbn" in shown.stdout
    assert "remove author" not in shown.stdout
    assert tree_digest(applied) == before

    # The real run evolves book, keeps author (no --prune)
    result = run_scaffold("apply", "evolved.yaml", "--no-check", cwd=applied)
    assert result.returncode == 0, result.stderr
    spec = read_manifest(applied).resources["book"].spec
    assert [field.name for field in spec.fields] == ["name", "pages", "isbn"]
    assert "author" in read_manifest(applied).resources
    (revision,) = (applied / "alembic/versions").glob("*change_books*.py")
    assert 'new_column_name="name"' in revision.read_text()

    # Twice changes nothing, even with the renamed_from still in the file
    after = tree_digest(applied)
    again = run_scaffold("apply", "evolved.yaml", "--no-check", cwd=applied)
    assert again.returncode == 0, again.stderr
    assert tree_digest(applied) == after


def test_apply_gives_the_files_the_field_commands_give(
    applied: Path, tmp_path: Path
) -> None:
    by_commands = Path(shutil.copytree(applied, tmp_path / "by_commands"))
    (applied / "evolved.yaml").write_text(EVOLVED)

    assert (
        run_scaffold("apply", "evolved.yaml", "--no-check", cwd=applied).returncode == 0
    )
    for command in (
        ["rename", "field", "book", "title", "name"],
        ["alter", "field", "book", "name:str(300)", "--allow-data-loss"],
        ["add", "field", "book", "isbn:str(13):default=unknown"],
    ):
        result = run_scaffold(*command, "--no-check", cwd=by_commands)
        assert result.returncode == 0, result.stderr

    for folder in ("app", "tests"):
        ours = {
            path.relative_to(applied): path.read_text()
            for path in (applied / folder).rglob("*.py")
        }
        theirs = {
            path.relative_to(by_commands): path.read_text()
            for path in (by_commands / folder).rglob("*.py")
        }
        assert ours == theirs


def test_a_refused_step_leaves_none_of_the_others_written(applied: Path) -> None:
    # Given a file that adds a resource and drops a column of another, which
    # needs --allow-data-loss
    (applied / "dropping.yaml").write_text(
        SPEC.replace("      pages: int?\n", "")
        + "  - name: tag\n    fields:\n      label: str(50)\n"
    )
    before = tree_digest(applied)

    # When it is applied without the flag
    result = run_scaffold("apply", "dropping.yaml", "--no-check", cwd=applied)

    # Then the drop is refused, and the tag added before it is undone too
    assert result.returncode == 2, result.stderr
    assert "--allow-data-loss" in result.stderr
    assert "Traceback" not in result.stderr
    assert tree_digest(applied) == before
    assert "tag" not in read_manifest(applied).resources
