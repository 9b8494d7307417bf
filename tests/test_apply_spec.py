"""``scaffold apply``: the spec file is the truth; twice changes nothing."""

from __future__ import annotations

import json
import re
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
    # one revision per equivalent field command: rename, alter, add
    versions = applied / "alembic/versions"
    (renamed,) = versions.glob("*_rename_books_title_to_name.py")
    assert 'new_column_name="name"' in renamed.read_text()
    (altered,) = versions.glob("*_alter_name_of_books.py")
    assert "length=300" in altered.read_text()
    (added,) = versions.glob("*_add_isbn_to_books.py")
    assert '"isbn"' in added.read_text()

    # Twice changes nothing, even with the renamed_from still in the file
    after = tree_digest(applied)
    again = run_scaffold("apply", "evolved.yaml", "--no-check", cwd=applied)
    assert again.returncode == 0, again.stderr
    assert tree_digest(applied) == after


def test_apply_gives_the_files_the_field_commands_give(tmp_path: Path) -> None:
    # Given the bookstore example twice, and an edited copy of its spec
    example = Path(__file__).parents[1] / "examples"
    applied = Path(shutil.copytree(example / "bookstore", tmp_path / "applied"))
    by_commands = Path(shutil.copytree(applied, tmp_path / "by_commands"))
    spec = (example / "specs/bookstore.yaml").read_text()
    for old, new in BOOKSTORE_EDITS:
        assert old in spec
        spec = spec.replace(old, new, 1)
    (applied / "bookstore.yaml").write_text(spec)

    # When one copy applies the file and the other runs the field commands
    result = run_scaffold(
        "apply", "bookstore.yaml", "--allow-data-loss", "--no-check", cwd=applied
    )
    assert result.returncode == 0, result.stderr
    (applied / "bookstore.yaml").unlink()
    for command in BOOKSTORE_COMMANDS:
        result = run_scaffold(*command, "--no-check", cwd=by_commands)
        assert result.returncode == 0, result.stderr

    # Then both have the same files, the migrations included
    assert project_files(applied) == project_files(by_commands)


#: Edits of examples/specs/bookstore.yaml: a field and a reference removed,
#: a field and a reference renamed, fields and references altered (one of
#: them renamed too), a field added.
BOOKSTORE_EDITS = (
    ("      title: str(200):index\n",
     "      name: {type: str, max_length: 200, index: true, renamed_from: title}\n"),
    ("      price: decimal(10,2):min=0", "      price: decimal(12,2):min=0"),
    ("      summary: text?\n", ""),
    ("      author: {type: ref, on_delete: cascade, summary: true}",
     "      writer: {type: ref, to: author, on_delete: restrict, summary: true,"
     " renamed_from: author}"),
    ("      category: ref?\n", ""),
    ("      tags: {type: refs, summary: true}\n",
     "      tags: {type: refs, summary: true}\n      pages: int?\n"),
    ("      book: {type: ref, summary: true}\n",
     "      book: {type: ref, summary: true, optional: true}\n"),
)  # fmt: skip

#: The field commands that make the same change, in apply's documented order.
BOOKSTORE_COMMANDS = (
    ["remove", "field", "book", "summary", "category", "--allow-data-loss"],
    ["rename", "field", "book", "title", "name"],
    ["rename", "field", "book", "author", "writer"],
    [
        "alter",
        "field",
        "book",
        "price:decimal(12,2):min=0",
        "writer:ref(author):on_delete=restrict",
    ],
    ["add", "field", "book", "pages:int?"],
    ["alter", "field", "review", "book:ref?"],
)

#: What differs between two runs of the same change: revision ids and dates.
REVISION_ID = re.compile(r"\b[0-9a-f]{12}\b")
REVISION_DATE = re.compile(r"\d{4}[-_]\d{2}[-_]\d{2}[ _]\d{2}:?\d{2}(:\d{2}\+00:00)?")


def without_revision_digests(manifest: str) -> str:
    """The manifest with the digests of revision files (their dates differ) left out."""
    data = json.loads(manifest)
    for section in data.values():
        if not isinstance(section, dict):
            continue
        for path, entry in section.items():
            if path.startswith("alembic/versions/"):
                section[path] = "DIGEST" if isinstance(entry, str) else {}
    return json.dumps(data, indent=2)


def project_files(root: Path) -> dict[str, str]:
    """The project's code, tests, revisions and record, ids and dates normalised."""
    found = {}
    for path in sorted(root.rglob("*")):
        relative = path.relative_to(root).as_posix()
        if path.is_file() and relative.startswith(
            ("app/", "tests/", "alembic/", ".scaffold/manifest.json")
        ):
            text = path.read_text()
            if relative == ".scaffold/manifest.json":
                text = without_revision_digests(text)
            text = REVISION_DATE.sub("DATE", text)
            found[REVISION_DATE.sub("DATE", relative)] = REVISION_ID.sub("ID", text)
    return found


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


EMBEDDED = """\
version: 1
resources:
  - name: tag
    fields: {name: str(40)}
  - name: post
    fields:
      title: str(200)
  - name: comment
    fields:
      body: str(500)
      post: {type: ref, summary: true}
  - name: reaction
    fields:
      emoji: str(8)
      comment: {type: ref, summary: true}
"""


def test_a_new_relation_is_loaded_by_the_resources_that_embed_its_rows(
    base_project: Path, tmp_path: Path
) -> None:
    # Given comments that embed their post, and reactions that embed their
    # comment (and so its post)
    project = Path(shutil.copytree(base_project, tmp_path / "blog"))
    (project / "blog.yaml").write_text(EMBEDDED)
    assert run_scaffold("apply", "blog.yaml", "--no-check", cwd=project).returncode == 0

    # When posts gain tags that their reads return
    tagged = EMBEDDED.replace(
        "      title: str(200)\n",
        "      title: str(200)\n      tags: {type: refs, summary: true}\n",
    )
    (project / "blog.yaml").write_text(tagged)
    result = run_scaffold("apply", "blog.yaml", "--no-check", cwd=project)

    # Then reading a comment or a reaction loads the post's tags with it (a
    # read of the embedded post would otherwise query outside the request's
    # await, and fail), and each file is recorded as scaffold wrote it
    assert result.returncode == 0, result.stderr
    comments = "".join((project / "app/repositories/comment.py").read_text().split())
    assert "joinedload(Comment.post).options(selectinload(Post.tags))" in comments
    reactions = "".join((project / "app/repositories/reaction.py").read_text().split())
    assert (
        "joinedload(Reaction.comment).options("
        "joinedload(Comment.post).options(selectinload(Post.tags)))"
    ) in reactions
    status = run_scaffold("status", "--json", cwd=project)
    states = {
        entry["path"]: entry["state"] for entry in json.loads(status.stdout)["files"]
    }
    assert states["app/repositories/comment.py"] == "unmodified"
    assert states["app/repositories/reaction.py"] == "unmodified"
