"""Every kind of bad field is refused with a message that says how to fix it."""

from __future__ import annotations

import pytest

from scaffold.errors import SpecError
from scaffold.spec import parse_cli_resource, parse_field


def problems_of(token: str) -> list[str]:
    """The problem lines parse_field reports for one token."""
    with pytest.raises(SpecError) as caught:
        parse_field(token)
    assert all(line.startswith(f"field {token!r}: ") for line in caught.value.problems)
    return list(caught.value.problems)


def refused(token: str, *fragments: str) -> None:
    """Assert the token is refused with one problem holding every fragment."""
    problems = problems_of(token)
    assert any(all(f in line for f in fragments) for line in problems), problems


@pytest.mark.parametrize(
    ("token", "fragments"),
    [
        ("a:strng", ("unknown type 'strng'", "did you mean 'str'?", "enum(a,b,c)")),
        ("a:integer", ("unknown type 'integer'", "did you mean 'int'?")),
        ("a:timestamp", ("did you mean 'datetime'?",)),
        ("a:Str", ("unknown type 'Str'", "did you mean 'str'?")),
        ("a:", ("missing type",)),
        ("a:str\u200b", ("unknown type 'str\\u200b'", "did you mean 'str'?")),
        ("title", ("no type", "'title:str'")),
        ("", ("empty field",)),
    ],
)
def test_unknown_types(token: str, fragments: tuple[str, ...]) -> None:
    refused(token, *fragments)


@pytest.mark.parametrize(
    ("token", "fragments"),
    [
        ("a:str:uniqe", ("unknown modifier 'uniqe'", "did you mean 'unique'?")),
        ("a:str:optional", ("unknown modifier 'optional'", "'?' after the type")),
        ("a:str:nullable", ("'?' after the type",)),
        ("a:int:primary_key", ("primary key 'id' automatically",)),
        ("a:str:max_length=3", ("str(N)",)),
        ("a:str:unique=true", ("'unique' takes no value",)),
        ("a:int:min", ("'min' needs a value", "min=VALUE")),
        ("a:int:min=", ("empty value",)),
        ("a:int:min=1:min=2", ("given twice",)),
        ("a:int::unique", ("empty modifier",)),
        ("a:int:", ("empty modifier",)),
        ("a?:int", ("put '?' after the type",)),
        ("a:decimal?(10,2)", ("put '?' after the arguments", "'decimal(10,2)?'")),
        ("a:str(20)x", ("unexpected 'x' after type 'str'",)),
        ("a:enum(a,b", ("unclosed '('",)),
        ("a:str(1,2)", ("str takes one length",)),
        ("a:decimal(10)", ("decimal takes precision and scale",)),
        ("a:int(4)", ("int takes no arguments",)),
    ],
)
def test_bad_modifiers_and_syntax(token: str, fragments: tuple[str, ...]) -> None:
    refused(token, *fragments)


def test_a_misspelt_modifier_after_a_value_is_not_swallowed_silently() -> None:
    refused(
        "a:str:default=x:uniqe",
        "':uniqe' is read as part of the default value 'x:uniqe'",
        "the modifier 'unique'",
        "mapping form",
    )
    refused("a:str:pattern=^x$:Index", "the modifier 'index'")


@pytest.mark.parametrize(
    ("token", "fragments"),
    [
        ("a:int:pattern=^1$", ("'pattern' does not apply to int", "str, text")),
        ("a:bool:min=1", ("'min' does not apply to bool", "length of str")),
        ("a:date:max=3", ("'max' does not apply to date",)),
        ("a:bool:unique", ("'unique' does not apply to bool",)),
        ("a:text:unique", ("'unique' does not apply to text", "str(N)")),
        ("a:text:index", ("'index' does not apply to text",)),
        ("a:json:default=x", ("'default' does not apply to json",)),
        ("a:json:index", ("'index' does not apply to json",)),
        ("a:uuid:pattern=x", ("'pattern' does not apply to uuid",)),
    ],
)
def test_modifiers_that_do_not_apply_to_the_type(
    token: str, fragments: tuple[str, ...]
) -> None:
    refused(token, *fragments)


@pytest.mark.parametrize(
    ("token", "fragments"),
    [
        ("a:int:min=5:max=1", ("min 5 is greater than max 1",)),
        ("a:str:min=9:max=2", ("min 9 is greater than max 2",)),
        ("a:decimal(4,6)", ("scale 6 is greater than precision 4",)),
        ("a:decimal(0,0)", ("precision 0 is out of range", "1 to 38")),
        ("a:decimal(39,2)", ("precision 39 is out of range",)),
        ("a:str(0)", ("str length 0 is out of range",)),
        ("a:str(10485761)", ("out of range", "10485760")),
        ("a:str(10):max=20", ("max 20 exceeds the column length 10", "str(20)")),
        ("a:email:max=400", ("max 400 exceeds the column length 320",)),
        ("a:decimal(5,2):max=1000", ("max 1000 does not fit decimal(5,2)",)),
        ("a:decimal(5,2):min=0.001", ("does not fit decimal(5,2)", "decimal places")),
        ("a:decimal(2,2):max=1", ("max 1 does not fit decimal(2,2)", "before the")),
        ("a:int:max=9223372036854775808", ("64-bit",)),
        ("a:str:min=-1", ("negative",)),
        ("a:int:min=1.5", ("'1.5' is not an integer",)),
        ("a:float:max=1e999", ("too large for a float",)),
    ],
)
def test_contradictory_or_out_of_range_constraints(
    token: str, fragments: tuple[str, ...]
) -> None:
    refused(token, *fragments)


@pytest.mark.parametrize(
    "token",
    ["a:decimal(2,2):min=0:default=0", "a:decimal(3,3)?:min=-0.5:max=0.25"],
)
def test_a_bound_with_fewer_places_fits_as_the_column_stores_it(token: str) -> None:
    # A bare 0 is 0.00 to a decimal(2,2) column, though Pydantic would count its
    # 0 as a whole digit
    field = parse_field(token)

    assert field.min is not None
    assert field.min <= 0
    # and a default is written with the column's places, as its pattern asks
    assert field.default is None or str(field.default) == "0.00"


@pytest.mark.parametrize(
    "token",
    [
        "a:float:min=nan",
        "a:float:max=inf",
        "a:float:default=-Infinity",
        "a:decimal:min=NaN",
        "a:decimal:default=sNaN",
        "a:int:default=inf",
    ],
)
def test_non_finite_numbers_are_refused(token: str) -> None:
    refused(token, "not a finite number")


@pytest.mark.parametrize(
    ("token", "fragments"),
    [
        ("a:enum()", ("enum has no choices", "enum(draft,published)")),
        ("a:enum(x,x)", ("enum choice 'x' is listed twice",)),
        ("a:enum(x,X)", ("'X' duplicates 'x'", "enum member X")),
        ("a:enum(in-progress,in_progress)", ("enum member IN_PROGRESS",)),
        (
            "a:enum(ok,b c)",
            ("enum choice 'b c' is not accepted", "starts with a letter"),
        ),
        ("a:enum(ok,1st)", ("enum choice '1st' is not accepted",)),
        ("a:enum(ok,)", ("enum choice '' is not accepted",)),
        ("a:enum(ok,caf\u00e9)", ("U+00E9",)),
        ("a:enum(a,b):default=c", ("default 'c' is not one of the choices a, b",)),
        ("a:enum(draft,done):default=drat", ("did you mean 'draft'?",)),
    ],
)
def test_bad_enums(token: str, fragments: tuple[str, ...]) -> None:
    refused(token, *fragments)


@pytest.mark.parametrize(
    ("token", "fragments"),
    [
        ("a:str:pattern=(", ("pattern '(' does not compile",)),
        ("a:str:pattern=^(?=x)", ("not supported by Pydantic's regex engine",)),
        (r"a:str:pattern=(a)\1", ("back-references",)),
    ],
)
def test_bad_patterns(token: str, fragments: tuple[str, ...]) -> None:
    refused(token, *fragments)


@pytest.mark.parametrize(
    ("token", "fragments"),
    [
        (
            "a:str(3):default=abcd",
            ("default 'abcd' is longer than the column length 3",),
        ),
        ("a:str:max=2:default=abc", ("is longer than max 2",)),
        ("a:str:min=5:default=abc", ("is shorter than min 5",)),
        ("a:str:default=", ("is empty, which a required str refuses", "min=0")),
        ("a:text:default=", ("is empty, which a required str refuses", "min=0")),
        ("a:int:min=1:default=0", ("default 0 is less than min 1",)),
        ("a:float:max=1:default=1.5", ("default 1.5 is greater than max 1",)),
        ("a:decimal(4,2):default=123", ("does not fit decimal(4,2)",)),
        ("a:str:pattern=^[a-z]+$:default=ABC", ("does not match its own pattern",)),
    ],
)
def test_defaults_that_violate_their_own_constraints(
    token: str, fragments: tuple[str, ...]
) -> None:
    refused(token, *fragments)


@pytest.mark.parametrize(
    ("token", "fragments"),
    [
        ("a:int:default=x", ("default 'x' is not an integer",)),
        ("a:int:default=1_000", ("not an integer",)),
        ("a:decimal:default=abc", ("default 'abc' is not a number",)),
        ("a:bool:default=yes", ("default 'yes' is not a boolean", "true or false")),
        ("a:bool:default=True", ("true or false",)),
        ("a:date:default=2024-02-30", ("not an ISO date", "2024-05-31")),
        ("a:date:default=today", ("not an ISO date",)),
        ("a:datetime:default=2024-01-01T10:00:00", ("has no time zone",)),
        ("a:datetime:default=now", ("not an ISO date-time",)),
        ("a:uuid:default=nope", ("not a UUID",)),
        ("a:email:default=nobody", ("not an e-mail address",)),
        ("a:url:default=ftp://example.com", ("not an http(s) URL",)),
        ("a:int:default=", ("default '' is not an integer",)),
    ],
)
def test_defaults_that_do_not_parse(token: str, fragments: tuple[str, ...]) -> None:
    refused(token, *fragments)


@pytest.mark.parametrize(
    ("token", "fragments"),
    [
        ("class:str", ("field name 'class' is a Python keyword",)),
        ("list:str", ("would shadow the Python builtin 'list'",)),
        ("id:int", ("'id' is generated for every resource", "external_id")),
        ("created_at:datetime", ("generated for every resource",)),
        ("updated_at:datetime", ("generated for every resource",)),
        ("metadata:json", ("SQLAlchemy's DeclarativeBase",)),
        ("registry:str", ("SQLAlchemy's DeclarativeBase",)),
        ("query:str", ("query attribute",)),
        ("json:json", ("Pydantic's BaseModel",)),
        ("validate:bool", ("Pydantic's BaseModel",)),
        ("model_config:str", ("starting with 'model_'",)),
        ("model_name:str", ("starting with 'model_'",)),
        ("self:str", ("instance argument",)),
        ("_secret:str", ("starts with an underscore",)),
        ("__tablename__:str", ("starts with an underscore",)),
        ("1st:str", ("starts with a digit",)),
        ("publishedOn:date", ("not snake_case", "did you mean 'published_on'?")),
        ("published-on:date", ("did you mean 'published_on'?",)),
        ("a__b:str", ("not snake_case", "did you mean 'a_b'?")),
        ("x" * 64 + ":str", ("64 characters", "limit of 63")),
    ],
)
def test_bad_field_names(token: str, fragments: tuple[str, ...]) -> None:
    refused(token, *fragments)


@pytest.mark.parametrize(
    ("name", "shown", "code_point"),
    [
        ("t\u0456tle", "'t\u0456tle'", "U+0456 CYRILLIC SMALL LETTER BYELORUSSIAN"),
        ("ti\u200btle", "'ti\\u200btle'", "U+200B ZERO WIDTH SPACE"),
        ("tit\u202ele", "'tit\\u202ele'", "U+202E RIGHT-TO-LEFT OVERRIDE"),
        ("\uff54itle", "'\uff54itle'", "U+FF54 FULLWIDTH LATIN SMALL LETTER T"),
    ],
)
def test_non_ascii_field_names_are_refused_visibly(
    name: str, shown: str, code_point: str
) -> None:
    refused(f"{name}:str", f"field name {shown} contains non-ASCII", code_point)


def test_keyword_renaming_suggests_the_resource_prefix() -> None:
    with pytest.raises(SpecError) as caught:
        parse_cli_resource("book", ["class:str"])
    assert "use e.g. 'book_class'" in caught.value.problems[0]


def _resource_problems(name: str, fields: list[str]) -> list[str]:
    with pytest.raises(SpecError) as caught:
        parse_cli_resource(name, fields)
    return list(caught.value.problems)


@pytest.mark.parametrize(
    ("first", "second", "note"),
    [
        ("title:str", "title:text", ""),
        ("title:str", "Title:str", "after Unicode NFKC normalisation and case folding"),
        ("title:str", "\uff54\uff49\uff54\uff4c\uff45:str", "NFKC"),
    ],
)
def test_duplicate_field_names(first: str, second: str, note: str) -> None:
    problems = _resource_problems("book", [first, second])
    duplicate = [line for line in problems if "duplicate field name" in line]
    assert len(duplicate) == 1
    assert duplicate[0].startswith(f"field {second!r}")
    assert note in duplicate[0]


def test_database_names_past_63_bytes_are_refused() -> None:
    problems = _resource_problems(
        "a_rather_long_resource_name", ["x" * 40 + ":str", "title:strng"]
    )
    assert any("unknown type 'strng'" in p for p in problems), problems
    assert any("past PostgreSQL's 63" in p and "ck_" in p for p in problems), problems


@pytest.mark.parametrize(
    ("field", "longest"),
    [
        # 27 + 1 + 24 + 11 bytes with ck_ and _max_length: the length CHECK
        ("n" * 24 + ":str", "_max_length"),
        # an int's bound CHECK ends in _min
        ("n" * 31 + ":int:min=1", "_min"),
        # a searchable optional str has no CHECK, but a trigram index
        ("n" * 30 + ":str?", "_trgm"),
    ],
)
def test_constraint_and_index_names_past_63_bytes_are_refused(
    field: str, longest: str
) -> None:
    problems = _resource_problems("a_rather_long_resource_name", [field])
    (problem,) = problems
    assert "past PostgreSQL's 63" in problem
    assert f"{longest}' would have" in problem


def test_enum_type_names_past_63_bytes_are_refused() -> None:
    field = "s" * 25
    problems = _resource_problems("long_name_for_book", [f"{field}:enum(a,b)"])
    assert any("past PostgreSQL's 63" in p for p in problems), problems


def test_enum_class_clashing_with_a_generated_class_is_refused() -> None:
    problems = _resource_problems("book", ["create:enum(a,b)"])
    assert any("class 'BookCreate'" in p for p in problems), problems


def test_all_problems_are_reported_at_once() -> None:
    problems = _resource_problems(
        "class",
        [
            "title:strng",
            "price:decimal(5,6)",
            "status:enum(a,a):default=z",
            "t\u200b:str",
            "ok:str",
            "n:int:min=3:max=1:pattern=x",
        ],
    )
    assert problems[0].startswith("resource name 'class'")
    assert sum("'title:strng'" in p for p in problems) == 1
    assert sum("'price:decimal(5,6)'" in p for p in problems) == 1
    assert sum("'status:enum(a,a):default=z'" in p for p in problems) == 1
    assert sum("'t\\u200b:str'" in p for p in problems) == 1
    assert sum("'n:int:min=3:max=1:pattern=x'" in p for p in problems) == 2
    assert not any("'ok:str'" in p for p in problems)
    assert len(problems) == 7


def test_each_problem_is_one_line() -> None:
    problems = problems_of("a\nb:str\n")
    assert all("\n" not in line for line in problems)
    assert "'a\\nb'" in problems[0]


@pytest.mark.parametrize("field", ["x:float:max=-7.46e104", "x:float:min=1e16"])
def test_a_float_bound_past_1e15_is_refused_with_the_fix(field: str) -> None:
    with pytest.raises(SpecError, match="past the ±1e15 a float bound may have"):
        parse_field(field)
