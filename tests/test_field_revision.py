"""The revision a field change writes: guards first, one revision for both databases."""

from __future__ import annotations

import ast
import datetime as dt

from scaffold.migrations.field_revision import field_revision, revision_for
from scaffold.spec import ResourceSpec, parse_cli_resource
from scaffold.spec.diff import diff_fields

WHEN = dt.datetime(2026, 1, 31, 14, 5, tzinfo=dt.UTC)


def book(*fields: str) -> ResourceSpec:
    return parse_cli_resource("book", list(fields))


def write(
    old: ResourceSpec, new: ResourceSpec, **options: object
) -> tuple[str, tuple[str, ...]]:
    renames = options.pop("renames", None)
    changes = diff_fields(old, new, renames)  # type: ignore[arg-type]
    revision = revision_for("books", "Change books", down_revision="abc", when=WHEN)
    written = field_revision(
        "books",
        changes,
        revision,
        title="Change books",
        **options,  # type: ignore[arg-type]
    )
    ast.parse(written.source)  # it is Python
    return written.source, written.destructive


def function(source: str, name: str) -> str:
    tree = ast.parse(source)
    node = next(
        n for n in tree.body if isinstance(n, ast.FunctionDef) and n.name == name
    )
    return ast.unparse(node)  # one line per statement, strings joined


def test_a_required_field_is_added_nullable_filled_then_made_not_null() -> None:
    source, destructive = write(
        book("title:str"), book("title:str", "isbn:str(13)"), backfill={"isbn": "n/a"}
    )
    upgrade = function(source, "upgrade")

    added = upgrade.index(
        "add_column(sa.Column('isbn', sa.String(length=13), nullable=True)"
    )
    filled = upgrade.index("UPDATE books SET isbn = :value WHERE isbn IS NULL")
    required = upgrade.index("alter_column('isbn', existing_type")
    assert added < filled < required
    assert "'n/a'" in upgrade
    assert "drop_column('isbn')" in function(source, "downgrade")
    assert destructive == ()


def test_guards_count_offending_rows_before_any_change() -> None:
    source, _ = write(
        book("code:str(20)?", "n:int"),
        book("code:str(10):unique:pattern=^[A-Z]+$", "n:int:min=0"),
    )
    upgrade = function(source, "upgrade")

    first_change = upgrade.index("batch_alter_table")
    for needle in (
        "code IS NULL",
        "HAVING count(*) > 1",
        "length(code) > 10",
        "n < 0",
        "refuse_mismatches(",
    ):
        assert -1 < upgrade.index(needle) < first_change, needle
    assert "books.code: {count} rows hold NULL" in upgrade
    assert "def refuse_rows(" in source
    assert "def refuse_mismatches(" in source


def test_a_narrower_string_is_destructive_and_its_downgrade_widens() -> None:
    source, destructive = write(book("title:str(200)"), book("title:str(100)"))

    assert destructive == ("narrows books.title: length 200 to 100",)
    assert "DESTRUCTIVE" in source.split('"""')[1]
    downgrade = function(source, "downgrade")
    assert "type_=sa.String(length=200)" in downgrade


def test_a_dropped_column_comes_back_with_placeholders_on_downgrade() -> None:
    source, destructive = write(book("title:str", "pages:int"), book("title:str"))

    assert destructive == ("drops books.pages: its values cannot come back",)
    downgrade = function(source, "downgrade")
    assert "add_column(sa.Column('pages', sa.Integer(), nullable=True))" in downgrade
    assert "UPDATE books SET pages = :value" in downgrade
    assert "nullable=False" in downgrade
    assert "the dropped values cannot come back" in downgrade


def test_a_rename_renames_the_column_and_its_index() -> None:
    source, destructive = write(
        book("title:str:index"), book("name:str:index"), renames={"name": "title"}
    )
    upgrade = function(source, "upgrade")

    assert "alter_column('title', new_column_name='name')" in upgrade
    assert "drop_index(op.f('ix_books_title')" in upgrade
    assert "create_index(op.f('ix_books_name'), 'books', ['name'])" in upgrade
    assert "drop_column" not in upgrade
    assert destructive == ()


def test_removed_enum_values_are_mapped_and_unmapped_ones_guarded() -> None:
    source, _ = write(
        book("status:enum(draft,archived,gone)"),
        book("status:enum(draft,closed)"),
        maps={"status": {"archived": "closed"}},
    )
    upgrade = function(source, "upgrade")

    assert "status IN ('gone')" in upgrade
    assert "status IN ('archived')" not in upgrade
    dropped = upgrade.index("drop_constraint(op.f('ck_books_book_status')")
    mapped = upgrade.index(
        "UPDATE books SET status = 'closed' WHERE status = 'archived'"
    )
    created = upgrade.index("create_check_constraint(")
    assert dropped < mapped < created
    assert "status IN ('draft', 'closed')" in upgrade


def test_a_bound_added_to_a_column_is_counted_then_enforced() -> None:
    # Given a number without bounds, When it gains min and max
    source, _ = write(book("n:int"), book("n:int:min=1:max=9"))
    upgrade, downgrade = function(source, "upgrade"), function(source, "downgrade")

    # Then the rows outside are counted first, then both CHECKs are created
    created = upgrade.index("create_check_constraint(op.f('ck_books_n_min')")
    assert -1 < upgrade.index("n < 1") < upgrade.index("batch_alter_table") < created
    assert "sa.column('n') >= 1" in upgrade
    assert "create_check_constraint(op.f('ck_books_n_max'), sa.column('n') <= 9)" in (
        upgrade
    )
    # And the downgrade drops them
    assert "drop_constraint(op.f('ck_books_n_min'), type_='check')" in downgrade
    assert "drop_constraint(op.f('ck_books_n_max'), type_='check')" in downgrade


def test_a_renamed_column_gets_its_bound_checks_made_again_after_the_rename() -> None:
    source, _ = write(book("title:str"), book("name:str"), renames={"name": "title"})
    upgrade = function(source, "upgrade")

    # A required str is non-empty: its CHECK names the column, so it is
    # dropped before the rename and made again after it
    dropped = upgrade.index("drop_constraint(op.f('ck_books_title_min_length')")
    renamed = upgrade.index("alter_column('title', new_column_name='name')")
    made = upgrade.index(
        "create_check_constraint(op.f('ck_books_name_min_length'), "
        "sa.func.length(sa.column('name')) >= 1)"
    )
    assert dropped < renamed < made


def test_an_unchanged_bound_is_left_alone() -> None:
    source, _ = write(book("n:int:min=1", "t:str"), book("n:int:min=1", "t:text"))

    assert "ck_books_n_min" not in source
    assert "ck_books_t_min_length" not in source


def test_a_downgrade_that_restores_a_bound_makes_the_rows_fit_it_first() -> None:
    # Given a revision that relaxes min=5 to min=0 and max=10 to none
    source, _ = write(
        book("n:int:min=5:max=10", "code:str:min=3"),
        book("n:int:min=0", "code:str:min=0"),
    )
    downgrade = function(source, "downgrade")

    # Then its downgrade lifts and pads the rows, then restores the CHECKs
    lifted = downgrade.index("UPDATE books SET n = 5 WHERE n < 5")
    padded = downgrade.index(
        "UPDATE books SET code = code || substr('---', 1, 3 - length(code)) "
        "WHERE length(code) < 3"
    )
    restored = downgrade.index("create_check_constraint(op.f('ck_books_n_min')")
    assert max(lifted, padded) < restored
    assert "UPDATE books SET n = 10 WHERE n > 10" in downgrade


def test_an_added_required_string_gets_its_non_empty_check_after_the_fill() -> None:
    source, _ = write(
        book("title:str"), book("title:str", "isbn:str(13)"), backfill={"isbn": "n/a"}
    )
    upgrade = function(source, "upgrade")

    filled = upgrade.index("UPDATE books SET isbn = :value WHERE isbn IS NULL")
    assert filled < upgrade.index("op.f('ck_books_isbn_min_length')")
