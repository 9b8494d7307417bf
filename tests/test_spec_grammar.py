"""Tests of the compact field grammar: every type, argument and modifier."""

from __future__ import annotations

import datetime as dt
import uuid
from decimal import Decimal
from typing import Any

import pytest

from scaffold.spec import FieldSpec, FieldType, parse_cli_resource, parse_field

ISSUE_EXAMPLE = [
    "title:str(200):unique",
    "isbn:str(13):unique:pattern=^[0-9]{13}$",
    "price:decimal(10,2):min=0",
    "status:enum(draft,published):default=draft",
    "published_on:date?",
    "summary:text?",
]


def _attrs(spec: FieldSpec, *names: str) -> tuple[Any, ...]:
    return tuple(getattr(spec, name) for name in names)


def test_the_issue_example_parses() -> None:
    book = parse_cli_resource("book", ISSUE_EXAMPLE)
    title, isbn, price, status, published_on, summary = book.fields
    assert _attrs(title, "type", "length", "unique") == (FieldType.STR, 200, True)
    assert _attrs(isbn, "length", "unique", "pattern") == (13, True, "^[0-9]{13}$")
    assert _attrs(price, "precision", "scale", "min") == (10, 2, Decimal(0))
    assert _attrs(status, "choices", "default") == (("draft", "published"), "draft")
    assert _attrs(published_on, "type", "optional") == (FieldType.DATE, True)
    assert _attrs(summary, "type", "optional") == (FieldType.TEXT, True)


@pytest.mark.parametrize(
    ("token", "expected"),
    [
        ("a:str", {"type": FieldType.STR, "length": 255}),
        ("a:str(200)", {"type": FieldType.STR, "length": 200}),
        ("a:text", {"type": FieldType.TEXT, "length": None}),
        ("a:int", {"type": FieldType.INT}),
        ("a:float", {"type": FieldType.FLOAT}),
        ("a:decimal", {"type": FieldType.DECIMAL, "precision": 12, "scale": 2}),
        ("a:decimal(10,2)", {"precision": 10, "scale": 2}),
        ("a:decimal( 6 , 0 )", {"precision": 6, "scale": 0}),
        ("a:bool", {"type": FieldType.BOOL}),
        ("a:date", {"type": FieldType.DATE}),
        ("a:datetime", {"type": FieldType.DATETIME}),
        ("a:uuid", {"type": FieldType.UUID}),
        ("a:email", {"type": FieldType.EMAIL, "length": 320}),
        ("a:url", {"type": FieldType.URL, "length": 2083}),
        ("a:json", {"type": FieldType.JSON}),
        ("a:enum(a,b,c)", {"type": FieldType.ENUM, "choices": ("a", "b", "c")}),
        ("a:enum(a, in-progress)", {"choices": ("a", "in-progress")}),
    ],
)
def test_every_type_parses(token: str, expected: dict[str, Any]) -> None:
    spec = parse_field(token)
    assert spec.name == "a"
    assert {key: getattr(spec, key) for key in expected} == expected
    assert spec.optional is False


@pytest.mark.parametrize(
    "token",
    ["a:str?", "a:str(20)?", "a:decimal(10,2)?", "a:enum(x,y)?", "a:json?", "a:date?"],
)
def test_question_mark_makes_a_field_optional(token: str) -> None:
    spec = parse_field(token)
    assert spec.optional and spec.nullable and not spec.required


@pytest.mark.parametrize(
    ("token", "expected"),
    [
        ("a:str:unique", {"unique": True, "index": False}),
        ("a:int:index", {"unique": False, "index": True}),
        ("a:str:unique:index", {"unique": True, "index": True}),
        ("a:str:min=2:max=10", {"min": 2, "max": 10}),
        ("a:text:max=5000", {"max": 5000}),
        ("a:email:max=100", {"max": 100}),
        ("a:int:min=-5:max=5", {"min": -5, "max": 5}),
        ("a:float:min=0.5:max=1e3", {"min": 0.5, "max": 1000.0}),
        ("a:decimal(6,2):min=-10.5:max=9999.99", {"min": Decimal("-10.5")}),
        ("a:str:pattern=^[a-z]+$", {"pattern": "^[a-z]+$"}),
    ],
)
def test_modifiers(token: str, expected: dict[str, Any]) -> None:
    spec = parse_field(token)
    assert {key: getattr(spec, key) for key in expected} == expected


def test_bounds_are_typed_like_the_field() -> None:
    assert type(parse_field("a:int:min=1").min) is int
    assert type(parse_field("a:float:min=1").min) is float
    assert type(parse_field("a:decimal:min=1").min) is Decimal
    assert type(parse_field("a:str:min=1").min) is int


@pytest.mark.parametrize(
    ("token", "default"),
    [
        ("a:str:default=hello world", "hello world"),
        ("a:str:min=0:default=", ""),
        ("a:text:default=x=y", "x=y"),
        ("a:int:default=-42", -42),
        ("a:float:default=2.5", 2.5),
        ("a:decimal:default=9.99", Decimal("9.99")),
        ("a:bool:default=true", True),
        ("a:bool:default=false", False),
        ("a:date:default=2024-05-31", dt.date(2024, 5, 31)),
        (
            "a:datetime:default=2024-05-31T12:00:00Z",
            dt.datetime(2024, 5, 31, 12, tzinfo=dt.UTC),
        ),
        (
            "a:uuid:default=123e4567-e89b-12d3-a456-426614174000",
            uuid.UUID("123e4567-e89b-12d3-a456-426614174000"),
        ),
        ("a:email:default=me@example.com", "me@example.com"),
        ("a:url:default=https://example.com/x", "https://example.com/x"),
        ("a:enum(x,y):default=y", "y"),
    ],
)
def test_defaults_are_stored_typed(token: str, default: object) -> None:
    spec = parse_field(token)
    assert spec.default == default
    assert type(spec.default) is type(default)
    assert spec.has_default and not spec.required


def test_a_false_default_still_counts_as_a_default() -> None:
    assert parse_field("a:bool:default=false").has_default


@pytest.mark.parametrize(
    ("token", "pattern", "unique"),
    [
        (r"t:str:pattern=^\d{2}:\d{2}$", r"^\d{2}:\d{2}$", False),
        (r"t:str:pattern=^\d{2}:\d{2}$:unique", r"^\d{2}:\d{2}$", True),
        (r"t:str:unique:pattern=^(?:a|b):c$", r"^(?:a|b):c$", True),
        ("t:str:pattern=^a::b$", "^a::b$", False),
    ],
)
def test_patterns_may_contain_colons(token: str, pattern: str, unique: bool) -> None:
    spec = parse_field(token)
    assert (spec.pattern, spec.unique) == (pattern, unique)


def test_default_values_may_contain_colons_anywhere_in_the_token() -> None:
    spec = parse_field("at:datetime:default=2024-01-01T10:30:00+02:00:index")
    assert spec.default == dt.datetime(
        2024, 1, 1, 10, 30, tzinfo=dt.timezone(dt.timedelta(hours=2))
    )
    assert spec.index
    spec = parse_field("home:url:default=http://localhost:8000/a:b:unique")
    assert (spec.default, spec.unique) == ("http://localhost:8000/a:b", True)


def test_a_default_and_a_pattern_both_with_colons() -> None:
    spec = parse_field(r"t:str:default=12:30:pattern=^\d\d:\d\d$:min=5")
    assert (spec.default, spec.pattern, spec.min) == ("12:30", r"^\d\d:\d\d$", 5)


def test_modifier_order_does_not_matter() -> None:
    one = parse_field("a:int:unique:min=1:max=9:default=5")
    other = parse_field("a:int:default=5:max=9:min=1:unique")
    assert one == other


@pytest.mark.parametrize("name", ["date", "time", "datetime", "type", "status"])
def test_fields_named_like_types_are_accepted(name: str) -> None:
    spec = parse_field(f"{name}:str")
    assert spec.name == name
    assert spec.param_name == f"{name}_"


@pytest.mark.parametrize("name", ["order", "group", "user", "limit", "offset"])
def test_sql_reserved_words_are_accepted_and_marked(name: str) -> None:
    spec = parse_field(f"{name}:str")
    assert spec.sql_reserved
    assert spec.param_name == name


def test_ordinary_names_are_not_marked() -> None:
    spec = parse_field("title:str")
    assert not spec.sql_reserved
    assert spec.param_name == "title"


def test_a_resource_may_have_no_fields_and_an_explicit_plural() -> None:
    person = parse_cli_resource("Person", [], plural="persons")
    assert person.fields == ()
    assert (person.names.class_name, person.names.table) == ("Person", "persons")
    assert person.sort_keys == ("id", "created_at", "updated_at")
