"""Tests of spec files: YAML, TOML and JSON, their locations and JSON Schema."""

from __future__ import annotations

import datetime as dt
import json
from decimal import Decimal
from pathlib import Path

import jsonschema
import pytest

from scaffold.errors import SpecError
from scaffold.spec import (
    FieldSpec,
    ResourceSpec,
    load_spec_file,
    parse_cli_resource,
    spec_json_schema,
)

YAML = """\
$schema: ./scaffold-spec.schema.json
version: 1
resources:
  - name: book
    fields:
      title: str(200):unique
      isbn: "str(13):unique:pattern=^[0-9]{13}$"
      price: {type: decimal, precision: 10, scale: 2, min: 0}
      status:
        type: enum
        choices: [draft, published]
        default: draft
      published_on: date?
      summary: {type: text, optional: true}
    filterable: [status, isbn]
    searchable: [title, summary]
  - name: person
    plural: persons
    table: staff
    fields:
      born_at: {type: datetime, default: "2000-01-01T00:00:00+00:00"}
"""

TOML = """\
version = 1

[[resources]]
name = "book"
filterable = ["status", "isbn"]
searchable = ["title", "summary"]

[resources.fields]
title = "str(200):unique"
isbn = "str(13):unique:pattern=^[0-9]{13}$"
price = { type = "decimal", precision = 10, scale = 2, min = 0 }
status = { type = "enum", choices = ["draft", "published"], default = "draft" }
published_on = "date?"
summary = { type = "text", optional = true }

[[resources]]
name = "person"
plural = "persons"
table = "staff"

[resources.fields]
born_at = { type = "datetime", default = 2000-01-01T00:00:00Z }
"""

JSON_SPEC = {
    "resources": [
        {
            "name": "book",
            "fields": {
                "title": "str(200):unique",
                "isbn": "str(13):unique:pattern=^[0-9]{13}$",
                "price": {"type": "decimal", "precision": 10, "scale": 2, "min": 0},
                "status": {
                    "type": "enum",
                    "choices": ["draft", "published"],
                    "default": "draft",
                },
                "published_on": "date?",
                "summary": {"type": "text", "optional": True},
            },
            "filterable": ["status", "isbn"],
            "searchable": ["title", "summary"],
        },
        {
            "name": "person",
            "plural": "persons",
            "table": "staff",
            "fields": {
                "born_at": {"type": "datetime", "default": "2000-01-01T00:00:00Z"}
            },
        },
    ]
}


def write(tmp_path: Path, name: str, text: str) -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def problems_of(path: Path) -> list[str]:
    with pytest.raises(SpecError) as caught:
        load_spec_file(path)
    return list(caught.value.problems)


@pytest.fixture(params=["yaml", "yml", "toml", "json"])
def spec_path(request: pytest.FixtureRequest, tmp_path: Path) -> Path:
    kind = request.param
    text = {"yaml": YAML, "yml": YAML, "toml": TOML}.get(kind) or json.dumps(JSON_SPEC)
    return write(tmp_path, f"books.{kind}", text)


def test_every_format_loads_the_same_resources(spec_path: Path) -> None:
    book, person = load_spec_file(spec_path)
    assert [f.name for f in book.fields] == [
        "title",
        "isbn",
        "price",
        "status",
        "published_on",
        "summary",
    ]
    assert book.field("price").min == Decimal(0)
    assert book.field("status").default == "draft"
    assert [f.name for f in book.filterable] == ["isbn", "status"]
    assert [f.name for f in book.searchable] == ["title", "summary"]
    assert (person.names.plural, person.names.table) == ("persons", "staff")
    born_at = person.field("born_at").default
    assert born_at == dt.datetime(2000, 1, 1, tzinfo=dt.UTC)


def test_the_string_and_mapping_forms_give_the_same_fields(tmp_path: Path) -> None:
    cli = parse_cli_resource(
        "book",
        [
            "title:str(200):unique",
            "isbn:str(13):unique:pattern=^[0-9]{13}$",
            "price:decimal(10,2):min=0",
            "status:enum(draft,published):default=draft",
            "published_on:date?",
            "summary:text?",
        ],
    )
    spec = json.loads(json.dumps(JSON_SPEC))
    del spec["resources"][0]["filterable"], spec["resources"][0]["searchable"]
    from_file = load_spec_file(write(tmp_path, "b.json", json.dumps(spec)))[0]
    assert from_file == cli


def test_a_spec_file_problem_names_file_resource_and_field(tmp_path: Path) -> None:
    path = write(tmp_path, "books.yaml", YAML.replace("min: 0", "min: x"))
    assert problems_of(path) == [
        f"{path}: resources[0].fields.price.min: min 'x' is not a number; "
        "write e.g. 0, 9.99 or -1.5"
    ]


def test_string_form_problems_are_located_at_the_field(tmp_path: Path) -> None:
    path = write(
        tmp_path, "b.yaml", "resources:\n- name: book\n  fields:\n    a: strng\n"
    )
    (problem,) = problems_of(path)
    assert problem.startswith(f"{path}: resources[0].fields.a: unknown type 'strng'")
    assert "did you mean 'str'?" in problem


@pytest.mark.parametrize(
    ("written", "fix"),
    [
        ("ref(account)", "{type: ref, to: account}"),
        ("ref(person)?", "{type: ref, to: person, optional: true}"),
        ("refs(tag)", "{type: refs, to: tag}"),
    ],
)
def test_a_reference_in_mapping_form_is_shown_its_to_key(
    tmp_path: Path, written: str, fix: str
) -> None:
    # Given a reference written with its target in the mapping form's type,
    # as the string form writes it (to give it an inverse, say)
    text = (
        "resources:\n- name: account\n  fields:\n    iban: str\n"
        "- name: transfer\n  fields:\n    destination:\n"
        f"      type: {written}\n      inverse: incoming\n"
    )
    path = write(tmp_path, "bank.yaml", text)

    # Then the one problem shows the mapping form that says the same
    (problem,) = problems_of(path)
    assert problem == (
        f"{path}: resources[1].fields.destination.type: type {written!r}: in the "
        f"mapping form a reference names its target with 'to': {fix}"
    )
    # And that form loads
    keys = "".join(f"      {part.strip()}\n" for part in fix[1:-1].split(","))
    fixed = write(
        tmp_path, "fixed.yaml", text.replace(f"      type: {written}\n", keys)
    )
    _, transfer = load_spec_file(fixed)
    (relation,) = transfer.relations
    target = fix.partition("to: ")[2].partition(",")[0].rstrip("}")
    assert (relation.target, relation.inverse) == (target, "incoming")
    assert relation.optional == ("optional" in fix)
    assert relation.many == written.startswith("refs")


def test_all_problems_of_a_file_are_reported_at_once(tmp_path: Path) -> None:
    path = write(
        tmp_path,
        "bad.yaml",
        """\
resources:
  - name: class
    tabel: x
    fields:
      on: str
      price: {type: decimal, precison: 10, scale: 2, min: 0}
      status: {type: enum, choices: [draft, published], default: drafted}
      title: str
      title: text
  - name: Book
    fields:
      n: {type: int, min: 5, max: 1}
      t: {type: "str(20)"}
      when: {type: datetime, default: 2024-01-01 10:00:00}
      s: {type: str, default: 123}
    filterable: [nn, t]
""",
    )
    problems = [p.removeprefix(f"{path}: ") for p in problems_of(path)]
    expected = [
        "line 9: duplicate key 'title'",
        "resources[0].fields: key True is not a string",
        "resources[0].fields.price.precison: unknown key 'precison'",
        "resources[0].tabel: unknown key 'tabel'",
        "resources[0].name: resource name 'class' is a Python keyword",
        "resources[0].fields.status.default: default 'drafted' is not one of",
        "resources[1].fields.n.min: min 5 is greater than max 1",
        "resources[1].fields.t.type: type 'str(20)': the mapping form",
        "resources[1].fields.when.default: default",
        "resources[1].fields.s.default: default 123 is not a string; quote it",
        "resources[1].filterable[0]: unknown field 'nn' in filterable",
    ]
    assert len(problems) == len(expected), problems
    for problem, start in zip(problems, expected, strict=True):
        assert problem.startswith(start), (problem, start)
    assert "did you mean 'precision'?" in problems[2]
    assert "did you mean 'table'?" in problems[3]
    assert "has no time zone" in problems[8]


def test_duplicate_json_keys_are_reported(tmp_path: Path) -> None:
    text = '{"resources": [{"name": "book", "fields": {"a": "int", "a": "str"}}]}'
    assert problems_of(write(tmp_path, "b.json", text)) == [
        f"{tmp_path / 'b.json'}: duplicate key 'a'; each key may appear once"
    ]


def test_yaml_aliases_are_refused(tmp_path: Path) -> None:
    text = "resources:\n- &r {name: book}\n- *r\n"
    (problem,) = problems_of(write(tmp_path, "b.yaml", text))
    assert "line 3" in problem
    assert "aliases (*name) are not supported" in problem


def test_yaml_booleans_are_not_strings(tmp_path: Path) -> None:
    text = "resources:\n- name: book\n  fields:\n    a: {type: str, default: no}\n"
    (problem,) = problems_of(write(tmp_path, "b.yaml", text))
    assert "default False is not a string; quote it" in problem


@pytest.mark.parametrize(
    ("name", "text", "fragment"),
    [
        ("b.yaml", "resources: [", "line 1, column 13"),
        ("b.json", "{", "line 1, column 2: not valid JSON"),
        ("b.toml", "a = ", "not valid TOML"),
        ("b.yaml", "- 1\n", "holds a mapping with a 'resources' list, not list"),
        ("b.yaml", "", "not NoneType"),
        ("b.yaml", "resources: []\n", "resources: list at least one resource"),
        ("b.yaml", "{}\n", "missing required key 'resources'"),
        (
            "b.yaml",
            "version: 2\nresources: [{name: a}]\n",
            "version: Input should be 1",
        ),
        ("b.txt", "", "unknown spec file type '.txt'; use .yaml, .yml, .toml, .json"),
        ("b.yaml", "resources:\n- name: 7\n", "resources[0].name: Input should be"),
        ("b.json", '{"resources": [{"name": "b", "fields": {"a": 1}}]}', "a field is"),
    ],
)
def test_malformed_files(tmp_path: Path, name: str, text: str, fragment: str) -> None:
    (problem,) = problems_of(write(tmp_path, name, text))
    assert problem.startswith(str(tmp_path / name) + ": ")
    assert fragment in problem


def test_missing_and_non_utf8_files(tmp_path: Path) -> None:
    (problem,) = problems_of(tmp_path / "missing.yaml")
    assert "cannot read the file: No such file or directory" in problem
    path = tmp_path / "latin.yaml"
    path.write_bytes(b"resources: [{name: caf\xe9}]")
    (problem,) = problems_of(path)
    assert "not UTF-8" in problem


@pytest.mark.parametrize(
    ("lists", "fragment"),
    [
        ("filterable: [data]", "'data' is a json field, which cannot be filterable"),
        ("sortable: [data]", "'data' is a json field, which cannot be sortable"),
        ("searchable: [n]", "'n' is a int field; searchable fields are str"),
        ("filterable: [n, n]", "'n' is listed twice in filterable"),
        ("sortable: [titel]", "unknown field 'titel' in sortable"),
    ],
)
def test_bad_option_lists(tmp_path: Path, lists: str, fragment: str) -> None:
    text = (
        "resources:\n- name: book\n  fields: {title: str, n: int, data: json}\n"
        f"  {lists}\n"
    )
    (problem,) = problems_of(write(tmp_path, "b.yaml", text))
    assert fragment in problem
    assert "resources[0]." in problem


def test_option_lists_override_the_defaults(tmp_path: Path) -> None:
    text = (
        "resources:\n- name: book\n  fields: {title: str, n: int, ok: bool}\n"
        "  filterable: [n]\n  sortable: []\n  searchable: []\n"
    )
    (book,) = load_spec_file(write(tmp_path, "b.yaml", text))
    assert [f.name for f in book.filterable] == ["n"]
    assert book.sortable == () and book.searchable == ()
    assert book.sort_keys == ("id", "created_at", "updated_at")


def test_resources_must_not_share_names(tmp_path: Path) -> None:
    text = "resources:\n- name: book\n- name: Book\n  table: books2\n"
    problems = problems_of(write(tmp_path, "b.yaml", text))
    assert any(
        "resources[1].name: name 'book' is already used by resources[0]" in p
        for p in problems
    ), problems


def test_the_json_schema_validates_a_sample_spec() -> None:
    schema = spec_json_schema()
    jsonschema.Draft202012Validator.check_schema(schema)
    jsonschema.validate(JSON_SPEC, schema, cls=jsonschema.Draft202012Validator)
    validator = jsonschema.Draft202012Validator(schema)
    bad = {"resources": [{"name": "b", "fields": {"a": "strng", "b": {"typ": "x"}}}]}
    assert len(list(validator.iter_errors(bad))) == 2
    assert list(validator.iter_errors({"resources": []}))


def test_the_json_schema_describes_the_file_format() -> None:
    schema = spec_json_schema()
    assert schema["$schema"] == "https://json-schema.org/draft/2020-12/schema"
    assert "$schema" in schema["properties"]
    mapping = schema["$defs"]["FieldMapping"]
    assert mapping["additionalProperties"] is False
    assert "enum" in mapping["properties"]["type"]["enum"]
    assert mapping["required"] == ["type"]


def test_loaded_models_are_the_public_models(spec_path: Path) -> None:
    resources = load_spec_file(spec_path)
    assert all(isinstance(r, ResourceSpec) for r in resources)
    assert all(isinstance(f, FieldSpec) for r in resources for f in r.fields)
