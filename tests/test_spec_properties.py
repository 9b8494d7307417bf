"""Property-based tests: valid fields round-trip, anything else is a SpecError."""

from __future__ import annotations

import datetime as dt
import json
import tempfile
from collections.abc import Callable
from decimal import Decimal
from pathlib import Path
from typing import Any

import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from scaffold.errors import SpecError
from scaffold.spec import (
    FieldSpec,
    FieldType,
    load_spec_file,
    parse_cli_resource,
    parse_field,
)
from scaffold.spec._names import field_name_problems
from scaffold.spec._relations import singular_of

NAMES = st.from_regex(r"[a-z][a-z0-9]{1,8}(?:_[a-z0-9]{1,6})?", fullmatch=True).filter(
    lambda name: not field_name_problems(name)
)
SAFE_TEXT = st.text(
    alphabet="abcdefghijklmnopqrstuvwxyzABC0123456789 -_./@é", max_size=20
)


class Draft:
    """A field being drawn: its token pieces, mapping form and expectations."""

    def __init__(self, name: str, type_token: str, mapping: dict[str, Any]) -> None:
        self.name = name
        self.type_token = type_token
        self.modifiers: list[str] = []
        self.mapping = mapping
        self.expected: dict[str, Any] = {}

    def add(self, token: str, key: str, file_value: Any, expected: Any) -> None:
        self.modifiers.append(token)
        self.mapping[key] = file_value
        self.expected[key] = expected


def _bounds(
    draw: st.DrawFn,
    draft: Draft,
    values: st.SearchStrategy[Any],
    *,
    empty_max: bool = True,
) -> None:
    low, high = draw(st.none() | values), draw(st.none() | values)
    if low is not None and high is not None and low > high:
        low, high = high, low
    if not empty_max and high == 0:
        high = None  # a string whose max is 0 could hold nothing: refused
    for key, value in (("min", low), ("max", high)):
        if value is not None:
            draft.add(f"{key}={value}", key, str(value), value)


@st.composite
def fields(draw: st.DrawFn) -> Draft:
    """A valid field with the FieldSpec attributes it must parse into."""
    name = draw(NAMES)
    kind = draw(st.sampled_from([t.value for t in FieldType]))
    draft = Draft(name, kind, {"type": kind})
    if kind == "str" and draw(st.booleans()):
        length = draw(st.integers(1, 300))
        draft.type_token = f"str({length})"
        draft.mapping["max_length"] = length
        draft.expected["length"] = length
    if kind == "decimal" and draw(st.booleans()):
        precision = draw(st.integers(2, 20))
        scale = draw(st.integers(0, precision - 1))
        draft.type_token = f"decimal({precision},{scale})"
        draft.mapping.update(precision=precision, scale=scale)
        draft.expected.update(precision=precision, scale=scale)
    if kind == "enum":
        choices = draw(
            st.lists(
                st.from_regex(r"[a-z][a-z0-9_-]{0,8}", fullmatch=True),
                min_size=1,
                max_size=5,
                unique_by=lambda c: c.upper().replace("-", "_"),
            )
        )
        draft.type_token = f"enum({','.join(choices)})"
        draft.mapping["choices"] = choices
        draft.expected["choices"] = tuple(choices)
    optional = draw(st.booleans())
    draft.mapping["optional"] = optional
    draft.expected["optional"] = optional
    if kind not in ("json", "bool", "text") and draw(st.booleans()):
        draft.add("unique", "unique", True, True)
    if kind not in ("json", "text") and draw(st.booleans()):
        draft.add("index", "index", True, True)
    _draw_constraints(draw, draft, kind)
    return draft


def _draw_constraints(draw: st.DrawFn, draft: Draft, kind: str) -> None:
    if kind in ("str", "text"):
        limit = draft.expected.get("length", 255) if kind == "str" else 1000
        _bounds(draw, draft, st.integers(0, limit), empty_max=False)
        # a required str or text is non-empty unless it declares a min
        floor = 0 if draft.expected["optional"] else 1
        low = draft.expected.get("min", floor)
        high = draft.expected.get("max", limit)
        pattern = draw(st.none() | st.sampled_from([r"^\d\d:\d\d$", "^[a-z:]*$"]))
        if pattern is not None:
            draft.add(f"pattern={pattern}", "pattern", pattern, pattern)
        default = draw(st.sampled_from(["12:30", "a:b"]) if pattern else SAFE_TEXT)
        fits = pattern is None or (pattern, default) in (
            (r"^\d\d:\d\d$", "12:30"),
            ("^[a-z:]*$", "a:b"),
        )
        if fits and low <= len(default) <= high and draw(st.booleans()):
            draft.add(f"default={default}", "default", default, default)
    elif kind == "int":
        _bounds(draw, draft, st.integers(-(2**63), 2**63 - 1))
    elif kind == "float":
        # past ±1e15 a float bound is refused (see test_spec_errors)
        _bounds(draw, draft, st.floats(-1e15, 1e15, allow_nan=False))
    elif kind == "decimal":
        scale = draft.expected.get("scale", 2)
        whole = draft.expected.get("precision", 12) - scale
        values = st.integers(-(10 ** (whole + scale)) + 1, 10 ** (whole + scale) - 1)
        _bounds(draw, draft, values.map(lambda n: Decimal(n).scaleb(-scale)))
    elif kind == "bool" and draw(st.booleans()):
        flag = draw(st.booleans())
        draft.add(f"default={str(flag).lower()}", "default", flag, flag)
    elif kind == "date" and draw(st.booleans()):
        day = draw(st.dates())
        draft.add(f"default={day.isoformat()}", "default", day.isoformat(), day)
    elif kind == "datetime" and draw(st.booleans()):
        offset = dt.timezone(dt.timedelta(minutes=draw(st.integers(-720, 720))))
        moment = draw(st.datetimes(timezones=st.just(offset)))
        text = moment.isoformat()
        draft.add(f"default={text}", "default", text, moment)
    elif kind == "uuid" and draw(st.booleans()):
        key = draw(st.uuids())
        draft.add(f"default={key}", "default", str(key), key)
    elif kind == "enum" and draw(st.booleans()):
        choice = draw(st.sampled_from(draft.expected["choices"]))
        draft.add(f"default={choice}", "default", choice, choice)
    elif kind == "url" and draw(st.booleans()):
        url = "http://localhost:8000/" + draw(st.sampled_from(["", "a", "a:b"]))
        draft.add(f"default={url}", "default", url, url)


def _token(draw: Callable[..., Any], draft: Draft, optional: bool) -> str:
    modifiers = draw(st.permutations(draft.modifiers))
    return ":".join(
        [draft.name, draft.type_token + ("?" if optional else ""), *modifiers]
    )


@given(st.data())
def test_a_valid_token_parses_into_what_it_says(data: st.DataObject) -> None:
    draft = data.draw(fields())
    token = _token(data.draw, draft, draft.expected["optional"])
    spec = parse_field(token)
    assert spec.name == draft.name
    for key, value in draft.expected.items():
        assert getattr(spec, key) == value, (token, key)
        if key in ("default", "min", "max"):
            assert type(getattr(spec, key)) is type(value), (token, key)


def _comparable(spec: FieldSpec) -> dict[str, Any]:
    return spec.model_dump(exclude={"enum_class", "enum_db_name"})


@settings(deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.data())
def test_the_mapping_form_parses_into_the_same_field(data: st.DataObject) -> None:
    draft = data.draw(fields())
    token = _token(data.draw, draft, draft.expected["optional"])
    spec = {"resources": [{"name": "item", "fields": {draft.name: draft.mapping}}]}
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "spec.json"
        path.write_text(json.dumps(spec), encoding="utf-8")
        (item,) = load_spec_file(path)
    assert _comparable(item.fields[0]) == _comparable(parse_field(token))


_GRAMMAR_PIECES = st.sampled_from(
    [
        "a",
        "title",
        ":",
        "?",
        "(",
        ")",
        ",",
        "=",
        "str",
        "text",
        "int",
        "float",
        "decimal",
        "bool",
        "date",
        "datetime",
        "uuid",
        "email",
        "url",
        "json",
        "enum",
        "ref",
        "refs",
        "unique",
        "index",
        "default=",
        "min=",
        "max=",
        "pattern=",
        "0",
        "10",
        "-1",
        "1e999",
        "nan",
        "2024-01-01",
        "T10:00:00Z",
        "true",
        "[",
        "\\",
        "(?=",
        "é",
        "\u200b",
        "\u202e",
        " ",
        "\n",
        "_",
    ]
)


@given(st.text() | st.lists(_GRAMMAR_PIECES, max_size=14).map("".join))
def test_any_text_is_a_field_or_a_spec_error(token: str) -> None:
    try:
        spec = parse_field(token)
    except SpecError as error:
        assert error.problems
        assert all(line and "\n" not in line for line in error.problems)
    else:
        assert spec.name == token.partition(":")[0]


@given(st.text(max_size=12), st.lists(st.text(max_size=20), max_size=4))
def test_any_cli_resource_is_a_resource_or_a_spec_error(
    name: str, tokens: list[str]
) -> None:
    try:
        parse_cli_resource(name, tokens)
    except SpecError as error:
        assert error.problems


_JSON = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats() | st.text(max_size=8),
    lambda inner: (
        st.lists(inner, max_size=3)
        | st.dictionaries(
            st.sampled_from(
                [
                    "resources",
                    "name",
                    "fields",
                    "type",
                    "min",
                    "default",
                    "choices",
                    "to",
                    "on_delete",
                    "inverse",
                    "summary",
                    "x",
                ]
            )
            | st.text(max_size=5),
            inner,
            max_size=4,
        )
    ),
    max_leaves=12,
)


@settings(deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    st.sampled_from([".json", ".yaml", ".toml"]),
    st.text(max_size=80) | _JSON.map(json.dumps) | _JSON.map(yaml.safe_dump),
)
def test_any_file_content_is_resources_or_a_spec_error(suffix: str, text: str) -> None:
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / f"spec{suffix}"
        path.write_text(text, encoding="utf-8")
        try:
            load_spec_file(path)
        except SpecError as error:
            assert all(line.startswith(str(path)) for line in error.problems)
            assert all("\n" not in line for line in error.problems)


@settings(deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(_JSON)
def test_any_resource_structure_is_a_resource_or_a_spec_error(resource: Any) -> None:
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "spec.json"
        path.write_text(json.dumps({"resources": [resource]}), encoding="utf-8")
        try:
            load_spec_file(path)
        except SpecError as error:
            assert error.problems


@st.composite
def references(draw: st.DrawFn) -> tuple[str, dict[str, Any], dict[str, Any]]:
    """A valid ref/refs field: its token, its mapping form, what it must parse into."""
    name = draw(NAMES.filter(lambda n: n != "item"))
    many = draw(st.booleans())
    target = draw(st.none() | NAMES.filter(lambda n: n != "item"))
    optional = not many and draw(st.booleans())
    kind = "refs" if many else "ref"
    token = f"{kind}({target})" if target else kind
    mapping: dict[str, Any] = {"type": kind}
    if target:
        mapping["to"] = target
    if optional:
        token += "?"
        mapping["optional"] = True
    expected = {
        "name": name,
        "many": many,
        "optional": optional,
        "key": f"{singular_of(name)}_ids" if many else f"{name}_id",
        "target": target or (singular_of(name) if many else name),
    }
    return token, mapping, expected


@settings(deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(references())
def test_a_reference_parses_alike_in_both_forms(
    reference: tuple[str, dict[str, Any], dict[str, Any]],
) -> None:
    token, mapping, expected = reference
    name = expected["name"]
    (relation,) = parse_cli_resource("item", [f"{name}:{token}"]).relations
    for key, value in expected.items():
        assert getattr(relation, key) == value, (token, key)
    spec = {"resources": [{"name": "item", "fields": {name: mapping}}]}
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "spec.json"
        path.write_text(json.dumps(spec), encoding="utf-8")
        (item,) = load_spec_file(path)
    assert item.relations == (relation,)
