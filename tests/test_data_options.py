"""Every data option in one project, checked on SQLite and on PostgreSQL.

Soft delete, versioning and cursor pages each change the model, the
repository, the router and the generated tests; they also meet (a soft-deleted
row a cursor skips, a versioned row a cursor walk patches). One project holding
all of them, with the references and field commands that touch them, runs its
whole check once per database: each check also runs the project's other
generated tests (auth, accounts, migrations), so one project instead of one per
option keeps the suite fast without proving less.

The options' own unit tests (what renders, what is refused) live beside each
option: ``test_soft_delete.py``, ``test_versioned.py``,
``test_cursor_pagination.py``.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from tests.conftest import RenderOnce, postgres_database
from tests.e2e import run_scaffold

pytestmark = [pytest.mark.e2e, pytest.mark.postgres]

#: Each step is one command, as a user would type it, without ``scaffold``.
STEPS = [
    # a soft-delete resource with unique fields (one added, one renamed by the
    # field commands), and a resource that refers to it
    (
        "add", "resource", "writer", "name:str(100)", "email:email?:unique",
        "code:str(20):unique", "--soft-delete", "--read", "public",
    ),
    ("add", "resource", "essay", "title:str", "writer:ref:on_delete=cascade"),
    ("add", "field", "writer", "pen_name:str(50)?:unique"),
    ("rename", "field", "writer", "email", "contact_email"),
    # a soft-delete cursor resource, an owned cursor resource referring to it,
    # and a versioned cursor resource sorted by a boolean (its walks patch rows
    # into ties, with If-Match, and page after True and False)
    (
        "add", "resource", "item", "name:str(100):index", "rating:int:min=1:max=5",
        "note:str(50)?", "--pagination", "cursor", "--read", "public",
        "--soft-delete",
    ),
    (
        "add", "resource", "review", "body:str(200)", "score:int", "item:ref",
        "--owned", "--pagination", "cursor",
    ),
    (
        "add", "resource", "stock", "available:bool", "grade:enum(a,b)",
        "price:decimal(10,2)", "counted_on:date", "--versioned",
        "--pagination", "cursor",
    ),
    # a versioned resource with many-to-many links (a change to the links
    # alone makes a new version)
    ("add", "resource", "tag", "name:str(50):unique"),
    (
        "add", "resource", "book", "title:str(100):unique", "pages:int?",
        "price:decimal(8,2):default=0", "tags:refs", "--versioned",
    ),
]  # fmt: skip


def test_a_project_with_every_data_option_passes_its_checks_on_both_databases(
    tmp_path_factory: pytest.TempPathFactory,
    render_once: RenderOnce,
    tmp_path: Path,
    require_postgres: None,
) -> None:
    # Given a project with auth and every data option, added step by step
    rendered = render_once(tmp_path_factory.mktemp("options"), name="shop", auth=True)
    project = Path(shutil.copytree(rendered, tmp_path / "shop"))
    for step in STEPS:
        result = run_scaffold(*step, "--no-check", "-q", cwd=project)
        assert result.returncode == 0, f"{step}: {result.stderr}"
    assert "available" in (project / "app/repositories/stock.py").read_text()
    writer_tests = (project / "tests/api/test_writers.py").read_text()
    assert "contact_email" in writer_tests
    assert "pen_name" in writer_tests

    # When its checks run on SQLite, then on PostgreSQL
    sqlite = run_scaffold("check", cwd=project)
    postgres = run_scaffold(
        "check", "--db-url", postgres_database("scaffold_options"), cwd=project
    )

    # Then lint, types, the generated tests (soft delete, restore, unique
    # reuse, references to deleted rows; cursor walks in every order, stable
    # under inserts, forged cursors, filters, nested lists, owners; ETags,
    # If-Match, 412 and 428, the database's guard against a lost update) and
    # the migrations pass on both
    assert sqlite.returncode == 0, sqlite.stderr
    assert postgres.returncode == 0, postgres.stderr
    for check in ("ruff check", "mypy", "pytest", "alembic round trip"):
        assert f"✓ {check}" in sqlite.stderr
    for check in ("ruff check", "mypy", "pytest"):
        assert f"✓ {check}" in postgres.stderr
