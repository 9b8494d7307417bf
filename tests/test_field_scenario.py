"""Field commands on a project whose database holds rows, as a user runs them.

One resource evolves command after command (a required field with a
backfill, a rename, a wider string, an enum value added and one removed with
a mapping, a unique constraint, a field dropped) on SQLite and on PostgreSQL.
Rows are inserted with SQL before the first change; after every change the
revision is applied to that database and every value the change does not
destroy is still there. A change the rows violate stops in the migration,
naming the table, column and count, with the database as it was.
"""

from __future__ import annotations

import subprocess
from collections.abc import Iterator
from pathlib import Path

import pytest

from scaffold.tools.check import (
    project_checks,
    run_checks,
)
from scaffold.tools.format import ruff_binary
from tests.databases import Database
from tests.e2e import run_scaffold
from tests.environments import Prepare, copy_project

pytestmark = pytest.mark.e2e

BOOK = ("book", "title:str(100)", "status:enum(draft,published,archived)", "pages:int?")
ROWS = [
    ("0" * 31 + "1", "Dune", "published", 412),
    ("0" * 31 + "2", "Emma", "archived", None),
    ("0" * 31 + "3", "Ubik", "draft", 202),
]
SERVICE_EDIT = "    # reviewed by the data team: keep this service lean\n"
ROUTER_EDIT = "# Books are public to read; see docs/books.md\n"


def git(project: Path, *args: str) -> None:
    subprocess.run(
        ["git", *args], cwd=project, check=True, capture_output=True, text=True
    )


@pytest.fixture(scope="module")
def synced_project(tmp_path_factory: pytest.TempPathFactory, install: Prepare) -> Path:
    """A project with the book resource, a user's edits and its environment."""
    from scaffold.changes.new_project import ProjectRequest, render_project

    parent = tmp_path_factory.mktemp("scenario")
    render_project(ProjectRequest.build(name="shop", parent=parent))
    project = parent / "shop"
    git(project, "init", "-q")
    git(project, "add", "-A")
    git(project, "-c", "user.name=t", "-c", "user.email=t@t", "commit", "-qm", "new")
    for resource in (("author", "name:str"), BOOK):
        added = run_scaffold("add", "resource", *resource, "--no-check", cwd=project)
        assert added.returncode == 0, added.stderr
    service = project / "app/services/book.py"
    text = service.read_text()
    marker = "class BookService"
    head, _, tail = text.partition(marker)
    body_start = tail.index('"""', tail.index('"""') + 3) + 3
    service.write_text(
        head + marker + tail[:body_start] + "\n" + SERVICE_EDIT + tail[body_start:]
    )
    router = project / "app/api/v1/endpoints/books.py"
    router.write_text(router.read_text().replace("\n\n", "\n\n" + ROUTER_EDIT, 1))
    # the user formats their edits, as the project's checks ask
    format_python = (ruff_binary(), "format", "--quiet", str(service), str(router))
    subprocess.run(format_python, check=True)
    git(project, "add", "-A")
    git(project, "-c", "user.name=t", "-c", "user.email=t@t", "commit", "-qm", "book")
    install(project)
    return project


@pytest.fixture(params=["sqlite", "postgres"])
def database(
    request: pytest.FixtureRequest, synced_project: Path, tmp_path: Path
) -> Iterator[Database]:
    if request.param == "postgres":
        request.getfixturevalue("require_postgres")
    project = copy_project(synced_project, tmp_path / "shop")
    db = Database(request.param, project, "fields_scenario")
    upgraded = db.alembic("upgrade", "head")
    assert upgraded.returncode == 0, upgraded.stderr
    for row_id, title, status, pages in ROWS:
        pages_sql = "NULL" if pages is None else str(pages)
        db.execute(
            "INSERT INTO books (id, title, status, pages) VALUES "  # noqa: S608
            f"('{row_id}', '{title}', '{status}', {pages_sql})"
        )
    yield db
    db.drop()


def change(db: Database, *args: str) -> None:
    """Run a field command, commit it, apply its revision to the database."""
    result = run_scaffold(*args, "--no-check", cwd=db.project)
    assert result.returncode == 0, result.stderr
    git(db.project, "add", "-A")
    git(db.project, "-c", "user.name=t", "-c", "user.email=t@t", "commit", "-qm", "x")
    upgraded = db.alembic("upgrade", "head")
    assert upgraded.returncode == 0, upgraded.stderr


def test_each_field_command_keeps_the_rows(database: Database) -> None:
    db = database
    order = "ORDER BY pages IS NULL, pages"

    # A required field, filled for the rows already there
    change(db, "add", "field", "book", "isbn:str(13)", "--backfill", "unknown")
    assert db.rows("SELECT title, isbn FROM books ORDER BY title") == [
        ("Dune", "unknown"), ("Emma", "unknown"), ("Ubik", "unknown"),
    ]  # fmt: skip

    # A rename keeps the values
    change(db, "rename", "field", "book", "title", "name")
    assert db.rows("SELECT name FROM books ORDER BY name") == [
        ("Dune",), ("Emma",), ("Ubik",),
    ]  # fmt: skip

    # A wider string
    change(db, "alter", "field", "book", "name:str(300)")
    db.execute(f"UPDATE books SET name = '{'x' * 250}' WHERE name = 'Ubik'")  # noqa: S608
    assert db.rows("SELECT length(name) FROM books WHERE pages = 202") == [("250",)]

    # An enum value added, then one removed with its rows mapped
    change(db, "alter", "field", "book", "status:enum(draft,published,archived,out)")
    change(
        db, "alter", "field", "book", "status:enum(draft,published,out)",
        "--map", "archived=out",
    )  # fmt: skip
    assert db.rows(f"SELECT status FROM books {order}") == [  # noqa: S608
        ("draft",), ("published",), ("out",),
    ]  # fmt: skip

    # A unique constraint the rows satisfy
    change(db, "alter", "field", "book", "name:str(300):unique")
    assert len(db.rows("SELECT name FROM books")) == 3

    # A reference to another resource
    change(db, "add", "field", "book", "author:ref?")
    assert db.rows("SELECT count(*) FROM books WHERE author_id IS NULL") == [("3",)]

    # A field dropped, knowingly
    refused = run_scaffold(
        "remove", "field", "book", "pages", "--no-check", cwd=db.project
    )
    assert refused.returncode == 2
    assert "--allow-data-loss" in refused.stderr
    change(db, "remove", "field", "book", "pages", "--allow-data-loss")
    assert db.rows("SELECT name, status, isbn FROM books ORDER BY status") == [
        ("x" * 250, "draft", "unknown"),
        ("Emma", "out", "unknown"),
        ("Dune", "published", "unknown"),
    ]

    # The user's edits survived every change
    assert SERVICE_EDIT in (db.project / "app/services/book.py").read_text()
    assert ROUTER_EDIT in (db.project / "app/api/v1/endpoints/books.py").read_text()

    # The schema is the models', and it goes down and up again with the rows
    assert db.alembic("check").returncode == 0, db.alembic("check").stderr
    down = db.alembic("downgrade", "-1")
    assert down.returncode == 0, down.stderr
    assert sorted(db.rows("SELECT name FROM books"))[0] == ("Dune",)
    up = db.alembic("upgrade", "head")
    assert up.returncode == 0, up.stderr


def test_reference_commands_keep_the_rows(database: Database) -> None:
    db = database
    for key, name in (("a", "Le Guin"), ("b", "Dick")):
        db.execute(
            "INSERT INTO authors (id, name) VALUES "  # noqa: S608
            f"('{'0' * 31}{key}', '{name}')"
        )
    written_by = "SELECT b.title, a.name FROM books b JOIN authors a ON a.id = {} "

    # A reference added, and every book given an author
    change(db, "add", "field", "book", "author:ref?")
    db.execute(f"UPDATE books SET author_id = '{'0' * 31}b'")  # noqa: S608
    db.execute(
        f"UPDATE books SET author_id = '{'0' * 31}a' WHERE title = 'Emma'"  # noqa: S608
    )
    expected = [("Dune", "Dick"), ("Emma", "Le Guin"), ("Ubik", "Dick")]

    # A rename keeps every reference
    change(db, "rename", "field", "book", "author", "writer")
    by_writer = written_by.format("b.writer_id") + "ORDER BY b.title"
    assert db.rows(by_writer) == expected
    assert "author_id" not in (db.project / "app/schemas/book.py").read_text()
    author_model = (db.project / "app/models/author.py").read_text()
    assert 'back_populates="writer"' in author_model

    # Required now, and deleting an author takes its books: the rows fit
    change(db, "alter", "field", "book", "writer:ref(author):on_delete=cascade")
    assert db.rows(by_writer) == expected
    assert db.alembic("check").returncode == 0

    # A many-to-many reference added, filled, then dropped knowingly
    change(db, "add", "resource", "tag", "label:str")
    db.execute(f"INSERT INTO tags (id, label) VALUES ('{'0' * 31}c', 'sf')")  # noqa: S608
    change(db, "add", "field", "book", "tags:refs")
    db.execute(
        "INSERT INTO books_tags (book_id, tag_id) "  # noqa: S608
        f"SELECT id, '{'0' * 31}c' FROM books"
    )
    refused = run_scaffold(
        "remove", "field", "book", "tags", "--no-check", cwd=db.project
    )
    assert refused.returncode == 2
    assert "--allow-data-loss" in refused.stderr
    change(db, "remove", "field", "book", "tags", "--allow-data-loss")
    assert "books_tags" not in (db.project / "app/models/book.py").read_text()
    assert db.rows(by_writer) == expected

    # The key column dropped: the books stay, the author model loses its inverse
    change(db, "remove", "field", "book", "writer", "--allow-data-loss")
    assert len(db.rows("SELECT title FROM books")) == 3
    assert "relationship" not in (db.project / "app/models/author.py").read_text()
    router = (db.project / "app/api/v1/router.py").read_text()
    assert "books.nested_router" not in router
    assert "books.router" in router
    assert db.alembic("check").returncode == 0, db.alembic("check").stderr

    # And down, step by step, to before the reference was added: the schema
    # comes back (a restored required key points at an author), rows stay
    for _ in range(6):
        down = db.alembic("downgrade", "-1")
        assert down.returncode == 0, down.stderr
        assert len(db.rows("SELECT title FROM books")) == 3
    up = db.alembic("upgrade", "head")
    assert up.returncode == 0, up.stderr


def test_a_change_the_rows_violate_stops_before_changing_anything(
    database: Database,
) -> None:
    db = database
    change(db, "add", "field", "book", "isbn:str(13)", "--backfill", "unknown")
    version_before = db.rows("SELECT version_num FROM alembic_version")
    rows_before = db.rows("SELECT * FROM books ORDER BY title")

    # When isbn becomes unique while every row holds the same value
    result = run_scaffold(
        "alter", "field", "book", "isbn:str(13):unique", "--no-check", cwd=db.project
    )
    assert result.returncode == 0, result.stderr
    upgraded = db.alembic("upgrade", "head")

    # Then the migration stops, naming table, column and count
    assert upgraded.returncode != 0
    assert "books.isbn: 3 rows share a value" in upgraded.stderr
    # And the database is as it was: same revision, same rows, no constraint
    assert db.rows("SELECT version_num FROM alembic_version") == version_before
    assert db.rows("SELECT * FROM books ORDER BY title") == rows_before
    db.execute(
        "INSERT INTO books (id, title, status, isbn) VALUES "  # noqa: S608
        f"('{'0' * 31}9', 'Copy', 'draft', 'unknown')"
    )
    assert len(db.rows("SELECT id FROM books WHERE isbn = 'unknown'")) == 4


def test_after_every_field_command_the_project_passes_its_checks(
    synced_project: Path, tmp_path: Path
) -> None:
    project = copy_project(synced_project, tmp_path / "shop")
    for command in (
        ["add", "field", "book", "isbn:str(13)", "--backfill", "unknown"],
        ["rename", "field", "book", "title", "name"],
        ["alter", "field", "book", "name:str(300):unique"],
        ["alter", "field", "book", "status:enum(draft,published,out)", "--map",
         "archived=out"],
        ["add", "field", "book", "author:ref?"],
        ["remove", "field", "book", "pages", "--allow-data-loss"],
    ):  # fmt: skip
        result = run_scaffold(*command, "--no-check", cwd=project)
        assert result.returncode == 0, result.stderr
        git(project, "add", "-A")
        git(project, "-c", "user.name=t", "-c", "user.email=t@t", "commit", "-qm", "x")

    # ruff, mypy --strict, the generated tests (rows through every revision
    # included) and the migration round trip with alembic check
    checked = run_scaffold("check", cwd=project)

    assert checked.returncode == 0, checked.stdout + checked.stderr
    assert SERVICE_EDIT in (project / "app/services/book.py").read_text()


def test_removing_a_changed_resource_writes_a_drop_that_downgrades(
    synced_project: Path, tmp_path: Path
) -> None:
    # Given the book with a field added and another renamed since it was created
    project = copy_project(synced_project, tmp_path / "shop")
    for command in (
        ["add", "field", "book", "isbn:str(13)", "--backfill", "unknown"],
        ["rename", "field", "book", "title", "name"],
    ):
        result = run_scaffold(*command, "--no-check", cwd=project)
        assert result.returncode == 0, result.stderr
    git(project, "add", "-A")
    git(project, "-c", "user.name=t", "-c", "user.email=t@t", "commit", "-qm", "x")

    # When the book is removed
    removed = run_scaffold("remove", "resource", "book", "--no-check", cwd=project)

    # Then the drop revision's downgrade recreates the table as it is now
    assert removed.returncode == 0, removed.stderr
    drop = next((project / "alembic/versions").glob("*_drop_books_table.py"))
    downgrade = drop.read_text().split("def downgrade")[1]
    assert 'sa.Column("isbn", sa.String(length=13), nullable=False)' in downgrade
    assert 'sa.Column("name", sa.String(length=100), nullable=False)' in downgrade
    assert '"title"' not in downgrade
    # And the whole history goes up, down to base and up again, with no drift
    url = f"sqlite+aiosqlite:///{tmp_path / 'round_trip.db'}"
    (round_trip,) = run_checks(
        project, project_checks(migrations=True)[-1:], env={"DATABASE_URL": url}
    )
    assert round_trip.ok, round_trip.output
