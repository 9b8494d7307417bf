"""Tests of the typed view data templates read from FieldSpec and ResourceSpec."""

from __future__ import annotations

import enum
import importlib
import shutil
import subprocess
from decimal import Decimal
from typing import Annotated, Any

import pytest
import sqlalchemy as sa
from pydantic import Field, TypeAdapter, ValidationError

from scaffold.errors import SpecError
from scaffold.spec import (
    SQL_RESERVED,
    SQL_UNQUOTED,
    EnumMember,
    FieldSpec,
    PyType,
    SqlType,
    parse_cli_resource,
    parse_field,
)

BOOK = parse_cli_resource(
    "book",
    [
        "title:str(200):unique",
        "isbn:str(13):unique:pattern=^[0-9]{13}$",
        "price:decimal(10,2):min=0",
        "status:enum(draft,in-progress,published):default=draft",
        "published_on:date?",
        "summary:text?",
        "rating:float:min=0:max=5",
        "copies:int:min=0",
        "views:int:max=10000000000",
        "available:bool:default=true",
        "isbn_checked_at:datetime?",
        "ref:uuid:index",
        "contact:email?",
        "home:url?",
        "extra:json?",
    ],
)


@pytest.mark.parametrize(
    ("name", "annotation", "imports", "schema_annotation"),
    [
        ("title", "str", (), "str"),
        ("price", "Decimal", (("decimal", "Decimal"),), "Decimal"),
        ("status", "BookStatus", (), "BookStatus"),
        ("published_on", "date", (("datetime", "date"),), "date"),
        ("rating", "float", (), "float"),
        ("available", "bool", (), "bool"),
        ("isbn_checked_at", "datetime", (("datetime", "datetime"),), "AwareDatetime"),
        ("ref", "UUID", (("uuid", "UUID"),), "UUID"),
        ("contact", "str", (), "EmailStr"),
        ("home", "str", (), "HttpUrl"),
        ("extra", "dict[str, Any]", (("typing", "Any"),), "dict[str, Any]"),
    ],
)
def test_python_and_schema_types(
    name: str,
    annotation: str,
    imports: tuple[tuple[str, str], ...],
    schema_annotation: str,
) -> None:
    field = BOOK.field(name)
    assert field.python_type.annotation == annotation
    assert field.python_type.imports == imports
    assert field.schema_type.annotation == schema_annotation


@pytest.mark.parametrize(
    ("name", "sa_type"),
    [
        ("title", SqlType(name="String", args=(200,))),
        ("price", SqlType(name="Numeric", args=(10, 2))),
        ("summary", SqlType(name="Text")),
        ("rating", SqlType(name="Float")),
        ("copies", SqlType(name="Integer")),
        ("views", SqlType(name="BigInteger")),
        ("available", SqlType(name="Boolean")),
        ("published_on", SqlType(name="Date")),
        ("isbn_checked_at", SqlType(name="DateTime", kwargs={"timezone": True})),
        ("ref", SqlType(name="Uuid")),
        ("contact", SqlType(name="String", args=(320,))),
        ("home", SqlType(name="String", args=(2083,))),
        ("extra", SqlType(name="JSON")),
        (
            "status",
            SqlType(
                name="Enum",
                kwargs={
                    "name": "book_status",
                    "native_enum": False,
                    "create_constraint": True,
                    "length": 11,
                },
            ),
        ),
    ],
)
def test_sqlalchemy_types(name: str, sa_type: SqlType) -> None:
    assert BOOK.field(name).sa_type == sa_type


@pytest.mark.parametrize(
    ("name", "constraints"),
    [
        # a required str is non-empty; an optional one (summary) may be ""
        ("title", {"min_length": 1, "max_length": 200}),
        ("isbn", {"min_length": 1, "max_length": 13, "pattern": "^[0-9]{13}$"}),
        (
            "price",
            {
                "max_digits": 10,
                "decimal_places": 2,
                "ge": Decimal(0),
                "allow_inf_nan": False,
            },
        ),
        ("rating", {"ge": 0.0, "le": 5.0, "allow_inf_nan": False}),
        ("copies", {"ge": 0, "le": 2**31 - 1}),
        ("views", {"ge": -(2**63), "le": 10_000_000_000}),
        ("summary", {}),
        ("contact", {"max_length": 320}),
        ("status", {}),
    ],
)
def test_pydantic_constraints(name: str, constraints: dict[str, Any]) -> None:
    assert BOOK.field(name).constraints == constraints


def _python_type(field: FieldSpec) -> Any:
    if field.type == "enum":
        return enum.StrEnum("E", {m.name: m.value for m in field.enum_members})
    schema_type = field.schema_type
    if schema_type.args:
        return dict[str, Any]
    return getattr(importlib.import_module(schema_type.module), schema_type.name)


@pytest.mark.parametrize("field", BOOK.fields, ids=lambda f: f.name)
def test_constraints_build_a_pydantic_validator_that_accepts_the_default(
    field: FieldSpec,
) -> None:
    constraints: dict[str, Any] = dict(field.constraints)
    annotated: Any = Annotated[_python_type(field), Field(**constraints)]
    adapter: TypeAdapter[Any] = TypeAdapter(annotated)
    if field.default is not None:
        adapter.validate_python(field.default)
    if field.name == "copies":
        with pytest.raises(ValidationError):
            adapter.validate_python(2**31)


def test_enum_view_data() -> None:
    status = BOOK.field("status")
    assert status.enum_class == "BookStatus"
    assert status.enum_db_name == "book_status"
    assert status.enum_members == (
        EnumMember(name="DRAFT", value="draft"),
        EnumMember(name="IN_PROGRESS", value="in-progress"),
        EnumMember(name="PUBLISHED", value="published"),
    )
    assert [f.name for f in BOOK.enum_fields] == ["status"]


def test_a_standalone_enum_field_has_a_class_name_of_its_own() -> None:
    field = parse_field("order_state:enum(a,b)")
    assert (field.enum_class, field.enum_db_name) == ("OrderState", "order_state")


def test_default_list_options() -> None:
    assert [f.name for f in BOOK.filterable] == [
        "title",
        "isbn",
        "status",
        "available",
        "ref",
    ]
    assert [f.name for f in BOOK.searchable] == ["title", "isbn", "summary", "contact"]
    assert "extra" not in BOOK.sort_keys
    assert BOOK.sort_keys[:4] == ("id", "created_at", "updated_at", "title")


def test_required_and_optional() -> None:
    assert [f.name for f in BOOK.required_fields] == [
        "title",
        "isbn",
        "price",
        "rating",
        "copies",
        "views",
        "ref",
    ]
    assert [f.name for f in BOOK.unique_fields] == ["title", "isbn"]
    summary = BOOK.field("summary")
    assert summary.nullable and not summary.required and not summary.has_default


def test_field_lookup() -> None:
    assert BOOK.field("title").title == "Title"
    assert BOOK.field("published_on").title == "Published on"
    with pytest.raises(KeyError):
        BOOK.field("nope")


def test_models_are_frozen_plain_data() -> None:
    with pytest.raises(ValidationError):
        BOOK.field("title").name = "other"  # type: ignore[misc]
    dumped = BOOK.model_dump()
    assert dumped["names"]["table"] == "books"
    assert dumped["fields"][2]["min"] == Decimal(0)
    assert PyType(module="decimal", name="Decimal").imports == (("decimal", "Decimal"),)


def _accepted_reserved_words() -> list[str]:
    names = []
    for word in sorted(SQL_RESERVED):
        try:
            names.append(parse_field(f"{word}:str").name)
        except SpecError:  # refused for another reason (a keyword, a builtin...)
            continue
    return names


def _reserved_table(sa: Any, metadata: Any, names: list[str]) -> Any:
    return sa.Table(
        "user",
        metadata,
        sa.Column("id", sa.Integer, primary_key=True),
        *(sa.Column(name, sa.String(10), index=True) for name in names),
    )


def test_sql_words_sqlalchemy_does_not_quote_are_refused() -> None:
    for word in SQL_UNQUOTED:
        with pytest.raises(SpecError, match="SQLAlchemy does not quote"):
            parse_field(f"{word}:str")
    with pytest.raises(SpecError, match="table name 'lateral'"):
        parse_cli_resource("side", [], plural="lateral")


def test_sqlite_accepts_every_accepted_reserved_word() -> None:
    names = _accepted_reserved_words()
    assert {"order", "group", "user", "select", "limit", "where"} <= set(names)
    metadata = sa.MetaData()
    table = _reserved_table(sa, metadata, names)
    engine = sa.create_engine("sqlite://")
    metadata.create_all(engine)
    with engine.begin() as connection:
        connection.execute(table.insert().values({name: "x" for name in names}))
        query = sa.select(*table.c).where(table.c.order == "x").order_by(table.c.group)
        assert connection.execute(query).one()._mapping["select"] == "x"


@pytest.mark.postgres
def test_postgresql_accepts_every_accepted_reserved_word(
    require_postgres: None,
) -> None:
    from sqlalchemy.dialects import postgresql
    from sqlalchemy.schema import CreateIndex, CreateTable

    psql = shutil.which("psql")
    assert psql is not None, "psql is needed to talk to the PostgreSQL server"
    names = _accepted_reserved_words()
    table = _reserved_table(sa, sa.MetaData(), names)
    dialect = postgresql.dialect()  # type: ignore[no-untyped-call]
    literal = {"literal_binds": True}
    statements = [
        CreateTable(table).compile(dialect=dialect),
        *(CreateIndex(index).compile(dialect=dialect) for index in table.indexes),
        table.insert()
        .values({"id": 1, **{name: "x" for name in names}})
        .compile(dialect=dialect, compile_kwargs=literal),
        sa.select(*table.c)
        .where(table.c.order == "x")
        .order_by(table.c.group)
        .compile(dialect=dialect, compile_kwargs=literal),
    ]
    script = "BEGIN;\n" + "".join(f"{s};\n" for s in statements) + "ROLLBACK;\n"
    result = subprocess.run(
        [psql, "-h", "127.0.0.1", "-U", "postgres", "-v", "ON_ERROR_STOP=1", "-q"],
        input=script,
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stderr


@pytest.mark.parametrize(
    ("token", "lower_bound"),
    [
        ("a:str", 1),
        ("a:text", 1),
        ("a:str:min=0", 0),
        ("a:str:min=3", 3),
        ("a:str?", None),
        ("a:email", None),
        ("a:int", None),
    ],
)
def test_a_required_str_is_non_empty_unless_it_sets_min_0(
    token: str, lower_bound: int | None
) -> None:
    assert parse_field(token).lower_bound == lower_bound
