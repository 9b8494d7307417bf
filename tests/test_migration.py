"""Alembic revisions without a database: ids, file names, the head, the time."""

from __future__ import annotations

import datetime as dt
import re

import pytest

from scaffold.errors import ProjectError
from scaffold.migrations.revision import current_head, generation_time, new_revision
from scaffold.render.environment import render_template
from scaffold.render.view import build_view
from scaffold.spec import parse_cli_resource

WHEN = dt.datetime(2026, 1, 31, 14, 5, 9, tzinfo=dt.UTC)


def revision_file(revision: str, down: str | None) -> str:
    """A revision file as ``alembic revision`` writes it."""
    return (
        f'"""Revision {revision}."""\n\n'
        "from collections.abc import Sequence\n\n"
        f"revision: str = {revision!r}\n"
        f"down_revision: str | Sequence[str] | None = {down!r}\n"
        "branch_labels: str | Sequence[str] | None = None\n"
        "depends_on: str | Sequence[str] | None = None\n\n\n"
        "def upgrade() -> None:\n    pass\n"
    )


# --- new_revision -------------------------------------------------------------


def test_same_inputs_give_the_same_revision() -> None:
    first = new_revision("books", down_revision="abc123", when=WHEN)
    again = new_revision("books", down_revision="abc123", when=WHEN)

    assert first == again


def test_revision_id_does_not_depend_on_the_time() -> None:
    # Given the same change generated a minute apart
    later = WHEN + dt.timedelta(minutes=1)

    first = new_revision("books", down_revision="abc123", when=WHEN)
    second = new_revision("books", down_revision="abc123", when=later)

    # Then the id is the same, so regenerating does not fork the history
    assert first.revision == second.revision


@pytest.mark.parametrize(
    ("table", "parent"),
    [("authors", "abc123"), ("books", "def456"), ("books", None)],
)
def test_revision_id_differs_by_table_and_parent(
    table: str, parent: str | None
) -> None:
    base = new_revision("books", down_revision="abc123", when=WHEN)

    other = new_revision(table, down_revision=parent, when=WHEN)

    assert other.revision != base.revision


def test_revision_records_its_parent_and_date() -> None:
    revision = new_revision("books", down_revision="abc123", when=WHEN)

    assert revision.down_revision == "abc123"
    assert revision.create_date == str(WHEN)
    assert re.fullmatch(r"[0-9a-f]{12}", revision.revision)


def test_first_revision_has_no_parent() -> None:
    assert new_revision("books", down_revision=None, when=WHEN).down_revision is None


def test_file_name_follows_the_alembic_ini_template() -> None:
    revision = new_revision("book_reviews", down_revision=None, when=WHEN)

    assert revision.filename == "2026_01_31_1405_create_book_reviews_table.py"


def test_file_name_pads_every_part() -> None:
    early = dt.datetime(2025, 3, 4, 5, 6, tzinfo=dt.UTC)

    revision = new_revision("books", down_revision=None, when=early)

    assert revision.filename == "2025_03_04_0506_create_books_table.py"


# --- current_head -------------------------------------------------------------


def test_empty_history_has_no_head() -> None:
    assert current_head({}) is None


def test_single_revision_is_the_head() -> None:
    assert current_head({"1_init.py": revision_file("aaa", None)}) == "aaa"


def test_linear_history_head_is_the_last_child() -> None:
    # Given three revisions whose file names do not sort in history order
    revisions = {
        "c.py": revision_file("first", None),
        "a.py": revision_file("third", "second"),
        "b.py": revision_file("second", "first"),
    }

    assert current_head(revisions) == "third"


def test_plain_and_annotated_assignments_are_both_read() -> None:
    revisions = {
        "1.py": 'revision = "aaa"\ndown_revision = None\n',
        "2.py": 'revision: str = "bbb"\ndown_revision: str | None = "aaa"\n',
        "3.py": 'revision: str = "ccc"\ndown_revision: str | None = "bbb"\n',
    }

    assert current_head(revisions) == "ccc"


def test_two_heads_are_refused_with_the_merge_command() -> None:
    # Given two revisions that both follow the root
    revisions = {
        "root.py": revision_file("root", None),
        "left.py": revision_file("left", "root"),
        "right.py": revision_file("right", "root"),
    }

    with pytest.raises(ProjectError) as caught:
        current_head(revisions)

    message = str(caught.value)
    assert "scaffold migrations merge" in message
    assert "left" in message
    assert "right" in message


@pytest.mark.parametrize("parents", [("left", "right"), ["left", "right"]])
def test_merge_revision_joins_the_heads(parents: tuple[str, ...] | list[str]) -> None:
    # Given a branched history and a merge revision naming both branches
    revisions = {
        "root.py": revision_file("root", None),
        "left.py": revision_file("left", "root"),
        "right.py": revision_file("right", "root"),
        "merge.py": f'revision: str = "merged"\ndown_revision = {parents!r}\n',
    }

    assert current_head(revisions) == "merged"


def test_files_without_a_revision_are_ignored() -> None:
    revisions = {
        "1.py": revision_file("aaa", None),
        "helpers.py": '"""Shared helpers."""\n\nSCHEMA = "public"\n',
    }

    assert current_head(revisions) == "aaa"


@pytest.mark.parametrize(
    "source",
    [
        'revision = "aaa"\ndown_revision = (\n',
        'revision = "aaa"\ndown_revision = compute()\n',
        "revision = make_id()\n",
    ],
)
def test_unreadable_revision_file_is_named(source: str) -> None:
    revisions = {"1.py": revision_file("root", None), "2_broken.py": source}

    with pytest.raises(ProjectError, match=r"alembic/versions/2_broken\.py"):
        current_head(revisions)


def test_unhashable_literal_in_a_revision_file_is_a_project_error() -> None:
    # Given a file whose revision is a literal ast.literal_eval cannot build
    revisions = {"2_odd.py": "revision = {[1]: 2}\n"}

    # Then it is reported like any other unreadable file, not as a crash
    with pytest.raises(ProjectError, match=r"2_odd\.py"):
        current_head(revisions)


def test_generated_migrations_chain_onto_each_other() -> None:
    # Given two resources rendered one after the other onto an empty history
    history: dict[str, str] = {}
    made = []
    for name in ("book", "author"):
        resource = parse_cli_resource(name, ["title:str"])
        revision = new_revision(
            resource.names.table, down_revision=current_head(history), when=WHEN
        )
        view = build_view(resource, id_type="uuid")
        history[revision.filename] = render_template(
            "migration.py.jinja", r=view, m=revision
        )
        made.append(revision)

    # Then the rendered files are read back: the second follows the first
    assert made[0].down_revision is None
    assert made[1].down_revision == made[0].revision
    assert current_head(history) == made[1].revision


# --- generation_time ----------------------------------------------------------


def test_source_date_epoch_pins_the_time(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1769868300")

    when = generation_time()

    assert when == dt.datetime(2026, 1, 31, 14, 5, tzinfo=dt.UTC)
    assert new_revision("books", down_revision=None, when=when).filename == (
        "2026_01_31_1405_create_books_table.py"
    )


def test_source_date_epoch_zero_is_the_epoch(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "0")

    assert generation_time() == dt.datetime(1970, 1, 1, tzinfo=dt.UTC)


@pytest.mark.parametrize("value", [None, ""])
def test_without_source_date_epoch_it_is_now_in_utc(
    monkeypatch: pytest.MonkeyPatch, value: str | None
) -> None:
    if value is None:
        monkeypatch.delenv("SOURCE_DATE_EPOCH", raising=False)
    else:
        monkeypatch.setenv("SOURCE_DATE_EPOCH", value)
    before = dt.datetime.now(dt.UTC).replace(microsecond=0)

    when = generation_time()

    after = dt.datetime.now(dt.UTC)
    assert before <= when <= after
    assert when.utcoffset() == dt.timedelta(0)
    assert when.microsecond == 0


@pytest.mark.parametrize("value", ["yesterday", "1.5", "1e9", "0x10"])
def test_non_integer_source_date_epoch_is_refused(
    monkeypatch: pytest.MonkeyPatch, value: str
) -> None:
    monkeypatch.setenv("SOURCE_DATE_EPOCH", value)

    with pytest.raises(ProjectError, match="SOURCE_DATE_EPOCH"):
        generation_time()


@pytest.mark.parametrize("value", ["99999999999999999", "1" + "0" * 30])
def test_out_of_range_source_date_epoch_is_refused(
    monkeypatch: pytest.MonkeyPatch, value: str
) -> None:
    monkeypatch.setenv("SOURCE_DATE_EPOCH", value)

    with pytest.raises(ProjectError, match="SOURCE_DATE_EPOCH"):
        generation_time()
