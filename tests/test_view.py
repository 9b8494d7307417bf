"""Typed view data: the strings the templates paste into generated modules.

Where a string is Python source, it is checked by evaluating it in a namespace
built from the import lines the view gives that module, the way the generated
module itself would resolve it.
"""

from __future__ import annotations

import ast
import datetime as dt
import json
import sys
import uuid
from collections.abc import Iterable
from decimal import Decimal
from typing import Any, Literal

import pytest
from hypothesis import example, given
from hypothesis import strategies as st
from pydantic import TypeAdapter, ValidationError

from scaffold.project.relations import Target
from scaffold.render.environment import render_macro
from scaffold.render.imports import Imports
from scaffold.render.literals import Names, with_article
from scaffold.render.view import FieldView, ResourceView, build_view, py_literal
from scaffold.render.view_checks import check_views
from scaffold.spec import ResourceSpec, parse_cli_resource, parse_field
from tests.generated_common import common_names

#: Where py_literal's spellings of non-builtin constants come from.
LITERAL_NAMES: dict[str, Any] = {
    "Decimal": Decimal,
    "datetime": dt,
    "UTC": dt.UTC,
    "UUID": uuid.UUID,
}


def view_of(
    fields: list[str], *, name: str = "book", id_type: Literal["uuid", "int"] = "uuid"
) -> ResourceView:
    return build_view(parse_cli_resource(name, fields), id_type=id_type)


def field_of(view: ResourceView, name: str) -> FieldView:
    return next(f for f in view.fields if f.name == name)


def namespace(import_lines: Iterable[str]) -> dict[str, Any]:
    """What a module's import lines bind.

    Standard-library imports must work. The generated project's own ``app``
    package, and what needs its dependencies (FastAPI, greenlet...), is left out.
    """
    names: dict[str, Any] = {}
    for line in import_lines:
        if not line:
            continue  # the blank line between two groups
        module = line.split()[1].split(".")[0]
        if module == "app":
            continue
        try:
            exec(line, names)  # noqa: S102 - import lines built by the view
        except ImportError:
            if module in sys.stdlib_module_names:
                raise
    return names


def model_line(field: FieldView) -> str:
    """The field's line in the model, as the templates print it."""
    return render_macro("resource/_macros.jinja", "model_column", field)


def model_default(field: FieldView) -> str:
    """The source of ``default=`` in a field's model line."""
    statement = ast.parse(model_line(field)).body[0]
    assert isinstance(statement, ast.AnnAssign)
    assert isinstance(statement.value, ast.Call)
    keyword = next(k for k in statement.value.keywords if k.arg == "default")
    return ast.unparse(keyword.value)


# --- date and datetime spellings ------------------------------------------------


def test_fields_named_date_and_datetime_use_the_qualified_module() -> None:
    # Given fields that would shadow `date` and `datetime` in the class body
    view = view_of(["date:date", "datetime:datetime", "title:str"])

    # Then the module is imported under an alias and every type is qualified
    for imports in (view.model_imports, view.schema_imports):
        assert "import datetime as dt" in imports
        assert not any(line.startswith("from datetime") for line in imports)
    assert field_of(view, "date").python_type == "dt.date"
    assert field_of(view, "datetime").python_type == "dt.datetime"
    assert model_line(field_of(view, "date")) == "date: Mapped[dt.date]"
    assert field_of(view, "datetime").read_annotation == "dt.datetime"
    assert view.datetime_type == "dt.datetime"


def test_qualified_names_resolve_with_the_qualified_imports() -> None:
    view = view_of(["date:date", "datetime:datetime?"])

    model = namespace(view.model_imports)
    schemas = namespace(view.schema_imports)

    assert eval(field_of(view, "date").python_type, model) is dt.date  # noqa: S307
    assert eval(field_of(view, "datetime").python_type, model) is dt.datetime  # noqa: S307
    assert eval(view.datetime_type, schemas) is dt.datetime  # noqa: S307


def test_without_a_clash_the_names_are_imported_plainly() -> None:
    view = view_of(["published_on:date", "starts_at:datetime"])

    assert "from datetime import date, datetime" in view.model_imports
    assert "from datetime import date, datetime" in view.schema_imports
    assert field_of(view, "published_on").python_type == "date"
    assert model_line(field_of(view, "starts_at")) == "starts_at: Mapped[datetime]"
    assert view.datetime_type == "datetime"
    model = namespace(view.model_imports)
    assert eval("date", model) is dt.date  # noqa: S307


def test_only_the_date_name_is_imported_when_only_dates_are_declared() -> None:
    view = view_of(["published_on:date"])

    assert "from datetime import date" in view.model_imports
    # the schemas still need datetime, for created_at and updated_at
    assert "from datetime import date, datetime" in view.schema_imports


def test_a_field_named_dt_moves_the_alias_aside() -> None:
    view = view_of(["dt:date", "title:str"])

    assert "import datetime as _dt" in view.model_imports
    assert field_of(view, "dt").python_type == "_dt.date"
    assert view.datetime_type == "_dt.datetime"
    assert eval(view.datetime_type, namespace(view.schema_imports)) is dt.datetime  # noqa: S307


def test_a_str_field_named_date_still_qualifies_created_at() -> None:
    view = view_of(["date:str"])

    assert "import datetime as dt" in view.schema_imports
    assert eval(view.datetime_type, namespace(view.schema_imports)) is dt.datetime  # noqa: S307
    assert field_of(view, "date").python_type == "str"


# --- imports per module ---------------------------------------------------------

EVERY_TYPE = [
    "title:str:unique",
    "body:text?",
    "qty:int",
    "ratio:float?",
    "price:decimal(10,2)",
    "ok:bool",
    "day:date?",
    "at:datetime",
    "ref:uuid",
    "mail:email",
    "site:url?",
    "meta:json?",
]


@pytest.mark.parametrize("id_type", ["uuid", "int"])
def test_every_annotation_resolves_with_its_module_imports(
    id_type: Literal["uuid", "int"],
) -> None:
    view = view_of(EVERY_TYPE, id_type=id_type)

    model = namespace(view.model_imports)
    schemas = namespace(view.schema_imports)
    schemas.update(common_names())  # the project's app.schemas.common

    for f in view.fields:
        eval(f.python_type, model)  # noqa: S307
        eval(f.read_annotation, schemas)  # noqa: S307
        if f.alias_type is not None:
            eval(f.alias_type, schemas)  # noqa: S307
    eval(view.id.python_type, model)  # noqa: S307
    eval(view.id.python_type, namespace(view.endpoint_imports))  # noqa: S307
    eval(view.id.python_type, namespace(view.service_imports))  # noqa: S307


def test_decimal_and_json_bring_their_imports_only_when_used() -> None:
    with_them = view_of(["price:decimal", "meta:json"])
    without = view_of(["title:str"])

    assert "from decimal import Decimal" in with_them.model_imports
    assert "from typing import Any" in with_them.model_imports
    assert "from decimal import Decimal" not in without.model_imports
    assert "from typing import Any" not in without.model_imports


# --- enums ------------------------------------------------------------------------


def test_enum_field_gets_a_str_enum_with_upper_member_names() -> None:
    view = view_of(["status:enum(draft,in-review,published)"])

    [enum] = view.enums
    assert enum.class_name == "BookStatus"
    assert enum.field == "status"
    assert [(m.name, m.value) for m in enum.members] == [
        ("DRAFT", "draft"),
        ("IN_REVIEW", "in-review"),
        ("PUBLISHED", "published"),
    ]
    assert all(m.name.isidentifier() and m.name.isupper() for m in enum.members)


def test_enum_model_line_stores_values_through_enum_values() -> None:
    view = view_of(["status:enum(draft,published):default=draft"])

    status = field_of(view, "status")

    assert status.python_type == "BookStatus"
    assert model_line(status).startswith("status: Mapped[BookStatus] = mapped_column(")
    assert "Enum(BookStatus, " in model_line(status)
    assert "values_callable=enum_values" in model_line(status)
    assert "default=BookStatus.DRAFT" in model_line(status)
    assert "from enum import StrEnum" in view.model_imports
    assert any(
        line.startswith("from app.core.database import") and "enum_values" in line
        for line in view.model_imports
    )
    assert "from app.models.book import BookStatus" in view.schema_imports


def test_enum_migration_column_does_not_use_the_model_class() -> None:
    # A migration must keep working when the model changes: plain values only
    column = field_of(view_of(["status:enum(draft,published)"]), "status")

    assert "BookStatus" not in column.migration_type
    assert column.migration_type.startswith("sa.Enum('draft', 'published', ")


# --- names of constraints, sorting ------------------------------------------------


def test_unique_and_index_names_follow_the_table() -> None:
    view = view_of(
        ["title:str:unique", "slug:str:index", "code:str:unique:index", "note:str"],
        name="blog_post",
    )

    assert [(f.name, f.unique_name) for f in view.unique_fields] == [
        ("title", "uq_blog_posts_title"),
        ("code", "uq_blog_posts_code"),
    ]
    # a unique field already has its index: no second one
    assert [(f.name, f.index_name) for f in view.indexed_fields] == [
        ("slug", "ix_blog_posts_slug")
    ]
    assert "unique=True" in model_line(field_of(view, "title"))
    assert "index=True" in model_line(field_of(view, "slug"))
    assert "index=True" not in model_line(field_of(view, "code"))
    assert "unique=True" not in model_line(field_of(view, "note"))


def test_sort_values_cover_sortable_fields_and_timestamps_both_ways() -> None:
    # Given a JSON field, which cannot be sorted on
    view = view_of(["title:str", "meta:json?", "qty:int"])

    assert view.sort_values == [
        "title",
        "-title",
        "qty",
        "-qty",
        "created_at",
        "-created_at",
        "updated_at",
        "-updated_at",
    ]
    # And the unknown-sort test sends the field that is off the list
    assert view.refused_sort == "meta"


@pytest.mark.parametrize(
    "fields", [["password:str", "title:str(80)"], ["sort:str"], ["no_such_field:int"]]
)
def test_the_refused_sort_is_never_an_allowed_one(fields: list[str]) -> None:
    # Given fields that are all sortable, one named like a secret
    view = view_of(fields)

    # When the value the unknown-sort test sends is chosen / Then it is refused
    assert view.refused_sort not in view.sort_values
    assert view.refused_sort == "no-such-field"


def test_required_references_to_one_target_share_the_tests_row() -> None:
    # Given two required references to people, an optional one, and one to tags
    book = parse_cli_resource(
        "book",
        [
            "author:ref(person)",
            "editor:ref(person):inverse=edited_books",
            "reviewer:ref(person)?:inverse=reviewed_books",
            "tag:ref",
        ],
    )
    targets = {
        name: Target.of(parse_cli_resource(name, []).names)
        for name in ("person", "tag")
    }
    view = build_view(book, id_type="uuid", targets=targets)

    # Then the tests create one person for both required ones, declared once
    shared = [(r.name, r.shared_row, r.declares_row) for r in view.required_refs]
    assert shared == [
        ("author", "person_row", True),
        ("editor", "person_row", False),
        ("tag", None, False),
    ]


# --- primary key ------------------------------------------------------------------


def test_uuid_primary_key() -> None:
    view = view_of(["title:str"], id_type="uuid")

    assert view.id.python_type == "UUID"
    assert "from uuid import UUID, uuid4" in view.model_imports
    assert "from uuid import UUID" in view.endpoint_imports
    assert "default=uuid4" in render_macro(
        "resource/_macros.jinja", "model_id", view.id
    )
    uuid.UUID(eval(view.id.missing))  # noqa: S307 - parses as a UUID


def test_int_primary_key() -> None:
    view = view_of(["title:str"], id_type="int")

    assert view.id.python_type == "int"
    assert not any("uuid" in line for line in view.model_imports)
    assert not any("uuid" in line for line in view.endpoint_imports)
    missing = eval(view.id.missing)  # noqa: S307
    # an id the API accepts (32-bit column), so the test gets 404, not 422
    assert isinstance(missing, int)
    assert 0 < missing <= 2**31 - 1


def test_uuid_field_with_int_primary_key_still_imports_uuid() -> None:
    view = view_of(["ref:uuid"], id_type="int")

    assert "from uuid import UUID" in view.model_imports
    assert "from uuid import UUID" in view.schema_imports
    assert eval(field_of(view, "ref").python_type, namespace(view.model_imports)) is (  # noqa: S307
        uuid.UUID
    )


# --- constraints and defaults as generated source ---------------------------------


def test_schema_aliases_accept_the_samples_and_refuse_the_invalid_cases() -> None:
    view = view_of(
        [
            "code:str(8):pattern=^[A-Z]{3}\\d$:unique",
            "qty:int:min=0:max=99",
            "price:decimal(6,2):min=0",
            "mail:email",
            "body:text:min=2:max=40",
        ]
    )
    schemas = {**namespace(view.schema_imports), **common_names()}

    for f in view.fields:
        assert f.alias_type is not None
        adapter: TypeAdapter[Any] = TypeAdapter(eval(f.alias_type, schemas))  # noqa: S307
        for value in f.samples.values:
            adapter.validate_json(json.dumps(value))
        for case in f.cases:
            if case.expression == "MISSING":
                continue
            with pytest.raises(ValidationError) as caught:
                adapter.validate_json(json.dumps(eval(case.expression, {})))  # noqa: S307
            assert case.error_type in {e["type"] for e in caught.value.errors()}


DEFAULTS = [
    "qty:int:default=3",
    "ratio:float:default=0.25",
    "price:decimal(6,2):default=1.50",
    "ok:bool:default=false",
    'name:str:default=say "hi"',
    "name:str:pattern=^\\d+$:default=42",
    "ref:uuid:default=12345678-1234-5678-1234-567812345678",
    "day:date:default=2024-01-31",
    "at:datetime:default=2024-01-31T12:00:00Z",
    "at:datetime:default=2024-01-31T12:00:00+02:00",
    "date:date:default=2024-01-31",
]


def _resource_with(token: str) -> ResourceSpec:
    return parse_cli_resource("book", ["title:str", token])


@pytest.mark.parametrize("token", DEFAULTS)
def test_schema_default_is_the_declared_value(token: str) -> None:
    resource = _resource_with(token)
    spec = resource.fields[1]
    view = build_view(resource, id_type="uuid")
    schemas = namespace(view.schema_imports)

    default = eval(field_of(view, spec.name).create_default or "", schemas)  # noqa: S307

    assert default == spec.default
    assert type(default) is type(spec.default)


@pytest.mark.parametrize("token", DEFAULTS)
def test_model_default_is_the_declared_value(token: str) -> None:
    resource = _resource_with(token)
    spec = resource.fields[1]
    view = build_view(resource, id_type="uuid")
    model = namespace(view.model_imports)

    default = eval(model_default(field_of(view, spec.name)), model)  # noqa: S307

    assert default == spec.default
    assert type(default) is type(spec.default)


def test_default_json_is_how_the_api_returns_it() -> None:
    view = view_of(
        [
            "price:decimal(6,2):default=1.50",
            "ok:bool:default=true",
            "day:date:default=2024-01-31",
            "qty:int:default=3",
        ]
    )

    assert eval(field_of(view, "price").default_json or "") == "1.50"  # noqa: S307
    assert field_of(view, "ok").default_json == "True"
    assert eval(field_of(view, "day").default_json or "") == "2024-01-31"  # noqa: S307
    assert eval(field_of(view, "qty").default_json or "") == 3  # noqa: S307


# --- py_literal -------------------------------------------------------------------


def test_decimal_keeps_its_exact_digits() -> None:
    assert py_literal(Decimal("1.50")) == 'Decimal("1.50")'
    assert str(eval(py_literal(Decimal("1.50")), LITERAL_NAMES)) == "1.50"  # noqa: S307


def test_regex_with_backslashes_becomes_a_raw_string() -> None:
    assert py_literal(r"^\d{3}-\w+$") == r'r"^\d{3}-\w+$"'


@pytest.mark.parametrize("text", ['a "quoted" \\d', "trailing\\", "\\", "two\\\nlines"])
def test_strings_unsafe_as_raw_strings_use_repr(text: str) -> None:
    assert py_literal(text) == repr(text)


@pytest.mark.parametrize(
    "value",
    [
        0,
        -5,
        2**63 - 1,
        1.5,
        -0.0,
        1e-300,
        True,
        False,
        None,
        "",
        "plain",
        "it's",
        'say "hi"',
        "tab\there",
        "line\nbreak",
        r"C:\path\to",
        r"\d+\.\d{2}",
        "ends with \\",
        "é€😀",
        Decimal("0.001"),
        Decimal("-12.50"),
        Decimal("1E+3"),
        dt.date(2024, 1, 31),
        dt.datetime(2024, 1, 31, 12, 30, tzinfo=dt.UTC),
        dt.datetime(2024, 1, 31, 12, 30, tzinfo=dt.timezone(dt.timedelta(hours=2))),
        uuid.UUID("12345678-1234-5678-1234-567812345678"),
    ],
)
def test_py_literal_round_trips(value: object) -> None:
    source = py_literal(value)

    again = eval(source, dict(LITERAL_NAMES))  # noqa: S307

    assert again == value
    assert type(again) is type(value)
    assert str(again) == str(value)


@given(st.text())
@example("\\d\r")
@example("\\d\x00")
def test_py_literal_round_trips_any_text(text: str) -> None:
    assert eval(py_literal(text), {}) == text  # noqa: S307


@given(st.text(alphabet="abc\\[]{}^$.*+?()|0123456789dws-"))
def test_py_literal_round_trips_regex_like_text(text: str) -> None:
    assert eval(py_literal(text), {}) == text  # noqa: S307


# --- the imports collector ------------------------------------------------------


def test_imports_merge_names_per_module_and_group_like_isort() -> None:
    # Given names added from several decisions, in no particular order
    imports = Imports()
    imports.add("app.models.book", "Book")
    imports.add("sqlalchemy", "select")
    imports.add("pytest")
    imports.add("decimal", "Decimal")
    imports.add("sqlalchemy", "func", "select")
    imports.add("collections.abc", "Sequence")

    # Then each module is imported once, its names sorted, in isort's groups
    assert imports.lines() == [
        "from collections.abc import Sequence",
        "from decimal import Decimal",
        "",
        "import pytest",
        "from sqlalchemy import func, select",
        "",
        "from app.models.book import Book",
    ]


def test_an_empty_collector_renders_nothing() -> None:
    imports = Imports()

    assert not imports
    assert imports.lines() == []
    imports.add("typing", "Any")
    assert imports
    assert list(imports) == ["from typing import Any"]


def test_datetime_names_are_imported_as_the_module_spells_them() -> None:
    plain, shadowed = Imports(), Imports()

    plain.add_datetime(Names(["title"]), ["datetime", "date", "datetime"])
    shadowed.add_datetime(Names(["date"]), ["datetime"])
    shadowed.add_datetime(Names(["date"]), [])

    assert plain.lines() == ["from datetime import date, datetime"]
    assert shadowed.lines() == ["import datetime as dt"]


def test_relations_import_their_loaders_and_the_models_they_refer_to() -> None:
    # Given a resource with a summarised reference and a many-to-many relation
    resource = parse_cli_resource("book", ["title:str", "author:ref", "tags:refs"])
    author = parse_cli_resource("author", ["name:str"])
    tag = parse_cli_resource("tag", ["name:str"])
    targets = {
        "author": Target.of(author.names),
        "tag": Target.of(tag.names),
    }
    view = build_view(resource, id_type="uuid", targets=targets)

    # Then the repository imports exactly the loader of the link and the models
    repository = view.repository_imports.lines()
    (orm,) = [line for line in repository if line.startswith("from sqlalchemy.orm")]
    assert "selectinload" in orm.split()
    assert "joinedload" not in orm
    assert "from app.models.author import Author" in repository
    assert "from app.models.tag import Tag" in repository
    assert list(view.type_checking_imports) == [
        "from app.models.author import Author",
        "from app.models.tag import Tag",
    ]


# --- decisions the templates only print ------------------------------------------


def test_the_article_is_chosen_by_the_view() -> None:
    assert with_article("author") == "an author"
    assert with_article("book") == "a book"
    view = build_view(
        parse_cli_resource("item", ["name:str", "owner_book:ref"]),
        id_type="uuid",
        targets={"owner_book": Target.of(parse_cli_resource("owner_book", []).names)},
    )
    assert view.a_noun == "an item"
    assert view.a_noun_name == "an_item"
    (relation,) = view.relations
    assert relation.a_label == "an owner book"
    assert relation.a_label_name == "an_owner_book"
    assert relation.route_name == "list-by-owner-book"


def test_each_route_documents_its_error_statuses_in_order() -> None:
    view = view_of(["title:str:unique"])

    # A public resource: no 401/403; writes can be refused (400) or clash (409)
    assert view.list_errors == []
    assert view.get_errors == ["404"]
    assert view.create_errors == ["400", "409"]
    assert view.change_errors == ["400", "404", "409"]
    assert view.delete_errors == ["404", "409"]


def test_a_float_bound_at_1e15_is_a_float_and_its_violation_a_step_away() -> None:
    # a step of one is lost at this magnitude; a millionth of it is not
    (check,) = check_views(parse_field("g:float?:min=-1e15"))

    assert float(check.bound) == -1e15
    assert float(check.violation) < float(check.bound)


@pytest.mark.parametrize(
    "field", ["n:int:min=-9223372036854775808", "n:int:max=9223372036854775807"]
)
def test_a_bound_at_the_columns_edge_has_no_violation_to_test(field: str) -> None:
    # one past a 64-bit column's edge cannot even be stored, so no test offers it
    (check,) = check_views(parse_field(field))

    assert not check.testable


def test_a_bound_inside_the_column_is_tested_one_past_it() -> None:
    # past 32 bits the column is a BigInteger, which holds one less
    (check,) = check_views(parse_field("n:int:min=-2147483649"))

    assert check.testable and check.violation == "-2147483650"
    assert not check_views(parse_field("n:int:min=-2147483648"))[0].testable
