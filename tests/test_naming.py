"""Tests of scaffold.spec.naming: spellings, plurals and derived resource names."""

from __future__ import annotations

import subprocess
import sys
import textwrap

import pytest
from hypothesis import given
from hypothesis import strategies as st

from scaffold.errors import SpecError
from scaffold.spec.naming import (
    ResourceNames,
    check_resource_names,
    describe_non_ascii,
    did_you_mean,
    is_snake_case,
    pluralize,
    resource_names,
    to_kebab,
    to_pascal,
    to_snake,
)


@pytest.mark.parametrize(
    ("spelling", "snake", "pascal", "kebab"),
    [
        ("book", "book", "Book", "book"),
        ("BookReview", "book_review", "BookReview", "book-review"),
        ("bookReview", "book_review", "BookReview", "book-review"),
        ("book-review", "book_review", "BookReview", "book-review"),
        ("book_review", "book_review", "BookReview", "book-review"),
        ("HTTPRequest", "http_request", "HttpRequest", "http-request"),
        ("ISBN13Code", "isbn13_code", "Isbn13Code", "isbn13-code"),
        ("Book2Review", "book2_review", "Book2Review", "book2-review"),
    ],
)
def test_spellings_convert(spelling: str, snake: str, pascal: str, kebab: str) -> None:
    assert to_snake(spelling) == snake
    assert to_pascal(spelling) == pascal
    assert to_kebab(spelling) == kebab


@pytest.mark.parametrize(
    ("singular", "plural"),
    [
        ("person", "people"),
        ("category", "categories"),
        ("status", "statuses"),
        ("series", "series"),
        ("book", "books"),
        ("box", "boxes"),
        ("child", "children"),
        ("address", "addresses"),
        ("analysis", "analyses"),
        ("mouse", "mice"),
        ("book_review", "book_reviews"),
        ("sales_person", "sales_people"),
        ("BookCategory", "book_categories"),
    ],
)
def test_pluralize_uses_english_plurals(singular: str, plural: str) -> None:
    assert pluralize(singular) == plural


@pytest.mark.parametrize("spelling", ["book", "Book", "book-review", "BookReview"])
def test_every_spelling_of_a_resource_gives_the_same_names(spelling: str) -> None:
    names = resource_names(spelling)
    assert names == resource_names(to_snake(spelling))
    assert names.module == names.singular == to_snake(spelling)


def test_resource_names_derive_every_name() -> None:
    assert resource_names("BookReview") == ResourceNames(
        singular="book_review",
        plural="book_reviews",
        class_name="BookReview",
        module="book_review",
        table="book_reviews",
        url_path="book-reviews",
        human="book review",
        human_plural="book reviews",
        instance_var="book_review",
        collection_var="book_reviews",
    )


def test_plural_and_table_can_be_overridden() -> None:
    names = resource_names("person", plural="Persons")
    assert (names.plural, names.table, names.url_path) == (
        "persons",
        "persons",
        "persons",
    )
    names = resource_names("person", table="app_people")
    assert (names.plural, names.table) == ("people", "app_people")


def test_uncountable_resources_get_distinct_variable_names() -> None:
    names = resource_names("series")
    assert names.plural == names.singular == "series"
    assert (names.instance_var, names.collection_var) == ("series", "series_list")


def _problems(name: str, **kwargs: str) -> str:
    with pytest.raises(SpecError) as caught:
        resource_names(name, **kwargs)
    return "\n".join(caught.value.problems)


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("class", "'class' is a Python keyword"),
        ("list", "shadow the Python builtin 'list'"),
        ("common", "clashes with the generated project's own module"),
        ("query", "would define class 'Query'"),
        ("_book", "starts with an underscore"),
        ("2book", "starts with a digit"),
        ("book__review", "single '_' or '-' between words"),
        ("book review", "single '_' or '-' between words"),
        ("", "resource name is empty"),
        ("books", "looks plural already (its plural would be 'bookss')"),
        ("books", "e.g. 'book'"),
        ("a" * 50, "past PostgreSQL's 63"),
    ],
)
def test_bad_resource_names_are_refused(name: str, expected: str) -> None:
    assert expected in _problems(name)


@pytest.mark.parametrize(
    ("name", "code_point"),
    [
        ("b\u043eok", "U+043E CYRILLIC SMALL LETTER O"),
        ("book\u200b", "U+200B ZERO WIDTH SPACE"),
        ("bo\u202eok", "U+202E RIGHT-TO-LEFT OVERRIDE"),
        ("caf\u00e9", "U+00E9 LATIN SMALL LETTER E WITH ACUTE"),
    ],
)
def test_non_ascii_names_are_refused_with_the_character_named(
    name: str, code_point: str
) -> None:
    message = _problems(name)
    assert repr(name) in message
    assert code_point in message


def test_invisible_characters_are_visible_in_the_message() -> None:
    assert "'book\\u200b'" in _problems("book\u200b")


def test_plural_and_table_problems_are_reported_with_the_name_problems() -> None:
    names, problems = check_resource_names("list", plural="class", table="sqlite_x")
    parts = [part for part, _ in problems]
    assert parts == ["name", "plural", "table"]
    assert names is not None


def test_a_plural_that_is_a_keyword_is_refused() -> None:
    assert "plural 'as' is a Python keyword" in _problems("book", plural="as")


def test_explicit_plural_silences_the_looks_plural_check() -> None:
    assert resource_names("news", plural="news").plural == "news"
    assert resource_names("analytics", plural="analytics").table == "analytics"


def test_table_must_be_snake_case() -> None:
    assert "did you mean 'book_table'?" in _problems("book", table="BookTable")


def test_did_you_mean() -> None:
    assert did_you_mean("strng", ["str", "text"]) == "; did you mean 'str'?"
    assert did_you_mean("STR", ["str", "text"]) == "; did you mean 'str'?"
    assert did_you_mean("zzzz", ["str", "text"]) == ""


def test_describe_non_ascii() -> None:
    assert describe_non_ascii("plain") is None
    described = describe_non_ascii("t\u0456tle")
    assert described is not None
    assert "U+0456" in described


_WORD = st.from_regex(r"[a-z][a-z0-9]{1,7}", fullmatch=True)


@given(st.lists(_WORD, min_size=1, max_size=4).map("_".join))
def test_snake_to_pascal_round_trips(snake: str) -> None:
    assert is_snake_case(snake)
    assert to_snake(to_pascal(snake)) == snake
    assert to_snake(to_kebab(snake)) == snake


@given(st.lists(_WORD.map(str.capitalize), min_size=1, max_size=4).map("".join))
def test_pascal_to_snake_round_trips(pascal: str) -> None:
    assert to_pascal(to_snake(pascal)) == pascal


@given(st.from_regex(r"[A-Za-z][A-Za-z0-9]*(?:[_-][A-Za-z0-9]+)*", fullmatch=True))
def test_to_snake_is_idempotent(spelling: str) -> None:
    snake = to_snake(spelling)
    assert to_snake(snake) == snake
    assert to_kebab(spelling) == snake.replace("_", "-")


@given(st.text(max_size=30), st.none() | st.text(max_size=10))
def test_arbitrary_names_raise_nothing_but_spec_error(
    name: str, plural: str | None
) -> None:
    try:
        names = resource_names(name, plural)
    except SpecError as error:
        assert error.problems
    else:
        assert is_snake_case(names.singular)
        assert is_snake_case(names.table)


def _run(code: str) -> str:
    result = subprocess.run(
        [sys.executable, "-c", textwrap.dedent(code)],
        capture_output=True,
        text=True,
        check=True,
    )
    return result.stdout.strip()


def test_inflect_is_imported_lazily_and_without_typeguard() -> None:
    out = _run(
        """
        import sys
        import scaffold.spec
        from scaffold.spec.naming import pluralize
        before = "inflect" in sys.modules
        plural = pluralize("person")
        print(before, plural, "inflect" in sys.modules, "typeguard" in sys.modules)
        """
    )
    assert out == "False people True False"


def test_an_imported_typeguard_is_left_as_it_was() -> None:
    out = _run(
        """
        import sys
        import typeguard
        from scaffold.spec.naming import pluralize
        print(pluralize("child"), sys.modules["typeguard"] is typeguard)
        """
    )
    assert out == "children True"
