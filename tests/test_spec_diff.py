"""The difference between a resource's recorded spec and its new one."""

from __future__ import annotations

import pytest

from scaffold.errors import SpecError
from scaffold.spec import ResourceSpec, parse_cli_resource
from scaffold.spec.backfill import backfill_value
from scaffold.spec.diff import ChangeKind, diff_fields


def book(*fields: str) -> ResourceSpec:
    return parse_cli_resource("book", list(fields))


def test_an_unchanged_spec_has_no_changes() -> None:
    spec = book("title:str(200):unique", "pages:int?")

    assert diff_fields(spec, book("title:str(200):unique", "pages:int?")) == []


def test_a_new_field_is_added_and_a_missing_one_removed_never_renamed() -> None:
    # Given a field that disappears and another that appears
    changes = diff_fields(book("title:str"), book("name:str"))

    # Then, with no rename given, it is a removal and an addition
    assert [(c.kind, c.name) for c in changes] == [
        (ChangeKind.REMOVED, "title"),
        (ChangeKind.ADDED, "name"),
    ]


def test_an_explicit_rename_is_one_change_that_keeps_the_field() -> None:
    changes = diff_fields(book("title:str"), book("name:str"), {"name": "title"})

    assert len(changes) == 1
    (change,) = changes
    assert change.kind is ChangeKind.RENAMED
    assert change.old is not None and change.old.name == "title"
    assert change.aspects == ()
    assert change.describe() == "rename title to name"


def test_a_rename_that_also_alters_lists_what_it_alters() -> None:
    changes = diff_fields(
        book("title:str(100)"), book("name:str(200):unique"), {"name": "title"}
    )

    assert changes[0].aspects == ("length", "unique")


@pytest.mark.parametrize(
    ("before", "after", "aspects"),
    [
        ("title:str(100)", "title:str(200)", ("length",)),
        ("title:str", "title:str?", ("optional",)),
        ("price:decimal(10,2)", "price:decimal(12,2)", ("precision",)),
        ("s:enum(a,b)", "s:enum(a,b,c)", ("choices",)),
        ("title:str", "title:str:unique", ("unique",)),
        ("title:str", "title:str:index", ("index",)),
        ("n:int", "n:int:default=3", ("default",)),
        ("n:int", "n:int:min=0:max=9", ("min", "max")),
        ("code:str", "code:str:pattern=^[A-Z]+$", ("pattern",)),
        ("n:int", "n:str", ("type", "length")),
    ],
)
def test_each_aspect_of_a_field_is_reported(
    before: str, after: str, aspects: tuple[str, ...]
) -> None:
    (change,) = diff_fields(book(before), book(after))

    assert change.kind is ChangeKind.ALTERED
    assert change.aspects == aspects


def test_a_rename_from_a_field_that_does_not_exist_is_refused() -> None:
    with pytest.raises(SpecError, match=r"'nope'.*does not have"):
        diff_fields(book("title:str"), book("name:str"), {"name": "nope"})


def test_a_rename_whose_old_field_is_still_listed_is_refused() -> None:
    with pytest.raises(SpecError, match="still listed"):
        diff_fields(book("title:str"), book("title:str", "name:str"), {"name": "title"})


def test_a_backfill_is_checked_like_a_default() -> None:
    (field,) = book("isbn:str(13):pattern=^[0-9]+$").fields

    assert backfill_value(field, "978") == "978"
    with pytest.raises(SpecError, match=r"--backfill 'x1'.*pattern"):
        backfill_value(field, "x1")
    with pytest.raises(SpecError, match="longer than"):
        backfill_value(field, "1" * 14)


def test_a_backfill_of_an_enum_must_be_one_of_its_values() -> None:
    (field,) = book("status:enum(draft,done)").fields

    assert backfill_value(field, "done") == "done"
    with pytest.raises(SpecError, match="not one of the choices"):
        backfill_value(field, "gone")
