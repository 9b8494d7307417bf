"""Typed view data for the resource templates.

The templates do no logic: every annotation, column, import line and test
value is worked out here from the validated :class:`~scaffold.spec.ResourceSpec`
and handed over as plain strings.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import json
from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any, Literal
from uuid import UUID

from scaffold.project.access import resolve_rules
from scaffold.project.relations import Target
from scaffold.render.samples import InvalidCase, Sample, invalid_cases, sample_for
from scaffold.render.view_access import (
    AccessView,
    access_dependencies,
    access_imports,
    access_view,
    apply_access,
)
from scaffold.render.view_relations import (
    RelationView,
    relation_imports,
    relation_views,
)
from scaffold.spec import FieldSpec, FieldType, ResourceSpec

__all__ = ["FieldView", "IdView", "ResourceView", "build_view", "py_literal"]

IdType = Literal["uuid", "int"]


def py_literal(value: object) -> str:
    """Python source for a constant: a default or a test value, never code."""
    if isinstance(value, str) and "\\" in value and _raw_safe(value):
        return f'r"{value}"'
    if isinstance(value, Decimal):
        return f'Decimal("{value}")'
    if isinstance(value, dt.datetime):
        return repr(value).replace("datetime.timezone.utc", "UTC")
    return repr(value)


def _raw_safe(text: str) -> bool:
    """Whether ``r"text"`` spells ``text`` exactly (and stays on one line)."""
    return text.isprintable() and '"' not in text and not text.endswith("\\")


class _Names:
    """Spell imported names so that no field name shadows them.

    A field may be called ``date`` or ``datetime``; in a module with such a
    field the ``datetime`` module is imported as ``dt`` and used qualified.
    """

    def __init__(self, field_names: Iterable[str]) -> None:
        taken = set(field_names)
        self.qualified = bool(taken & {"date", "datetime", "time", "dt"})
        self.alias = "_dt" if "dt" in taken else "dt"

    def datetime_name(self, name: str) -> str:
        return f"{self.alias}.{name}" if self.qualified else name

    def datetime_import(self, names: Iterable[str]) -> list[str]:
        wanted = sorted(set(names))
        if not wanted:
            return []
        if self.qualified:
            return [f"import datetime as {self.alias}"]
        return [f"from datetime import {', '.join(wanted)}"]


@dataclass
class FieldView:
    """What the templates need of one field."""

    spec: FieldSpec
    name: str
    param: str
    label: str
    python_type: str
    model_line: str
    model_sa_type: str | None
    alias: str
    alias_type: str | None
    create_annotation: str
    create_default: str | None
    read_annotation: str
    filter_annotation: str
    migration_column: str
    unique_name: str
    index_name: str
    sample: str
    samples: Sample
    compare: str
    default_json: str | None
    cases: list[InvalidCase]


@dataclass
class IdView:
    """The primary key."""

    python_type: str
    path_type: str
    model_line: str
    migration_column: str
    missing: str


@dataclass
class EnumView:
    """A generated ``StrEnum``."""

    class_name: str
    field: str
    members: list[Any]


@dataclass
class ResourceView:
    """Everything the resource templates render."""

    class_name: str
    table: str
    url: str
    module: str
    var: str
    var_plural: str
    doc_title: str
    doc_noun: str
    doc_plural: str
    id_param: str
    id: IdView
    pk_name: str
    fields: list[FieldView]
    enums: list[EnumView]
    example: dict[str, Any]
    model_imports: list[str] = field(default_factory=list)
    schema_imports: list[str] = field(default_factory=list)
    repository_imports: list[str] = field(default_factory=list)
    service_imports: list[str] = field(default_factory=list)
    endpoint_imports: list[str] = field(default_factory=list)
    test_imports: list[str] = field(default_factory=list)
    test_constants: list[Any] = field(default_factory=list)
    write_errors: tuple[str, ...] = ("400", "409")
    names: _Names = field(default_factory=lambda: _Names(()))
    relations: list[RelationView] = field(default_factory=list)
    type_checking_imports: list[str] = field(default_factory=list)
    access: AccessView = field(
        default_factory=lambda: AccessView("public", "public", False, False, "UUID")
    )

    @property
    def owned(self) -> bool:
        """Whether each row has an owner (``owner_id``)."""
        return self.access.owned

    @property
    def project_auth(self) -> bool:
        """Whether the project has users."""
        return self.access.project_auth

    @property
    def refs(self) -> list[RelationView]:
        """Many-to-one relations: a foreign key column each."""
        return [r for r in self.relations if not r.many]

    @property
    def links(self) -> list[RelationView]:
        """Many-to-many relations: an association table each."""
        return [r for r in self.relations if r.many]

    @property
    def required_refs(self) -> list[RelationView]:
        """References a new row must have."""
        return [r for r in self.refs if not r.optional]

    @property
    def summaries(self) -> list[RelationView]:
        """Relations whose objects the read schema returns."""
        return [r for r in self.relations if r.summary]

    @property
    def reference_args(self) -> str:
        """Keyword arguments of a test's create call setting every relation."""
        return ", ".join(f"{r.key}={r.row_ids}" for r in self.relations)

    @property
    def load_options(self) -> list[str]:
        """Loader options of list and get: ``selectinload(Book.tags)``..."""
        return [
            r.load_option.format(cls=self.class_name)
            for r in self.relations
            if r.load_option is not None
        ]

    @property
    def not_null_names(self) -> list[str]:
        """Fields and references PATCH refuses to set to null."""
        refs = [r.key for r in self.relations if r.many or not r.optional]
        return [*self.required_names, *refs]

    @property
    def setup_param(self) -> str:
        """The test parameter for the rows the relations refer to, if needed."""
        return next((r.setup_param for r in self.relations if r.setup_param), "")

    @property
    def owner_model_line(self) -> str:
        """The model's ``owner_id`` column of an owned resource."""
        return (
            f"owner_id: Mapped[{self.id.python_type}] = mapped_column("
            'ForeignKey("users.id", ondelete="CASCADE"), index=True)'
        )

    @property
    def owner_migration_column(self) -> str:
        """The migration's ``owner_id`` column of an owned resource."""
        sa_type = "sa.Uuid()" if self.id.python_type == "UUID" else "sa.Integer()"
        return f'sa.Column("owner_id", {sa_type}, nullable=False)'

    def _select(self, attribute: str) -> list[FieldView]:
        return [f for f in self.fields if getattr(f.spec, attribute)]

    @property
    def sort_fields(self) -> list[FieldView]:
        """Fields ``sort`` may name."""
        return self._select("sortable")

    @property
    def sort_values(self) -> list[str]:
        """Every accepted value of ``sort``: ``field`` and ``-field``."""
        names = [*(f.name for f in self.sort_fields), "created_at", "updated_at"]
        return [value for name in names for value in (name, f"-{name}")]

    @property
    def filter_fields(self) -> list[FieldView]:
        """Fields the list endpoint filters on by equality."""
        return self._select("filterable")

    @property
    def search_fields(self) -> list[FieldView]:
        """Fields ``q`` searches in."""
        return self._select("searchable")

    @property
    def unique_fields(self) -> list[FieldView]:
        """Fields with a unique constraint."""
        return self._select("unique")

    @property
    def indexed_fields(self) -> list[FieldView]:
        """Fields with a non-unique index."""
        return [f for f in self.fields if f.spec.index and not f.spec.unique]

    @property
    def required_names(self) -> list[str]:
        """Fields that cannot be null (PATCH refuses an explicit null)."""
        return [f.name for f in self.fields if not f.spec.nullable]

    @property
    def defaults(self) -> list[FieldView]:
        """Fields with a declared default."""
        return [f for f in self.fields if f.default_json is not None]

    @property
    def defaults_left_out(self) -> str:
        """Arguments that leave every defaulted field out of a test payload."""
        return ", ".join(f"{f.name}=MISSING" for f in self.defaults)

    @property
    def datetime_type(self) -> str:
        """How the schemas module spells ``datetime``."""
        return self.names.datetime_name("datetime")

    @property
    def a_noun(self) -> str:
        """The noun with its indefinite article: ``a book``, ``an author``."""
        article = "an" if self.doc_noun[:1] in "aeiou" else "a"
        return f"{article} {self.doc_noun}"

    @property
    def has_url(self) -> bool:
        """A field holds a URL (validated as ``HttpUrl``, stored as text)."""
        return any(f.spec.type is FieldType.URL for f in self.fields)

    @property
    def missing_id(self) -> str:
        """The name of the tests' constant for an id no row has."""
        return "MISSING_ID"

    @property
    def sort_test(self) -> FieldView | None:
        """A sortable field whose samples sort in row order, for the sort test."""
        kinds = (FieldType.STR, FieldType.TEXT, FieldType.INT, FieldType.DATE)
        return next(
            (
                f
                for f in self.sort_fields
                if f.spec.type in kinds
                and f.spec.pattern is None
                and f.samples.increasing
            ),
            None,
        )

    @property
    def filter_test(self) -> FieldView | None:
        """A filterable field whose samples differ between rows."""
        return next((f for f in self.filter_fields if f.samples.distinct), None)

    @property
    def search_test(self) -> FieldView | None:
        """A searchable field whose samples differ between rows."""
        return next(
            (
                f
                for f in self.search_fields
                if f.samples.distinct and f.spec.pattern is None
            ),
            None,
        )

    @property
    def patch_field(self) -> FieldView | None:
        """The field the partial-update test changes, if the resource has one."""
        return [*(f for f in self.fields if f.samples.distinct), *self.fields, None][0]

    @property
    def invalid_cases(self) -> list[InvalidCase]:
        """Every invalid-value case of every field."""
        return [case for f in self.fields for case in f.cases]


#: Column types named more precisely than the spec's: ``Mapped[float]`` maps to
#: ``Double`` since SQLAlchemy 2.1, so models and migrations both say so.
_SA_NAMES = {"Float": "Double"}


def _sa_type(spec: FieldSpec, *, prefix: str, enum_class: str | None) -> str:
    sa = spec.sa_type
    name = _SA_NAMES.get(sa.name, sa.name)
    args = [str(arg) for arg in sa.args]
    kwargs = dict(sa.kwargs)
    if sa.name == "String" and prefix:
        return f"{prefix}String(length={args[0]})"
    if sa.name == "Enum":
        if enum_class:
            args = [enum_class]
            kwargs["values_callable"] = "enum_values"
        else:
            args = [repr(choice) for choice in spec.choices]
    rendered = [
        *args,
        *(
            f"{key}={value if key == 'values_callable' else py_literal(value)}"
            for key, value in kwargs.items()
        ),
    ]
    return f"{prefix}{name}({', '.join(rendered)})"


#: Field types whose column type SQLAlchemy infers from the annotation.
_INFERRED = (
    FieldType.INT,
    FieldType.FLOAT,
    FieldType.BOOL,
    FieldType.DATE,
    FieldType.DATETIME,
    FieldType.UUID,
)


def _model_sa_type(spec: FieldSpec) -> str | None:
    """The SQLAlchemy type the model must name, if the annotation is not enough."""
    name = _SA_NAMES.get(spec.sa_type.name, spec.sa_type.name)
    if spec.type in _INFERRED and name not in ("BigInteger", "Double"):
        return None
    return name


def _model_line(
    spec: FieldSpec, annotation: str, enum_class: str | None, names: _Names
) -> str:
    options: list[str] = []
    if _model_sa_type(spec):
        options.append(_sa_type(spec, prefix="", enum_class=enum_class))
    if spec.unique:
        options.append("unique=True")
    if spec.index and not spec.unique:
        options.append("index=True")
    if spec.default is not None and spec.type is not FieldType.JSON:
        options.append(f"default={_default_source(spec, enum_class, names)}")
    mapped = f"Mapped[{annotation}{' | None' if spec.nullable else ''}]"
    if not options:
        return f"{spec.name}: {mapped}"
    return f"{spec.name}: {mapped} = mapped_column({', '.join(options)})"


def _default_source(spec: FieldSpec, enum_class: str | None, names: _Names) -> str:
    """Python source of the field's default, spelled as the module imports it."""
    value = spec.default
    if spec.type is FieldType.ENUM and enum_class:
        member = next(m for m in spec.enum_members if m.value == value)
        return f"{enum_class}.{member.name}"
    if isinstance(value, dt.datetime):
        utc = value.astimezone(dt.UTC)
        parts = [utc.year, utc.month, utc.day, utc.hour, utc.minute, utc.second]
        if utc.microsecond:
            parts.append(utc.microsecond)
        listed = ", ".join(str(part) for part in parts)
        tz = names.datetime_name("UTC")
        return f"{names.datetime_name('datetime')}({listed}, tzinfo={tz})"
    if isinstance(value, dt.date):
        listed = f"{value.year}, {value.month}, {value.day}"
        return f"{names.datetime_name('date')}({listed})"
    return py_literal(value)


def _default_json(spec: FieldSpec) -> str | None:
    """The default as the API returns it, or None if not compared as text."""
    if spec.default is None:
        return None
    if isinstance(spec.default, bool):
        return "True" if spec.default else "False"
    value = spec.default
    if isinstance(value, dt.datetime):
        return None  # its JSON spelling varies (Z or +00:00); not compared as text
    if isinstance(value, Decimal | UUID | dt.date):
        return repr(str(value))
    return repr(json.loads(json.dumps(value)))


def _compare(spec: FieldSpec, names: _Names) -> str:
    key = repr(spec.name)
    if spec.type is FieldType.DECIMAL:
        return f"assert Decimal(body[{key}]) == Decimal(payload[{key}])"
    if spec.type is FieldType.FLOAT:
        return f"assert body[{key}] == pytest.approx(payload[{key}])"
    if spec.type is FieldType.DATETIME:
        parse = names.datetime_name("datetime") + ".fromisoformat"
        return f"assert {parse}(body[{key}]) == {parse}(payload[{key}])"
    return f"assert body[{key}] == payload[{key}]"


def _field_view(
    spec: FieldSpec, resource: ResourceSpec, names: _Names, enum_class: str | None
) -> FieldView:
    table = resource.names.table
    pascal = "".join(part.capitalize() for part in spec.name.split("_"))
    if spec.type in (FieldType.DATE, FieldType.DATETIME):
        python_type = names.datetime_name(spec.python_type.name)
    elif spec.type is FieldType.ENUM:
        python_type = enum_class or "str"
    else:
        python_type = spec.python_type.annotation
    schema_type = {
        FieldType.EMAIL: "EmailStr",
        FieldType.URL: "HttpUrlStr",
        FieldType.DATETIME: "UtcDatetime",
    }.get(spec.type, python_type)
    constraints = ", ".join(
        f"{key}={py_literal(value)}" for key, value in spec.constraints.items()
    )
    alias_type = (
        f"Annotated[{schema_type}, Field({constraints})]" if constraints else None
    )
    alias = f"{pascal}Field" if alias_type else schema_type
    if spec.nullable:
        create_annotation, create_default = f"{alias} | None", "None"
    elif spec.default is not None:
        create_annotation = alias
        create_default = _default_source(spec, enum_class, names)
        if spec.type is FieldType.JSON:
            create_default = py_literal(spec.default)
    else:
        create_annotation, create_default = alias, None
    read_type = "str" if spec.type in (FieldType.EMAIL, FieldType.URL) else python_type
    samples = sample_for(
        spec, plural=resource.names.url_path, constant=f"{spec.name.upper()}_SAMPLES"
    )
    migration_args = [repr(spec.name), _sa_type(spec, prefix="sa.", enum_class=None)]
    migration_args.append(f"nullable={spec.nullable}")
    return FieldView(
        spec=spec,
        name=spec.name,
        param=spec.param_name,
        label=spec.name.replace("_", " "),
        python_type=python_type,
        model_line=_model_line(spec, python_type, enum_class, names),
        model_sa_type=_model_sa_type(spec),
        alias=alias,
        alias_type=alias_type,
        create_annotation=create_annotation,
        create_default=create_default,
        read_annotation=f"{read_type} | None" if spec.nullable else read_type,
        filter_annotation=(
            alias if spec.type not in (FieldType.URL, FieldType.EMAIL) else read_type
        ),
        migration_column=f"sa.Column({', '.join(migration_args)})",
        unique_name=f"uq_{table}_{spec.name}",
        index_name=f"ix_{table}_{spec.name}",
        sample=samples.expression,
        samples=samples,
        compare=_compare(spec, names),
        default_json=_default_json(spec),
        cases=invalid_cases(spec),
    )


def _id_view(id_type: IdType) -> IdView:
    if id_type == "uuid":
        return IdView(
            python_type="UUID",
            path_type="UUID",
            model_line=(
                "id: Mapped[UUID] = mapped_column(primary_key=True, default=uuid4)"
            ),
            migration_column='sa.Column("id", sa.Uuid(), nullable=False)',
            missing='"00000000-0000-0000-0000-000000000000"',
        )
    return IdView(
        python_type="int",
        path_type="Annotated[int, Path(ge=1, le=2_147_483_647)]",
        model_line="id: Mapped[int] = mapped_column(primary_key=True)",
        migration_column='sa.Column("id", sa.Integer(), nullable=False)',
        missing="2147483647",
    )


#: The id the OpenAPI examples show for a reference.
_EXAMPLE_IDS: dict[str, str | int] = {
    "uuid": "3fa85f64-5717-4562-b3fc-2c963f66afa6",
    "int": 1,
}


def build_view(
    resource: ResourceSpec,
    *,
    id_type: IdType,
    targets: dict[str, Target] | None = None,
    project_auth: bool = False,
) -> ResourceView:
    """Work out everything the templates render for ``resource``.

    Args:
        resource: The validated resource spec.
        id_type: The project's primary-key type.
        targets: The resources it refers to, by singular name (default: itself).
        project_auth: Whether the project has users; decides the default
            rules (see :func:`scaffold.project.access.resolve_rules`).

    Returns:
        The view.
    """
    n = resource.names
    rules = resolve_rules(resource, project_auth=project_auth)
    names = _Names(f.name for f in resource.fields)
    enums = [
        EnumView(f.enum_class or "", f.name, list(f.enum_members))
        for f in resource.fields
        if f.type is FieldType.ENUM
    ]
    enum_of = {e.field: e.class_name for e in enums}
    fields = [
        _field_view(spec, resource, names, enum_of.get(spec.name))
        for spec in resource.fields
    ]
    view = ResourceView(
        class_name=n.class_name,
        table=n.table,
        url=n.url_path,
        module=n.module,
        var=n.instance_var,
        var_plural=n.collection_var,
        doc_title=n.human.capitalize(),
        doc_noun=n.human,
        doc_plural=n.human_plural,
        id_param=f"{n.instance_var}_id",
        id=_id_view(id_type),
        pk_name=f"pk_{n.table}",
        fields=fields,
        enums=enums,
        example={f.name: f.samples.values[0] for f in fields},
        names=names,
        access=access_view(
            rules, project_auth=project_auth, owner_python=_id_view(id_type).python_type
        ),
    )
    own = dataclasses.replace(
        Target.of(resource.names), read=rules.read, write=rules.write, owned=rules.owned
    )
    known = {resource.names.singular: own, **(targets or {})}
    view.relations = relation_views(resource, known, id_type)
    apply_access(view)
    example_id = _EXAMPLE_IDS[id_type]
    view.example.update({r.key: example_id for r in view.required_refs})
    _imports(view, names, id_type)
    access_imports(view)
    if view.relations:
        relation_imports(view, id_type)
    return view


def _imports(view: ResourceView, names: _Names, id_type: IdType) -> None:
    """Fill in each module's import lines (ruff sorts and groups them)."""
    kinds = {f.spec.type for f in view.fields}
    cls = view.class_name
    schemas = f"{cls}Create, {cls}Query, {cls}Read, {cls}Update"
    module = view.module
    id_imports = ["from uuid import UUID"] if id_type == "uuid" else []
    dt_names = [
        name
        for kind, name in ((FieldType.DATE, "date"), (FieldType.DATETIME, "datetime"))
        if kind in kinds
    ]
    defaults = [f.spec.default for f in view.fields]
    if any(isinstance(value, dt.datetime) for value in defaults):
        dt_names += ["UTC", "datetime"]
    elif any(isinstance(value, dt.date) for value in defaults):
        dt_names.append("date")
    decimal = ["from decimal import Decimal"] if FieldType.DECIMAL in kinds else []
    uuid_field = ["from uuid import UUID"] if FieldType.UUID in kinds else []
    any_import = ["from typing import Any"] if FieldType.JSON in kinds else []
    enum_names = [e.class_name for e in view.enums]

    sa_names = sorted(
        {f.model_sa_type for f in view.fields if f.model_sa_type}
        | ({"ForeignKey"} if view.owned else set())
    )
    view.model_imports = [
        *names.datetime_import(dt_names),
        *decimal,
        *(["from enum import StrEnum"] if view.enums else []),
        *any_import,
        *(["from uuid import UUID, uuid4"] if id_type == "uuid" else uuid_field),
        *([f"from sqlalchemy import {', '.join(sa_names)}"] if sa_names else []),
        "from sqlalchemy.orm import Mapped, mapped_column",
        "from app.core.database import Base, TimestampMixin"
        + (", enum_values" if view.enums else ""),
    ]
    pydantic = ["BaseModel", "ConfigDict", "Field"]
    if view.required_names or any(r.many or not r.optional for r in view.relations):
        pydantic.append("field_validator")
    if FieldType.EMAIL in kinds:
        pydantic.append("EmailStr")
    if FieldType.URL in kinds:
        pydantic += ["HttpUrl", "PlainSerializer"]
    typing = ["Any", "Literal"]
    if any(f.alias_type for f in view.fields) or FieldType.URL in kinds:
        typing.append("Annotated")
    view.schema_imports = [
        *names.datetime_import(["datetime", *dt_names]),
        *decimal,
        f"from typing import {', '.join(sorted(set(typing)))}",
        *sorted(set(id_imports + uuid_field)),
        f"from pydantic import {', '.join(sorted(pydantic))}",
        *(
            [f"from app.models.{module} import {', '.join(enum_names)}"]
            if enum_names
            else []
        ),
        "from app.schemas.common import PageQuery"
        + (", UtcDatetime" if FieldType.DATETIME in kinds else ""),
    ]
    unique_kinds = {f.spec.type for f in view.unique_fields}
    view.repository_imports = [
        "from collections.abc import Sequence",
        *(["from typing import Any"] if view.sort_values else []),
        *sorted(
            set(id_imports)
            | ({"from uuid import UUID"} if FieldType.UUID in unique_kinds else set())
            | (
                {"from decimal import Decimal"}
                if FieldType.DECIMAL in unique_kinds
                else set()
            )
        ),
        *names.datetime_import(
            name
            for kind, name in (
                (FieldType.DATE, "date"),
                (FieldType.DATETIME, "datetime"),
            )
            if kind in unique_kinds
        ),
        "from sqlalchemy import func, select" + (", or_" if view.search_fields else ""),
        "from sqlalchemy.ext.asyncio import AsyncSession",
        *(
            ["from sqlalchemy.orm import InstrumentedAttribute"]
            if view.sort_values
            else []
        ),
        *(["from app.core.database import escape_like"] if view.search_fields else []),
        f"from app.models.{module} import {cls}",
        f"from app.schemas.{module} import {cls}Query",
    ]
    view.service_imports = [
        "from collections.abc import Awaitable",
        "from typing import Any",
        *id_imports,
        "from sqlalchemy.exc import IntegrityError",
        "from sqlalchemy.ext.asyncio import AsyncSession",
        "from app.core.errors import ConflictError, NotFoundError",
        f"from app.models.{module} import {cls}",
        f"from app.repositories.{module} import {cls}Repository",
        "from app.schemas.common import Page",
        f"from app.schemas.{module} import {schemas}",
    ]
    view.endpoint_imports = [
        "from typing import Annotated",
        *id_imports,
        "from fastapi import APIRouter, Depends, Query, status"
        + (", Path" if id_type == "int" else ""),
        f"from app.api.deps import {', '.join(access_dependencies(view))}",
        f"from app.models.{module} import {cls}",
        "from app.schemas.common import Page, error_responses",
        f"from app.schemas.{module} import {schemas}",
        f"from app.services.{module} import {cls}Service",
    ]
    compares = " ".join(f.compare for f in view.fields)
    view.test_imports = [
        *(names.datetime_import(["datetime"]) if "fromisoformat" in compares else []),
        *(decimal if "Decimal(" in compares else []),
        "from typing import Any",
        "import pytest",
        "from httpx import AsyncClient",
    ]
    view.test_constants = [
        _Constant("MISSING", "object()"),
        _Constant("MISSING_ID", view.id.missing),
        *(
            _Constant(*f.samples.constant)
            for f in view.fields
            if f.samples.constant is not None
        ),
    ]


@dataclass(frozen=True)
class _Constant:
    name: str
    value: str
