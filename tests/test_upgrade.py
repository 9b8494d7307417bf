"""``scaffold upgrade``: the skeleton and every resource, merged three-way."""

from __future__ import annotations

import json
import shutil
import sqlite3
import subprocess
from pathlib import Path

import pytest

from scaffold.migrations.graph import read_graph
from scaffold.project.manifest import digest, read_manifest
from tests.conftest import postgres_database, tree_digest
from tests.databases import Database
from tests.e2e import run_scaffold
from tests.environments import Prepare

#: A project scaffold 0.1.0 generated (``new project legacy`` with auth, then
#: ``add resource book title:str(200) price:decimal(10,2):min=0``), unchanged.
LEGACY = Path(__file__).parent / "fixtures" / "project-0.1.0"
#: The head of its history: the revision that created the books table.
BOOK_REVISION = "f5f34d2e8912"
SKELETON_EDIT = ("app/core/config.py", '"""Application settings', '"""Team settings')
RESOURCE_EDIT = (
    "app/services/book.py",
    '"""Business rules for books',
    '"""Business rules for books (edited)',
)


def git(project: Path, *args: str) -> None:
    subprocess.run(
        ["git", "-c", "user.name=t", "-c", "user.email=t@example.com", *args],
        cwd=project,
        check=True,
        capture_output=True,
    )


def committed(project: Path) -> Path:
    git(project, "init", "-q")
    git(project, "add", "-A")
    git(project, "commit", "-qm", "as it is")
    return project


def edit(project: Path, path: str, old: str, new: str) -> None:
    target = project / path
    text = target.read_text()
    assert old in text
    target.write_text(text.replace(old, new, 1))


@pytest.fixture
def legacy(tmp_path: Path) -> Path:
    """A copy of the 0.1.0 project with the user's edits, committed."""
    project = Path(shutil.copytree(LEGACY, tmp_path / "legacy"))
    edit(project, *SKELETON_EDIT)
    edit(project, *RESOURCE_EDIT)
    return committed(project)


# --- new projects record their skeleton's bases -------------------------------


def test_new_project_keeps_the_skeleton_as_generated(project: Path) -> None:
    manifest = read_manifest(project)

    for path in ("app/main.py", "app/api/v1/router.py", ".copier-answers.yml"):
        assert (project / ".scaffold/base" / path).read_text() == (
            project / path
        ).read_text()
    assert manifest.skeleton_version == manifest.scaffold_version


def test_a_new_project_is_up_to_date(project: Path) -> None:
    committed(project)

    result = run_scaffold("upgrade", "--check", cwd=project)

    assert result.returncode == 0, result.stderr
    assert "Up to date" in result.stderr


def test_resources_and_jobs_wired_in_are_no_change(tmp_path: Path) -> None:
    # Given a project whose router, model registry and worker scaffold edited
    made = run_scaffold("new", "project", "shop", "--jobs", "--no-check", cwd=tmp_path)
    assert made.returncode == 0, made.stderr
    project = tmp_path / "shop"
    for command in (
        ("add", "resource", "book", "title:str", "--no-check"),
        ("add", "job", "send_report", "--no-check"),
    ):
        result = run_scaffold(*command, cwd=project)
        assert result.returncode == 0, result.stderr
    committed(project)

    # When an upgrade is planned with the same templates
    result = run_scaffold("upgrade", "--check", cwd=project)

    # Then the wiring is replayed on both sides: nothing would change
    assert result.returncode == 0, result.stderr


# --- merging ------------------------------------------------------------------


def test_template_changes_merge_with_the_users_edits(project: Path) -> None:
    # Given a project whose main.py was generated from an older template (its
    # base differs from today's in the first line) and then edited lower down
    main = project / "app/main.py"
    today = main.read_text()
    lines = today.splitlines(keepends=True)
    (project / ".scaffold/base/app/main.py").write_text(
        "".join(["# old\n", *lines[1:]])
    )
    main.write_text("".join(["# old\n", *lines[1:], "# ours\n"]))
    committed(project)

    # When it is upgraded
    result = run_scaffold("upgrade", "--no-verify", cwd=project)

    # Then the file has the template's new first line and the user's last one
    assert result.returncode == 0, result.stderr
    assert main.read_text() == today + "# ours\n"
    assert run_scaffold("upgrade", "--check", cwd=project).returncode == 0


def test_both_sides_changing_a_line_is_a_conflict_exit_1(project: Path) -> None:
    main = project / "app/main.py"
    lines = main.read_text().splitlines(keepends=True)
    (project / ".scaffold/base/app/main.py").write_text(
        "".join(["# old\n", *lines[1:]])
    )
    main.write_text("".join(["# mine\n", *lines[1:]]))
    committed(project)

    result = run_scaffold("upgrade", "--no-verify", cwd=project)

    assert result.returncode == 1
    assert "app/main.py" in result.stderr
    text = main.read_text()
    assert "<<<<<<< yours\n# mine\n" in text
    assert lines[0] in text


def test_check_and_dry_run_write_nothing(project: Path) -> None:
    main = project / "app/main.py"
    base = project / ".scaffold/base/app/main.py"
    base.write_text("# old\n" + base.read_text())
    main.write_text("# old\n" + main.read_text())
    committed(project)
    before = tree_digest(project)

    checked = run_scaffold("upgrade", "--check", cwd=project)
    dry = run_scaffold("upgrade", "--dry-run", "--json", cwd=project)

    assert checked.returncode == 1
    assert "would change" in checked.stderr
    assert dry.returncode == 0, dry.stderr
    actions = {op["path"]: op["action"] for op in json.loads(dry.stdout)["files"]}
    assert actions["app/main.py"] == "update"
    assert tree_digest(project) == before


def test_json_needs_dry_run_or_check(project: Path) -> None:
    result = run_scaffold("upgrade", "--json", cwd=project)

    assert result.returncode == 2
    assert "--dry-run" in result.stderr


def test_an_edited_file_without_a_base_is_refused(project: Path) -> None:
    # Given a project from a version whose skeleton scaffold cannot rebuild
    base = project / ".scaffold/base/app/main.py"
    base.unlink()
    manifest = json.loads((project / ".scaffold/manifest.json").read_text())
    manifest["skeleton_version"] = "0.0.1"
    (project / ".scaffold/manifest.json").write_text(json.dumps(manifest))
    (project / "app/main.py").write_text("# mine\n")
    committed(project)
    before = tree_digest(project)

    result = run_scaffold("upgrade", "--no-verify", cwd=project)

    assert result.returncode == 2
    assert "app/main.py was modified" in result.stderr
    assert tree_digest(project) == before


def test_a_file_the_new_skeleton_drops_goes_with_its_base(project: Path) -> None:
    # Given a project made when the skeleton had two more files, each with its
    # base copy: one still as generated, one the user has deleted since
    text = '"""A module an older skeleton had."""\n'
    manifest_file = project / ".scaffold/manifest.json"
    manifest = json.loads(manifest_file.read_text())
    for name in ("app/services/account.py", "app/old_helper.py"):
        (project / ".scaffold/base" / name).write_text(text)
        manifest["files"][name] = digest(text)
    (project / "app/services/account.py").write_text(text)
    manifest_file.write_text(json.dumps(manifest, indent=2) + "\n")
    committed(project)

    # When it is upgraded
    result = run_scaffold("upgrade", "--no-verify", cwd=project)

    # Then the file is gone, and neither base copy is left behind
    assert result.returncode == 0, result.stderr
    assert not (project / "app/services/account.py").exists()
    assert not (project / ".scaffold/base/app/services/account.py").exists()
    assert not (project / ".scaffold/base/app/old_helper.py").exists()
    recorded = read_manifest(project).files
    assert "app/services/account.py" not in recorded
    assert run_scaffold("upgrade", "--check", cwd=project).returncode == 0


# --- a project made by 0.1.0 --------------------------------------------------


def test_a_0_1_0_project_upgrades_keeping_the_users_edits(legacy: Path) -> None:
    # When the project 0.1.0 generated, edited, is upgraded
    result = run_scaffold("upgrade", "--no-verify", cwd=legacy)

    # Then the edits are kept and the new templates' files are there
    assert result.returncode == 0, result.stderr
    config = (legacy / "app/core/config.py").read_text()
    assert config.startswith('"""Team settings')
    assert "SESSION_LIFETIME_DAYS" in config.upper()
    service = (legacy / "app/services/book.py").read_text()
    assert service.startswith('"""Business rules for books (edited)')
    assert (legacy / "app/models/password_reset_token.py").is_file()
    assert (
        "from app.api.v1.endpoints import"
        in (legacy / "app/api/v1/router.py").read_text()
    )
    assert "books" in (legacy / "app/api/v1/router.py").read_text()

    # And the existing revisions are untouched; new ones follow the head
    versions = legacy / "alembic/versions"
    for path in (LEGACY / "alembic/versions").glob("*.py"):
        assert (versions / path.name).read_text() == path.read_text()
    revisions = {path.name: path.read_text() for path in versions.glob("*.py")}
    graph = read_graph(revisions)
    assert graph.problems() == []
    names = sorted(revisions)
    assert names[-1].endswith("_upgrade_auth_tables.py")
    assert any(name.endswith("_create_api_keys_table.py") for name in names)

    # And the book's new CHECK of price:min=0 comes first, right after the head
    [schema] = [node for node in graph.nodes.values() if "_books_to_" in node.filename]
    assert schema.parents == (BOOK_REVISION,)
    assert names.index(schema.filename) == 2
    text = revisions[schema.filename]
    assert 'op.f("ck_books_price_min"), sa.column("price") >= 0' in text

    # And a second upgrade changes nothing
    git(legacy, "add", "-A")
    git(legacy, "commit", "-qm", "upgraded")
    assert run_scaffold("upgrade", "--check", cwd=legacy).returncode == 0
    again = run_scaffold("upgrade", "--no-verify", cwd=legacy)
    assert again.returncode == 0, again.stderr
    assert "Up to date" in again.stderr


@pytest.mark.e2e
@pytest.mark.postgres
def test_a_0_1_0_project_upgraded_passes_its_checks_on_both_databases(
    legacy: Path, require_postgres: None
) -> None:
    # When the edited 0.1.0 project is upgraded, with its checks (on SQLite)
    result = run_scaffold("upgrade", cwd=legacy)

    # Then ruff, mypy, its tests (migrations included) and the round trip pass
    assert result.returncode == 0, result.stderr
    assert "pass" in result.stderr
    assert (legacy / "app/core/config.py").read_text().startswith('"""Team settings')

    # When it is checked on PostgreSQL (its tests use the *_test database,
    # where its migration test does the round trip)
    url = postgres_database("scaffold_legacy")
    checked = run_scaffold("check", "--db-url", url, cwd=legacy)

    # Then lint, types and tests pass there too
    assert checked.returncode == 0, checked.stderr
    for check in ("ruff check", "mypy", "pytest"):
        assert f"✓ {check}" in checked.stderr


# --- schema changes the new resource templates bring -------------------------


def upgraded(project: Path) -> Path:
    result = run_scaffold("upgrade", "--no-verify", cwd=project)
    assert result.returncode == 0, result.stderr
    git(project, "add", "-A")
    git(project, "commit", "-qm", "upgraded")
    return project


def test_a_resource_schema_change_is_listed_and_fails_the_check(legacy: Path) -> None:
    # Given an upgraded project whose book model scaffold last wrote without
    # the CHECK constraint of price:min=0 (as 0.1.0's templates did)
    upgraded(legacy)
    base = legacy / ".scaffold/base/app/models/book.py"
    line = 'CheckConstraint(column("price") >= 0, name="price_min"),'
    assert line in base.read_text()
    base.write_text(base.read_text().replace(line, ""))
    git(legacy, "commit", "-qam", "older base")
    before = tree_digest(legacy)

    # When the upgrade is checked and previewed
    checked = run_scaffold("upgrade", "--check", cwd=legacy)
    dry = run_scaffold("upgrade", "--dry-run", "--json", cwd=legacy)

    # Then the check fails, and the preview lists the one revision it would write
    assert checked.returncode == 1
    assert dry.returncode == 0, dry.stderr
    created = [
        op["path"]
        for op in json.loads(dry.stdout)["files"]
        if op["action"] == "create" and op["path"].startswith("alembic/versions/")
    ]
    assert len(created) == 1
    assert created[0].endswith("_upgrade_books_to_the_schema_of_scaffold_0_2_0.py")
    assert tree_digest(legacy) == before


def refused(db: Database, sql: str) -> str:
    """The error the database answers ``sql`` with (fails if it accepts it)."""
    try:
        db.execute(sql)
    except sqlite3.IntegrityError as error:
        return str(error)
    except subprocess.CalledProcessError as error:
        return str(error.stderr)
    raise AssertionError(f"the database accepted: {sql}")


def negative(number: int) -> str:
    """SQL inserting a book whose price the new CHECK refuses."""
    return (
        "INSERT INTO books (id, title, price) VALUES "  # noqa: S608
        f"('{number:032x}', 'Free {number}', -1)"
    )


@pytest.mark.e2e
@pytest.mark.parametrize("kind", ["sqlite", "postgres"])
def test_the_new_check_reaches_the_database_and_refuses_bad_rows_first(
    legacy: Path, kind: str, request: pytest.FixtureRequest, install: Prepare
) -> None:
    # Given the 0.1.0 project upgraded, and its database at the old head
    # holding a book whose price the new CHECK refuses
    if kind == "postgres":
        request.getfixturevalue("require_postgres")
    upgraded(legacy)
    install(legacy)
    db = Database(kind, legacy, "upgrade_schema")
    try:
        at_head = db.alembic("upgrade", BOOK_REVISION)
        assert at_head.returncode == 0, at_head.stderr
        db.execute(negative(1))
        version = db.rows("SELECT version_num FROM alembic_version")
        rows = db.rows("SELECT id, title, price FROM books")

        # When the new revisions are applied
        stopped = db.alembic("upgrade", "head")

        # Then the schema revision stops first, naming table, column, constraint
        # and count, and the database is as it was
        assert stopped.returncode != 0
        assert (
            "books.price: 1 rows break the new CHECK constraint ck_books_price_min"
            in stopped.stderr
        )
        assert db.rows("SELECT version_num FROM alembic_version") == version
        assert db.rows("SELECT id, title, price FROM books") == rows

        # When the row is fixed, the upgrade goes through and the database
        # itself refuses a negative price
        db.execute("UPDATE books SET price = 0")
        applied = db.alembic("upgrade", "head")
        assert applied.returncode == 0, applied.stderr
        assert "ck_books_price_min" in refused(db, negative(2))

        # And the round trip works: down to the old head the CHECK is gone,
        # up again it is back
        down = db.alembic("downgrade", BOOK_REVISION)
        assert down.returncode == 0, down.stderr
        db.execute(negative(3))
        db.execute("DELETE FROM books WHERE price < 0")
        up = db.alembic("upgrade", "head")
        assert up.returncode == 0, up.stderr
        assert "ck_books_price_min" in refused(db, negative(4))
    finally:
        db.drop()
