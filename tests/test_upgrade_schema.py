"""The schema difference ``scaffold upgrade`` writes a revision for.

Two texts of a model module are compared as scaffold's templates write them;
what differs in place (CHECK, unique, index, type, nullability) becomes
statements, with row counts before any change.
"""

from __future__ import annotations

import ast
import dataclasses
from pathlib import Path

import pytest

from scaffold.changes.upgrade_schema import schema_revision
from scaffold.migrations.model_schema import condition_sql, read_tables
from scaffold.migrations.schema_ops import schema_change
from scaffold.migrations.sql_source import Steps
from scaffold.project.layout import model_path
from scaffold.project.manifest import base_path
from scaffold.project.snapshot import read_snapshot

LEGACY = Path(__file__).parent / "fixtures" / "project-0.1.0"

BEFORE = """
from decimal import Decimal

from sqlalchemy import CheckConstraint, Numeric, String, column
from sqlalchemy.orm import Mapped, mapped_column

from app.core.database import Base, TimestampMixin


class Book(TimestampMixin, Base):
    __tablename__ = "books"
    __table_args__ = (CheckConstraint(column("price") >= 0, name="price_min"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    title: Mapped[str] = mapped_column(String(100), unique=True)
    isbn: Mapped[str | None] = mapped_column(String(13))
    price: Mapped[Decimal] = mapped_column(Numeric(10, 2))
    pages: Mapped[int | None]
"""

AFTER = """
from decimal import Decimal

from sqlalchemy import CheckConstraint, Numeric, String, column, func
from sqlalchemy.orm import Mapped, mapped_column

from app.core.database import Base, TimestampMixin


class Book(TimestampMixin, Base):
    __tablename__ = "books"
    __table_args__ = (
        CheckConstraint(func.length(column("title")) >= 1, name="title_min_length"),
        CheckConstraint(column("price") >= 1, name="price_min"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    title: Mapped[str] = mapped_column(String(200), index=True)
    isbn: Mapped[str] = mapped_column(String(13), unique=True)
    price: Mapped[Decimal] = mapped_column(Numeric(10, 2))
    pages: Mapped[int | None]
"""


def statements(steps: Steps) -> list[str]:
    return [*steps.before, *steps.alter, *steps.fill, *steps.finish, *steps.after]


def test_the_model_text_gives_the_tables_database_names() -> None:
    table = read_tables(AFTER)["books"]

    assert table.checks == {
        "ck_books_title_min_length": "sa.func.length(sa.column('title')) >= 1",
        "ck_books_price_min": "sa.column('price') >= 1",
    }
    assert table.uniques == {"uq_books_isbn": ("isbn",)}
    assert set(table.indexes) == {"ix_books_title"}
    assert table.columns["title"].type == "sa.String(200)"
    assert table.columns["pages"].type is None
    assert table.columns["pages"].nullable
    assert not table.columns["isbn"].nullable
    assert not table.columns["id"].nullable


def test_every_change_in_place_is_written_both_ways() -> None:
    change = schema_change(read_tables(BEFORE)["books"], read_tables(AFTER)["books"])

    up = statements(change.upgrade)
    down = statements(change.downgrade)
    # The old unique constraint and the redefined CHECK go, the new ones come
    assert 'batch_op.drop_constraint(op.f("uq_books_title"), type_="unique")' in up
    assert 'batch_op.drop_constraint(op.f("ck_books_price_min"), type_="check")' in up
    assert (
        'batch_op.create_check_constraint(op.f("ck_books_price_min"), '
        "sa.column('price') >= 1)"
    ) in up
    assert 'op.create_index(op.f("ix_books_title"), "books", ["title"])' in up
    assert 'batch_op.create_unique_constraint(op.f("uq_books_isbn"), ["isbn"])' in up
    assert (
        'batch_op.alter_column("title", type_=sa.String(200), '
        "existing_type=sa.String(100), existing_nullable=False)"
    ) in up
    assert (
        'batch_op.alter_column("isbn", existing_type=sa.String(13), nullable=False)'
        in change.upgrade.finish
    )
    # And the downgrade undoes each: the old CHECK and unique come back
    assert (
        'batch_op.create_check_constraint(op.f("ck_books_price_min"), '
        "sa.column('price') >= 0)"
    ) in down
    assert 'op.drop_index(op.f("ix_books_title"), table_name="books")' in down
    assert (
        'batch_op.create_unique_constraint(op.f("uq_books_title"), ["title"])' in down
    )
    assert (
        'batch_op.alter_column("isbn", existing_type=sa.String(13), nullable=True)'
        in down
    )
    assert change.downgrade.guards == []
    assert change.manual == []
    assert "adds CHECK ck_books_title_min_length" in change.summary
    assert "changes CHECK ck_books_price_min" in change.summary


def test_the_upgrade_counts_the_rows_each_new_rule_refuses_first() -> None:
    change = schema_change(read_tables(BEFORE)["books"], read_tables(AFTER)["books"])

    calls = [
        ast.literal_eval(guard.removeprefix("refuse_rows"))
        for guard in change.upgrade.guards
    ]
    guards = " ".join(sql for sql, _ in calls)
    messages = [message for _, message in calls]
    assert "WHERE NOT (length(title) >= 1)" in guards
    assert "WHERE NOT (price >= 1)" in guards
    assert "WHERE isbn IS NULL" in guards
    assert "GROUP BY isbn HAVING count(*) > 1" in guards
    assert (
        "books.title: {count} rows break the new CHECK constraint "
        "ck_books_title_min_length (length(title) >= 1); change them, then "
        "upgrade again"
    ) in messages
    assert change.upgrade.helpers == {"refuse_rows"}


def test_the_same_model_is_no_change() -> None:
    change = schema_change(read_tables(AFTER)["books"], read_tables(AFTER)["books"])

    assert change.empty
    assert statements(change.upgrade) == statements(change.downgrade) == []


def test_what_cannot_be_written_is_left_to_the_user() -> None:
    after = AFTER.replace(
        'column("price") >= 1', 'column("price").between(1, 10)'
    ).replace("pages: Mapped[int | None]", "pages: Mapped[float | None]")

    change = schema_change(read_tables(BEFORE)["books"], read_tables(after)["books"])

    assert any("ck_books_price_min" in line for line in change.manual)
    assert any(
        line.startswith("books.pages: its type changes") for line in change.manual
    )
    # The old CHECK stays where the new one cannot be counted first
    assert not any("ck_books_price_min" in s for s in statements(change.upgrade))
    assert not any("pages" in s for s in statements(change.upgrade))


@pytest.mark.parametrize(
    ("expression", "sql"),
    [
        ("sa.column('price') >= 0", "price >= 0"),
        ("sa.func.length(sa.column('title')) <= 20", "length(title) <= 20"),
        ("sa.column('rate') > -0.5", "rate > -0.5"),
        ("sa.column('kind').in_(['a', \"b'c\"])", "kind IN ('a', 'b''c')"),
        (
            "sa.and_(sa.column('low') <= sa.column('high'), sa.column('low') >= 0)",
            "(low <= high AND low >= 0)",
        ),
        ("sa.text('size > 0')", "size > 0"),
    ],
)
def test_a_check_condition_is_written_as_sql(expression: str, sql: str) -> None:
    assert condition_sql(expression) == sql


def test_the_0_1_0_book_gets_the_check_of_its_min(tmp_path: Path) -> None:
    # Given the 0.1.0 project, whose book has price:decimal(10,2):min=0 and
    # whose base model (as 0.1.0 wrote it) has no CHECK constraint
    from scaffold.changes.kernel import render_resource
    from scaffold.project.manifest import read_manifest

    manifest = read_manifest(LEGACY)
    spec = manifest.resources["book"].spec
    snapshot = read_snapshot(LEGACY, [spec])
    rendered = render_resource(snapshot, spec)

    # When the revision for the installed templates is written
    written, notes = schema_revision(snapshot, rendered, snapshot.revisions)

    # Then it is one revision after the project's head, adding the CHECK
    [(path, source)] = written.items()
    assert path.name.endswith("_upgrade_books_to_the_schema_of_scaffold_0_2_0.py")
    assert "down_revision: str | Sequence[str] | None = 'f5f34d2e8912'" in source
    assert 'create_check_constraint(op.f("ck_books_price_min")' in source
    assert "FROM books WHERE NOT (price >= 0)" in source
    assert "ck_books_price_min" in " ".join(notes)
    ast.parse(source)
    # And once the base is the model the templates render, none is written
    files = {
        **snapshot.files,
        base_path(model_path("book")): rendered[model_path("book")],
    }
    upgraded = dataclasses.replace(snapshot, files=files)
    assert schema_revision(upgraded, rendered, snapshot.revisions) == ({}, [])
