"""Test data for generated tests: samples the API accepts, values it refuses.

A sample is only useful if the generated factory code really produces it and
the generated API really accepts it; an invalid case only if the API refuses
it with the error type the generated test expects. Both are checked here
against a validator built the way the generated input schema is.
"""

from __future__ import annotations

import json
import re
import uuid
from decimal import Decimal
from enum import StrEnum
from typing import Annotated, Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from pydantic import Field, StrictBool, StrictFloat, TypeAdapter, ValidationError

from scaffold.errors import SpecError
from scaffold.render.decimal_pattern import field_pattern
from scaffold.render.samples import SAMPLES, Sample, invalid_cases, sample_for
from scaffold.spec import FieldSpec, FieldType, parse_field
from tests.generated_common import common_names

COMMON = common_names()
_BASE_TYPES: dict[FieldType, Any] = {
    FieldType.STR: str,
    FieldType.TEXT: str,
    FieldType.INT: int,
    FieldType.FLOAT: StrictFloat,
    FieldType.DECIMAL: Decimal,
    FieldType.BOOL: StrictBool,
    FieldType.DATE: COMMON["IsoDate"],
    FieldType.DATETIME: COMMON["UtcDatetime"],
    FieldType.UUID: uuid.UUID,
    FieldType.EMAIL: COMMON["Email"],
    FieldType.URL: COMMON["HttpUrlStr"],
    FieldType.JSON: dict[str, Any],
}


def api_validator(field: FieldSpec) -> TypeAdapter[Any]:
    """Validate like the generated create schema: its type plus Field(...).

    The input types are the generated project's own (``app/schemas/common.py``);
    an integer's and a decimal's spelling checks come after the ``Field``, and
    free text refuses NUL.
    """
    base: Any = _BASE_TYPES.get(field.type)
    if field.type is FieldType.ENUM:
        members = [(member.name, member.value) for member in field.enum_members]
        base = StrEnum("Choices", members)  # type: ignore[misc,no-redef]
    after: list[Any] = []
    if field.type is FieldType.INT:
        after.append(COMMON["JsonInteger"])
    if field.type is FieldType.DECIMAL:
        after.append(COMMON["DecimalText"](field_pattern(field)))
    constraints = dict(field.constraints)
    if field.type in (FieldType.STR, FieldType.TEXT) and field.pattern is None:
        constraints["pattern"] = COMMON["NO_NUL"]
    return TypeAdapter(Annotated[base, Field(**constraints), *after])


def refusals(field: FieldSpec, value: Any) -> set[str]:
    """The error types the API reports for ``value`` posted as JSON."""
    try:
        api_validator(field).validate_json(json.dumps(value))
    except ValidationError as exc:
        return {str(error["type"]) for error in exc.errors()}
    return set()


def produced(sample: Sample, n: int) -> Any:
    """What the generated factory's expression evaluates to for row ``n``."""
    namespace: dict[str, Any] = {"n": n}
    if sample.constant is not None:
        name, source = sample.constant
        exec(f"{name} = {source}", namespace)  # noqa: S102 - our own generated code
    return eval(sample.expression, namespace)  # noqa: S307 - our own generated code


def distinct_count(values: tuple[Any, ...]) -> int:
    return len({json.dumps(value, sort_keys=True) for value in values})


def samples(token: str) -> tuple[FieldSpec, Sample]:
    field = parse_field(token)
    return field, sample_for(field, plural="books", constant="FIELD_SAMPLES")


TEN_CHOICES = ",".join(f"c{n}" for n in range(10))

SUPPORTED = [
    # every type, bare
    "title:str",
    "code:str(8)",
    "body:text",
    "count:int",
    "ratio:float",
    "price:decimal",
    "price:decimal(10,2)",
    "active:bool",
    "born_on:date",
    "starts_at:datetime",
    "ref:uuid",
    "mail:email",
    "site:url",
    "meta:json",
    "status:enum(draft,published)",
    "title:str?",
    # unique
    "title:str:unique",
    "tag:str(1):unique",
    "tag:str(3):unique",
    "count:int:unique",
    "price:decimal(8,0):unique",
    "ref:uuid:unique",
    "mail:email:unique",
    "site:url:unique",
    "born_on:date:unique",
    "starts_at:datetime:unique",
    f"grade:enum({TEN_CHOICES}):unique",
    # min / max
    "name:str:min=3:max=20",
    "name:str(30):min=25:unique",
    "long_field_name:str:min=40",
    "body:text:min=5:max=50",
    "tag:str:max=2:unique",
    "count:int:min=5",
    "count:int:max=5:unique",
    "count:int:min=0:max=9:unique",
    "count:int:min=-100:max=-50:unique",
    "big:int:min=0:max=10000000000:unique",
    "ratio:float:min=0:max=1:unique",
    "ratio:float:min=-0.5:max=0.5:unique",
    "ratio:float:min=100",
    "price:decimal(5,2):min=0:unique",
    "price:decimal(12,2):min=1000000000:unique",
    "score:decimal(6,3):min=0.001:max=0.5:unique",
    "price:decimal(4,2):max=5",
    # patterns
    "code:str:pattern=^[A-Z]{3}-[0-9]{4}$:unique",
    "code:str(8):pattern=^[A-Z]{2}\\d{2}$:unique",
    "slug:str:pattern=^[a-z0-9]+(?:-[a-z0-9]+)*$:unique",
    "code:str:pattern=(?i)^abc[0-9]$:unique",
    "code:text:pattern=^(red|green|blue)-[0-9]{2}$:min=6:max=8",
    "code:str:pattern=^a\\.b[0-9]$:unique",
    "code:str:pattern=[0-9]:unique",
    "code:str:pattern=^a$",
]


@pytest.mark.parametrize("token", SUPPORTED)
def test_samples_are_accepted_by_the_api(token: str) -> None:
    field, sample = samples(token)

    assert len(sample.values) == SAMPLES
    for value in sample.values:
        assert refusals(field, value) == set(), f"{token}: {value!r} is refused"


@pytest.mark.parametrize("token", SUPPORTED)
def test_sample_expression_produces_the_sample_values(token: str) -> None:
    _, sample = samples(token)

    for n, value in enumerate(sample.values):
        assert produced(sample, n) == value, f"{token}: row {n}"


@pytest.mark.parametrize("token", [t for t in SUPPORTED if ":unique" in t])
def test_samples_of_a_unique_field_never_collide(token: str) -> None:
    _, sample = samples(token)

    assert distinct_count(sample.values) == SAMPLES


@pytest.mark.parametrize("token", [t for t in SUPPORTED if parse_field(t).is_string])
def test_text_samples_match_pattern_and_length_bounds(token: str) -> None:
    field, sample = samples(token)
    bounds = field.constraints

    for value in sample.values:
        assert int(bounds.get("min_length", 0)) <= len(value)
        assert len(value) <= int(bounds.get("max_length", 10**9))
        if field.pattern is not None:
            assert re.search(field.pattern, value), value


def test_sample_constant_is_named_as_asked() -> None:
    # Given a field whose samples cannot be a simple function of n
    field = parse_field("code:str:pattern=^[A-Z]{3}$:unique")

    sample = sample_for(field, plural="books", constant="CODE_SAMPLES")

    # Then the expression reads the constant the caller named
    assert sample.constant is not None
    assert sample.constant[0] == "CODE_SAMPLES"
    assert "CODE_SAMPLES" in sample.expression


def test_url_samples_use_the_resource_url_segment() -> None:
    field = parse_field("site:url:unique")

    sample = sample_for(field, plural="blog-posts", constant="SITE_SAMPLES")

    assert all("/blog-posts/" in value for value in sample.values)


# --- patterns -----------------------------------------------------------------

_CLASSES = {"[A-Z]": 26, "[a-z]": 26, "[0-9]": 10, "\\d": 10, "[xyz]": 3, "[xy]": 2}


@st.composite
def simple_patterns(draw: st.DrawFn) -> tuple[str, int]:
    """An anchored pattern of fixed-length pieces, and how many strings match it.

    Every piece has a fixed length, so each match splits into pieces one way
    and the count is the product of the pieces' counts.
    """
    pieces = draw(
        st.lists(
            st.one_of(
                st.tuples(st.sampled_from(sorted(_CLASSES)), st.integers(1, 4)).map(
                    lambda drawn: (
                        f"{drawn[0]}{{{drawn[1]}}}",
                        _CLASSES[drawn[0]] ** drawn[1],
                    )
                ),
                st.sampled_from(["-", "_", "x", "Q", "\\.", "/"]).map(lambda c: (c, 1)),
                st.lists(
                    st.from_regex(r"[a-z]{2}", fullmatch=True),
                    min_size=2,
                    max_size=4,
                    unique=True,
                ).map(lambda words: ("(" + "|".join(words) + ")", len(words))),
            ),
            min_size=1,
            max_size=4,
        )
    )
    count = 1
    for _, matches in pieces:
        count *= matches
    return "^" + "".join(source for source, _ in pieces) + "$", count


@settings(max_examples=150, deadline=None)
@given(simple_patterns(), st.booleans())
def test_every_sample_matches_a_simple_pattern(
    drawn: tuple[str, int], unique: bool
) -> None:
    pattern, matches = drawn
    field = parse_field(f"code:str:pattern={pattern}" + (":unique" if unique else ""))

    if unique and matches < SAMPLES:
        with pytest.raises(SpecError, match="'code'"):
            sample_for(field, plural="books", constant="CODE_SAMPLES")
        return
    sample = sample_for(field, plural="books", constant="CODE_SAMPLES")

    for n, value in enumerate(sample.values):
        assert re.search(pattern, value), value
        assert refusals(field, value) == set()
        assert produced(sample, n) == value
    if unique:
        assert distinct_count(sample.values) == SAMPLES


@pytest.mark.parametrize(
    "token",
    [
        "code:str:pattern=^a$:unique",
        "code:str:pattern=^(yes|no)$:unique",
        "code:str:pattern=^[0-8]$:unique",
    ],
)
def test_unique_pattern_with_too_few_matches_is_refused_naming_the_field(
    token: str,
) -> None:
    with pytest.raises(SpecError) as caught:
        samples(token)

    message = str(caught.value)
    assert "'code'" in message
    assert "pattern" in message


def test_non_unique_pattern_with_one_match_repeats_it() -> None:
    _, sample = samples("code:str:pattern=^a$")

    assert sample.values == ("a",) * SAMPLES
    assert produced(sample, 7) == "a"


# --- numbers ----------------------------------------------------------------


def test_unique_int_range_narrower_than_the_samples_is_refused() -> None:
    # Given a unique int with only five possible values
    with pytest.raises(SpecError, match="'rating'"):
        samples("rating:int:min=1:max=5:unique")


@pytest.mark.parametrize(
    "token",
    [
        # BUG: fewer than ten values fit, so sample_for gives up even though
        # a non-unique field may repeat values (as patterns do)
        "rating:int:min=1:max=5",
        "share:decimal(4,2):min=0:max=0.05",
    ],
)
def test_narrow_range_on_a_non_unique_field_still_gets_valid_samples(
    token: str,
) -> None:
    field, sample = samples(token)

    for value in sample.values:
        assert refusals(field, value) == set()


@pytest.mark.parametrize(
    "token",
    [
        # BUG: 1.5 .. 10.5 overshoot max=10 by half a step
        "ratio:float:min=0:max=10",
        # BUG: low is taken as -max (100), above the max itself
        "balance:decimal(6,2):max=-100",
    ],
)
def test_range_with_room_for_ten_values_gets_valid_samples(token: str) -> None:
    field, sample = samples(token)

    for value in sample.values:
        assert refusals(field, value) == set()
    assert distinct_count(sample.values) == SAMPLES


def test_float_with_only_a_max_gets_distinct_samples() -> None:
    # Given a unique float bounded above only
    field, sample = samples("ratio:float:max=5:unique")

    # Then ten rows get ten different values (-1e18 + n is -1e18 in a float)
    assert distinct_count(sample.values) == SAMPLES
    for value in sample.values:
        assert refusals(field, value) == set()


# --- strings ----------------------------------------------------------------


def test_fixed_length_string_whose_label_has_a_space_at_the_cut() -> None:
    # Given str(6)-like bounds and the label "Vat id", cut to "Vat " then stripped
    field, sample = samples("vat_id:str:min=6:max=6")

    for value in sample.values:
        assert refusals(field, value) == set()
        assert len(value) == 6


@pytest.mark.parametrize("token", ["mail:email:min=20", "mail:email:max=12"])
def test_email_samples_respect_declared_length_bounds(token: str) -> None:
    field, sample = samples(token)

    for value in sample.values:
        assert refusals(field, value) == set(), value


def test_url_with_a_min_length_gets_long_enough_samples() -> None:
    field, sample = samples("site:url:min=60:unique")

    for value in sample.values:
        assert refusals(field, value) == set(), value


@pytest.mark.parametrize(
    "token",
    [
        # BUG: unbounded repeats stop at 3 more than their minimum
        "sku:str:min=8:max=12:pattern=^[A-Z0-9]+$:unique",
        # BUG: negated classes are not generated, even for a non-unique field
        "handle:str:pattern=^[^@\\s]+$",
    ],
)
def test_satisfiable_pattern_gets_valid_samples(token: str) -> None:
    field, sample = samples(token)

    for value in sample.values:
        assert refusals(field, value) == set(), value


# --- enums ------------------------------------------------------------------


def test_enum_samples_cycle_through_the_choices() -> None:
    _, sample = samples("status:enum(draft,review,published)")

    assert set(sample.values) == {"draft", "review", "published"}
    assert sample.values[:3] == ("draft", "review", "published")


def test_unique_enum_with_fewer_choices_than_rows_is_refused() -> None:
    # Given a unique enum with two choices, while generated tests create up to
    # ten rows with distinct values of every unique field
    field = parse_field("status:enum(draft,published):unique")

    # Then, as for a pattern with too few matches, the field is refused
    with pytest.raises(SpecError, match="'status'"):
        sample_for(field, plural="books", constant="STATUS_SAMPLES")


# --- invalid cases ------------------------------------------------------------

CONSTRAINED = [
    "code:str(8):min=2:pattern=^[A-Z]+$",
    "code:str:pattern=^[0-9]{3}$",
    "title:str",
    "body:text:min=1:max=500",
    "count:int",
    "count:int:min=1:max=100",
    "big:int:min=0:max=10000000000",
    "ratio:float:min=0:max=1",
    "price:decimal(6,2):min=0",
    "price:decimal(6,2):min=-5:max=5",
    "share:decimal(2,2):min=0",
    "rate:decimal(3,3)?:min=-0.5:max=0.25",
    "active:bool",
    "born_on:date",
    "starts_at:datetime",
    "ref:uuid",
    "mail:email",
    "site:url",
    "meta:json",
    "status:enum(draft,published)",
]


@pytest.mark.parametrize("token", CONSTRAINED)
def test_invalid_values_are_refused_with_the_reported_error_type(token: str) -> None:
    field = parse_field(token)

    cases = [case for case in invalid_cases(field) if case.expression != "MISSING"]

    assert cases, "every field type has at least one invalid value"
    for case in cases:
        assert case.field == field.name
        value = eval(case.expression, {})  # noqa: S307 - our own generated code
        assert case.error_type in refusals(field, value), case


@pytest.mark.parametrize(
    ("token", "expected"),
    [
        ("code:str(8)", {"string_too_long"}),
        ("code:str:min=3", {"string_too_short"}),
        ("code:str:pattern=^[0-9]+$", {"string_pattern_mismatch"}),
        ("body:text:min=2:max=9", {"string_too_short", "string_too_long"}),
        ("count:int:min=1:max=9", {"greater_than_equal", "less_than_equal"}),
        ("ratio:float:min=0", {"greater_than_equal"}),
        ("ratio:float:max=1", {"less_than_equal"}),
        (
            "price:decimal(6,2)",
            # "1.000": the places as written, beyond what Pydantic counts
            {"decimal_whole_digits", "decimal_max_places", "string_pattern_mismatch"},
        ),
        ("price:decimal(6,2):min=1", {"greater_than_equal"}),
    ],
)
def test_each_declared_constraint_gets_an_invalid_case(
    token: str, expected: set[str]
) -> None:
    cases = invalid_cases(parse_field(token))

    assert expected <= {case.error_type for case in cases}


def test_unbounded_int_is_refused_beyond_its_column_range() -> None:
    # Given an int column (32-bit) without declared bounds
    cases = invalid_cases(parse_field("count:int"))

    # Then the values just outside the column's range are invalid cases
    values = [
        eval(case.expression, {})  # noqa: S307 - our own generated code
        for case in cases
        if case.expression != "MISSING"
    ]
    assert -(2**31) - 1 in values
    assert 2**31 in values


@pytest.mark.parametrize("token", ["title:str", "count:int", "status:enum(a,b)"])
def test_required_field_has_a_missing_case(token: str) -> None:
    cases = invalid_cases(parse_field(token))

    missing = [case for case in cases if case.expression == "MISSING"]
    assert len(missing) == 1
    assert missing[0].error_type == "missing"


@pytest.mark.parametrize(
    "token",
    ["title:str?", "count:int?", "count:int:default=3", "active:bool:default=true"],
)
def test_optional_or_defaulted_field_has_no_missing_case(token: str) -> None:
    cases = invalid_cases(parse_field(token))

    assert all(case.expression != "MISSING" for case in cases)
    assert all(case.error_type != "missing" for case in cases)


def test_error_types_are_not_repeated_for_one_field() -> None:
    cases = invalid_cases(parse_field("price:decimal(6,2):min=0:max=10"))

    types = [case.error_type for case in cases]
    assert len(types) == len(set(types))


def test_enum_invalid_value_is_not_one_of_the_choices() -> None:
    # Given an enum whose choice happens to be the usual "invalid" value
    field = parse_field("status:enum(no-such-choice,other)")

    cases = [case for case in invalid_cases(field) if case.error_type == "enum"]

    # Then its invalid case is still a value the API refuses
    assert cases
    for case in cases:
        value = eval(case.expression, {})  # noqa: S307 - our own generated code
        assert value not in field.choices
        assert "enum" in refusals(field, value)
