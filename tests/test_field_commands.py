"""The field commands from the command line: refusals, dry runs, merges, records.

The revisions these commands write run on real databases in
``test_field_scenario.py``; here no check runs (``--no-check``).
"""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from scaffold.changes.add_resource import add_resources
from scaffold.project.manifest import read_manifest
from scaffold.spec import parse_cli_resource
from tests.conftest import tree_digest
from tests.e2e import run_scaffold

BOOK = ["book", "title:str(200)", "status:enum(draft,done)", "pages:int?"]
SERVICE = "app/services/book.py"


@pytest.fixture(scope="module")
def base_with_book(
    base_project: Path, tmp_path_factory: pytest.TempPathFactory
) -> Path:
    project = Path(shutil.copytree(base_project, tmp_path_factory.mktemp("f") / "shop"))
    add_resources([parse_cli_resource(BOOK[0], BOOK[1:])], project=project, check=False)
    return project


@pytest.fixture
def with_book(base_with_book: Path, tmp_path: Path) -> Path:
    return Path(shutil.copytree(base_with_book, tmp_path / "shop"))


def fields_of(project: Path) -> list[str]:
    spec = read_manifest(project).resources["book"].spec
    return [field.name for field in spec.fields]


def revisions(project: Path) -> list[str]:
    return sorted(path.name for path in (project / "alembic/versions").glob("*.py"))


def test_a_required_field_without_a_value_for_old_rows_is_refused(
    with_book: Path,
) -> None:
    before = tree_digest(with_book)

    result = run_scaffold("add", "field", "book", "isbn:str(13)", cwd=with_book)

    assert result.returncode == 2
    assert "default=VALUE" in result.stderr
    assert "--backfill VALUE" in result.stderr
    assert "Traceback" not in result.stderr
    assert tree_digest(with_book) == before


def test_a_bad_backfill_is_refused_naming_the_field(with_book: Path) -> None:
    before = tree_digest(with_book)

    result = run_scaffold(
        "add", "field", "book", "isbn:str(3)", "--backfill", "toolong", "--no-check",
        cwd=with_book,
    )  # fmt: skip

    assert result.returncode == 2
    assert "--backfill 'toolong' for field 'isbn'" in result.stderr
    assert tree_digest(with_book) == before


def test_add_field_writes_every_layer_a_revision_and_the_new_spec(
    with_book: Path,
) -> None:
    result = run_scaffold(
        "add", "field", "book", "isbn:str(13):unique", "--backfill", "0",
        "--no-check", cwd=with_book,
    )  # fmt: skip

    assert result.returncode == 0, result.stderr
    assert fields_of(with_book) == ["title", "status", "pages", "isbn"]
    for path in (
        "app/models/book.py",
        "app/schemas/book.py",
        "tests/api/test_books.py",
    ):
        assert "isbn" in (with_book / path).read_text(), path
    assert "isbn" in (with_book / ".scaffold/base/app/models/book.py").read_text()
    (revision,) = [name for name in revisions(with_book) if "isbn" in name]
    assert revision.endswith("_add_isbn_to_books.py")


def test_dry_run_shows_the_revision_and_risks_and_writes_nothing(
    with_book: Path,
) -> None:
    before = tree_digest(with_book)

    result = run_scaffold(
        "remove", "field", "book", "pages", "--allow-data-loss", "--dry-run",
        "--json", cwd=with_book,
    )  # fmt: skip

    assert result.returncode == 0, result.stderr
    shown = json.loads(result.stdout)
    assert shown["changes"] == ["remove pages"]
    assert shown["destructive"] == ["drops books.pages: its values cannot come back"]
    revision = next(f for f in shown["files"] if f["path"] == shown["revision"])
    assert "DESTRUCTIVE" in revision["diff"]
    assert any(f["path"] == "app/models/book.py" for f in shown["files"])
    assert tree_digest(with_book) == before


def test_remove_field_needs_allow_data_loss(with_book: Path) -> None:
    before = tree_digest(with_book)

    result = run_scaffold("remove", "field", "book", "pages", cwd=with_book)

    assert result.returncode == 2
    assert "drops books.pages" in result.stderr
    assert "--allow-data-loss" in result.stderr
    assert tree_digest(with_book) == before


def test_a_narrower_string_needs_allow_data_loss(with_book: Path) -> None:
    result = run_scaffold(
        "alter", "field", "book", "title:str(50)", "--no-check", cwd=with_book
    )

    assert result.returncode == 2
    assert "narrows books.title: length 200 to 50" in result.stderr


def test_a_map_must_name_a_removed_value_and_a_remaining_one(with_book: Path) -> None:
    result = run_scaffold(
        "alter", "field", "book", "status:enum(draft)", "--map", "done=gone",
        "--no-check", cwd=with_book,
    )  # fmt: skip

    assert result.returncode == 2
    assert "'gone' is not one of the new values of status (draft)" in result.stderr


def test_rename_keeps_the_users_edit_and_lists_lines_naming_the_old_field(
    with_book: Path,
) -> None:
    # Given a user's edit in the service that names the field
    service = with_book / SERVICE
    service.write_text(service.read_text() + "\n\n# pages are counted by title\n")

    # When the field is renamed
    result = run_scaffold(
        "rename", "field", "book", "title", "name", "--no-check", cwd=with_book
    )

    # Then the edit is kept, the generated code follows, the line is listed
    assert result.returncode == 0, result.stderr
    text = service.read_text()
    assert "# pages are counted by title" in text
    assert fields_of(with_book) == ["name", "status", "pages"]
    assert "name" in (with_book / "app/models/book.py").read_text()
    assert f"{SERVICE}:" in result.stderr + result.stdout
    assert "# pages are counted by title" in result.stderr + result.stdout


@pytest.mark.parametrize(
    "command",
    [
        ["add", "resource", "setting", "value:json"],
        ["add", "field", "book", "extra:json?"],
        ["regenerate", "book"],
    ],
)
def test_a_project_that_predates_json_object_is_told_to_upgrade(
    with_book: Path, command: list[str]
) -> None:
    # Given a project whose common schemas have no JsonObject yet (and, for
    # regenerate, a book whose spec records a json field)
    common = with_book / "app/schemas/common.py"
    text = common.read_text()
    common.write_text(text[: text.index("MAX_JSON_DEPTH = ")])
    if command[0] == "regenerate":
        manifest = json.loads((with_book / ".scaffold/manifest.json").read_text())
        spec = manifest["resources"]["book"]["spec"]
        spec["fields"].append(dict(spec["fields"][-1], name="extra", type="json"))
        (with_book / ".scaffold/manifest.json").write_text(json.dumps(manifest))
    before = tree_digest(with_book)

    # When a json field would be generated
    result = run_scaffold(*command, "--no-check", cwd=with_book)

    # Then one line says to upgrade first, exit 2, nothing written
    assert result.returncode == 2, result.stdout + result.stderr
    assert "app/schemas/common.py has no JsonObject" in result.stderr
    assert "run scaffold upgrade" in result.stderr
    assert tree_digest(with_book) == before


def test_changing_nothing_is_refused(with_book: Path) -> None:
    result = run_scaffold(
        "alter", "field", "book", "title:str(200)", "--no-check", cwd=with_book
    )

    assert result.returncode == 2
    assert "nothing to change" in result.stderr


def test_an_unknown_field_or_resource_is_named(with_book: Path) -> None:
    unknown_field = run_scaffold("rename", "field", "book", "nope", "x", cwd=with_book)
    unknown_resource = run_scaffold("add", "field", "car", "x:int?", cwd=with_book)

    assert unknown_field.returncode == 2
    assert "book has no field 'nope'" in unknown_field.stderr
    assert unknown_resource.returncode == 2
    assert "no resource 'car'" in unknown_resource.stderr


def test_the_same_change_twice_in_a_minute_gets_its_own_revision_file(
    with_book: Path,
) -> None:
    env = {"SOURCE_DATE_EPOCH": "1767225600"}
    for definition in ("status:enum(draft,done,late)", "status:enum(draft,done)"):
        result = run_scaffold(
            "alter", "field", "book", definition, "--no-check", cwd=with_book, env=env
        )
        assert result.returncode == 0, result.stderr

    altered = [name for name in revisions(with_book) if "alter_status" in name]
    assert len(altered) == 2


def test_every_revision_passes_the_projects_ruff(with_book: Path) -> None:
    from scaffold.tools.check import run_tool
    from scaffold.tools.format import ruff_binary

    # Given one command of each kind, run one after another
    for command in (
        ["add", "field", "book", "isbn:str(13)", "--backfill", "n/a"],
        ["rename", "field", "book", "title", "name"],
        ["alter", "field", "book", "name:str(300):unique"],
        ["alter", "field", "book", "status:enum(draft,out)", "--map", "done=out"],
        ["remove", "field", "book", "pages", "--allow-data-loss"],
    ):
        result = run_scaffold(*command, "--no-check", cwd=with_book)
        assert result.returncode == 0, result.stderr

    # Then the project's own lint and format settings accept every revision
    versions = [str(path) for path in (with_book / "alembic/versions").glob("*.py")]
    for step in (("check",), ("format", "--check")):
        process = run_tool(
            (ruff_binary(), *step, "--no-cache", *versions), cwd=with_book
        )
        assert process.returncode == 0, process.stdout


def test_a_default_the_model_sets_changes_no_schema_and_writes_no_revision(
    with_book: Path,
) -> None:
    # Given a book / When only a default changes, one the model sets in Python
    before = revisions(with_book)
    dry = run_scaffold(
        "alter", "field", "book", "pages:int?:default=100", "--dry-run",
        cwd=with_book,
    )  # fmt: skip
    result = run_scaffold(
        "alter", "field", "book", "pages:int?:default=100", "--no-check",
        cwd=with_book,
    )  # fmt: skip

    # Then no revision is written (an empty one would fail the project's
    # lint), both runs say so, and the schemas take the default
    assert dry.returncode == 0, dry.stderr
    assert "the database schema does not change" in dry.stdout
    assert result.returncode == 0, result.stderr
    assert "no revision: the database schema does not change" in result.stderr
    assert revisions(with_book) == before
    schemas = (with_book / "app/schemas/book.py").read_text()
    assert "pages: PagesField | None = 100" in schemas


def flags_of(project: Path) -> dict[str, tuple[bool, bool, bool]]:
    spec = read_manifest(project).resources["book"].spec
    return {f.name: (f.filterable, f.sortable, f.searchable) for f in spec.fields}


def test_alter_keeps_the_recorded_list_flags(
    tmp_path: Path, base_project: Path
) -> None:
    # Given a book whose title is filterable and not searchable, unlike the
    # defaults (as a spec file's explicit lists make it)
    project = Path(shutil.copytree(base_project, tmp_path / "shop"))
    spec = parse_cli_resource(BOOK[0], BOOK[1:])
    fields = tuple(
        f.model_copy(update={"filterable": True, "searchable": False})
        if f.name == "title"
        else f
        for f in spec.fields
    )
    add_resources(
        [spec.model_copy(update={"fields": fields})], project=project, check=False
    )

    # When the title gets longer and the page count becomes a string
    result = run_scaffold(
        "alter", "field", "book", "title:str(300)", "pages:str(20)?",
        "--allow-data-loss", "--no-check",
        cwd=project,
    )  # fmt: skip

    # Then the title keeps its flags, and pages, which could not be searched
    # as an int, takes the default of its new type; the code follows
    assert result.returncode == 0, result.stderr
    flags = flags_of(project)
    assert flags["title"] == (True, True, False)
    assert flags["pages"] == (False, True, True)
    query = (project / "app/schemas/book.py").read_text().split("class BookQuery")[1]
    assert "\n    title: Annotated[list[TitleField], Field(max_length=100)]" in query
    assert "Case-insensitive search in pages." in query


# --- references -----------------------------------------------------------------

AUTHOR_ID = "3fa85f64-5717-4562-b3fc-2c963f66afa6"


@pytest.fixture(scope="module")
def base_with_refs(
    base_project: Path, tmp_path_factory: pytest.TempPathFactory
) -> Path:
    project = Path(shutil.copytree(base_project, tmp_path_factory.mktemp("r") / "shop"))
    add_resources(
        [
            parse_cli_resource("author", ["name:str"]),
            parse_cli_resource("tag", ["label:str"]),
            parse_cli_resource("book", ["title:str", "author:ref?", "tags:refs"]),
        ],
        project=project,
        check=False,
    )
    return project


@pytest.fixture
def with_refs(base_with_refs: Path, tmp_path: Path) -> Path:
    return Path(shutil.copytree(base_with_refs, tmp_path / "shop"))


def new_revision(project: Path, before: list[str]) -> str:
    (name,) = set(revisions(project)) - set(before)
    return (project / "alembic/versions" / name).read_text()


def test_a_reference_keeps_its_target_and_kind(with_refs: Path) -> None:
    before = tree_digest(with_refs)

    result = run_scaffold(
        "alter", "field", "book", "author:ref(tag)?", "--no-check", cwd=with_refs
    )

    assert result.returncode == 2
    assert "cannot change its target or kind" in result.stderr
    assert "Traceback" not in result.stderr
    assert tree_digest(with_refs) == before


@pytest.mark.parametrize(
    ("resource", "field"), [("author", "favourite:ref(book)?"), ("tag", "books:refs")]
)
def test_a_reference_that_closes_a_loop_is_refused(
    with_refs: Path, resource: str, field: str
) -> None:
    # Given books referring to authors and tags
    before = tree_digest(with_refs)

    # When an author (or a tag) is given a reference back to books
    result = run_scaffold("add", "field", resource, field, "--no-check", cwd=with_refs)

    # Then the loop is named, as add resource names one, and nothing is written:
    # the tables, migrations and tests of the two would need each other first
    assert result.returncode == 2
    assert f"in a cycle ({resource} -> book -> {resource})" in result.stderr
    assert "Traceback" not in result.stderr
    assert tree_digest(with_refs) == before


def test_a_many_to_many_reference_is_not_renamed_yet(with_refs: Path) -> None:
    before = tree_digest(with_refs)

    result = run_scaffold(
        "rename", "field", "book", "tags", "labels", "--no-check", cwd=with_refs
    )

    assert result.returncode == 2
    assert "remove it and add labels:refs(tag)" in result.stderr
    assert tree_digest(with_refs) == before


def test_a_reference_becoming_required_counts_or_fills_the_rows_without_one(
    with_refs: Path,
) -> None:
    # Without a value, the upgrade counts the books without an author first
    shown = run_scaffold(
        "alter", "field", "book", "author:ref", "--dry-run", cwd=with_refs
    )
    assert shown.returncode == 0, shown.stderr
    assert "author_id IS NULL" in shown.stdout
    assert "rows have no author" in shown.stdout

    # With --backfill ID, they get that author, then the key becomes NOT NULL
    before = revisions(with_refs)
    result = run_scaffold(
        "alter", "field", "book", "author:ref", "--backfill", AUTHOR_ID,
        "--no-check", cwd=with_refs,
    )  # fmt: skip
    assert result.returncode == 0, result.stderr
    upgrade, downgrade = new_revision(with_refs, before).split("def downgrade")
    assert AUTHOR_ID in upgrade
    assert "nullable=False" in upgrade
    assert "nullable=True" in downgrade
    spec = read_manifest(with_refs).resources["book"].spec
    assert [(r.name, r.optional) for r in spec.relations] == [
        ("author", False), ("tags", False),
    ]  # fmt: skip


def test_removing_a_required_reference_restores_it_on_downgrade(
    with_refs: Path,
) -> None:
    # Given the author reference required
    assert (
        run_scaffold(
            "alter", "field", "book", "author:ref", "--backfill", AUTHOR_ID,
            "--no-check", cwd=with_refs,
        ).returncode
        == 0
    )  # fmt: skip
    before = revisions(with_refs)

    # When it is removed
    result = run_scaffold(
        "remove", "field", "book", "author", "--allow-data-loss", "--no-check",
        cwd=with_refs,
    )  # fmt: skip

    # Then the revision says DESTRUCTIVE and its downgrade points the restored
    # key at an author before making it required again
    assert result.returncode == 0, result.stderr
    source = new_revision(with_refs, before)
    assert "DESTRUCTIVE" in source
    upgrade, downgrade = source.split("def downgrade")
    assert 'drop_column("author_id")' in upgrade
    assert "(SELECT id FROM authors" in downgrade
    assert "nullable=False" in downgrade
    assert "author" not in (with_refs / "app/schemas/book.py").read_text()
    assert (
        'back_populates="author"'
        not in (with_refs / "app/models/author.py").read_text()
    )


def test_renaming_a_reference_lists_the_users_lines_naming_its_key(
    with_refs: Path,
) -> None:
    # Given a user's line in the service that names the reference's key
    service = with_refs / SERVICE
    service.write_text(service.read_text() + "\n\n# author_id is set by import\n")

    # When the reference is renamed
    result = run_scaffold(
        "rename", "field", "book", "author", "writer", "--no-check", cwd=with_refs
    )

    # Then the line is kept and listed; the generated code follows
    assert result.returncode == 0, result.stderr
    assert "# author_id is set by import" in service.read_text()
    assert f"{SERVICE}:" in result.stderr + result.stdout
    assert "# author_id is set by import" in result.stderr + result.stdout
    assert "writer_id" in (with_refs / "app/schemas/book.py").read_text()
