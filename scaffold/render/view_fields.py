"""The views of one field and of the primary key."""

from __future__ import annotations

import datetime as dt
import json
from decimal import Decimal
from uuid import UUID

from scaffold.project.answers import IdType
from scaffold.render.decimal_pattern import field_pattern
from scaffold.render.literals import Names, py_literal
from scaffold.render.samples import invalid_cases, sample_for
from scaffold.render.view_model import Comparison, FieldView, IdView
from scaffold.spec import FieldSpec, FieldType, ResourceSpec

__all__ = [
    "EXAMPLE_IDS",
    "INPUT_TYPE_IMPORTS",
    "column_type",
    "field_constraints",
    "field_view",
    "free_text",
    "id_view",
]


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


def column_type(spec: FieldSpec) -> str:
    """The column type as a migration spells it: ``sa.String(length=200)``."""
    return _sa_type(spec, prefix="sa.", enum_class=None)


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


def _column_type(spec: FieldSpec, enum_class: str | None) -> str | None:
    """The column type the model names, if its annotation is not enough."""
    if _model_sa_type(spec) is None:
        return None
    return _sa_type(spec, prefix="", enum_class=enum_class)


def _model_default(spec: FieldSpec, enum_class: str | None, names: Names) -> str | None:
    """The model's ``default=``.

    JSON defaults are set by the schema only, and so are an optional field's:
    SQLAlchemy would put a column's default in place of an explicit ``None``,
    where the API stores the null it was sent.
    """
    if spec.default is None or spec.type is FieldType.JSON or spec.nullable:
        return None
    return _default_source(spec, enum_class, names)


def _default_source(spec: FieldSpec, enum_class: str | None, names: Names) -> str:
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


#: How the tests compare a value the API returns with the one sent, by type:
#: as decimals, approximately, as parsed datetimes; else for equality.
_COMPARISONS: dict[FieldType, Comparison] = {
    FieldType.DECIMAL: "decimal",
    FieldType.FLOAT: "approx",
    FieldType.DATETIME: "datetime",
}


#: The types of input fields that differ from the stored type, and the module
#: of each: they accept exactly what their JSON schema says (no ``0`` for
#: ``false``, no number for a date, a decimal or a string).
INPUT_TYPE_IMPORTS: dict[FieldType, tuple[str, str]] = {
    FieldType.BOOL: ("pydantic", "StrictBool"),
    FieldType.INT: ("app.schemas.common", "JsonInteger"),
    FieldType.FLOAT: ("pydantic", "StrictFloat"),
    FieldType.DATE: ("app.schemas.common", "IsoDate"),
    FieldType.DECIMAL: ("app.schemas.common", "DecimalText"),
    FieldType.EMAIL: ("app.schemas.common", "Email"),
    FieldType.URL: ("app.schemas.common", "HttpUrlStr"),
    FieldType.DATETIME: ("app.schemas.common", "UtcDatetime"),
    FieldType.JSON: ("app.schemas.common", "JsonObject"),
}
_INPUT_TYPES: dict[FieldType, str] = {
    kind: name
    for kind, (_, name) in INPUT_TYPE_IMPORTS.items()
    if kind not in (FieldType.INT, FieldType.DECIMAL)
}


def free_text(spec: FieldSpec) -> bool:
    """A ``str`` or ``text`` field without a pattern: it refuses U+0000 (NUL).

    PostgreSQL cannot store it, nor compare with it; the schema says so.
    """
    return spec.type in (FieldType.STR, FieldType.TEXT) and spec.pattern is None


def _decimal_pattern(spec: FieldSpec) -> list[str]:
    """The strings a decimal field accepts (see :func:`field_pattern`).

    In pieces that fit on a line, cut before an alternative: the source
    spells the pattern as adjacent string literals.
    """
    pattern = field_pattern(spec)
    if len(pattern) <= _ONE_LINE:
        return [pattern]
    pieces = [""]
    for part in pattern.split("|"):
        if pieces[-1] and len(pieces[-1]) + len(part) > _PIECE:
            pieces.append("|" + part)
        else:
            pieces[-1] += ("|" if pieces[-1] else "") + part
    return pieces


#: The longest piece of a pattern on one line of source.
_PIECE = 64
#: The longest pattern that fits in one literal on the line of its alias.
_ONE_LINE = 66


def _filter_annotation(
    spec: FieldSpec, alias: str, constraints: str
) -> tuple[str, str | None]:
    """The type of a filter's query parameter on ``spec``, and its alias's type.

    A query string holds only text, so booleans and numbers are parsed from it
    (the strict input types would refuse ``true``) under the field's bounds,
    through an alias of their own. Emails and URLs are read as the field reads
    them (normalised as stored; text that is no email or URL answers 422).
    """
    if spec.type in (FieldType.BOOL, FieldType.INT, FieldType.FLOAT):
        kind = spec.python_type.annotation
        if not constraints:
            return kind, None
        pascal = "".join(part.capitalize() for part in spec.name.split("_"))
        return f"{pascal}Filter", f"Annotated[{kind}, Field({constraints})]"
    return alias, None


def field_constraints(spec: FieldSpec) -> str:
    """The arguments of the ``Field(...)`` of ``spec``'s input type; "" for none."""
    constraints = ", ".join(
        f"{key}={py_literal(value)}" for key, value in spec.constraints.items()
    )
    if free_text(spec):
        constraints += ", pattern=NO_NUL" if constraints else "pattern=NO_NUL"
    return constraints


def field_view(
    spec: FieldSpec, resource: ResourceSpec, names: Names, enum_class: str | None
) -> FieldView:
    table = resource.names.table
    pascal = "".join(part.capitalize() for part in spec.name.split("_"))
    if spec.type in (FieldType.DATE, FieldType.DATETIME):
        python_type = names.datetime_name(spec.python_type.name)
    elif spec.type is FieldType.ENUM:
        python_type = enum_class or "str"
    else:
        python_type = spec.python_type.annotation
    schema_type = _INPUT_TYPES.get(spec.type, python_type)
    constraints = field_constraints(spec)
    metadata = f"Field({constraints})" if constraints else ""
    if spec.type is FieldType.INT:
        metadata += ", JsonInteger"
    if spec.type is FieldType.DECIMAL:
        pieces = " ".join(py_literal(piece) for piece in _decimal_pattern(spec))
        metadata += f", DecimalText({pieces})"
    alias_type = f"Annotated[{schema_type}, {metadata}]" if metadata else None
    alias = f"{pascal}Field" if alias_type else schema_type
    create_annotation = f"{alias} | None" if spec.nullable else alias
    create_default: str | None
    if spec.default is not None:
        create_default = _default_source(spec, enum_class, names)
        if spec.type is FieldType.JSON:
            create_default = py_literal(spec.default)
    else:
        create_default = "None" if spec.nullable else None
    read_type = "str" if spec.type in (FieldType.EMAIL, FieldType.URL) else python_type
    filter_annotation, filter_alias_type = _filter_annotation(spec, alias, constraints)
    samples = sample_for(
        spec, plural=resource.names.url_path, constant=f"{spec.name.upper()}_SAMPLES"
    )
    return FieldView(
        spec=spec,
        name=spec.name,
        param=spec.param_name,
        label=spec.name.replace("_", " "),
        python_type=python_type,
        column_type=_column_type(spec, enum_class),
        model_default=_model_default(spec, enum_class, names),
        model_sa_type=_model_sa_type(spec),
        alias=alias,
        alias_type=alias_type,
        create_annotation=create_annotation,
        create_default=create_default,
        read_annotation=f"{read_type} | None" if spec.nullable else read_type,
        filter_annotation=filter_annotation,
        filter_alias_type=filter_alias_type,
        migration_type=_sa_type(spec, prefix="sa.", enum_class=None),
        unique_name=f"uq_{table}_{spec.name}",
        index_name=f"ix_{table}_{spec.name}",
        sample=samples.expression,
        samples=samples,
        compare=_COMPARISONS.get(spec.type, "equal"),
        default_json=_default_json(spec),
        cases=invalid_cases(spec),
        partial_unique=spec.unique and resource.soft_delete,
    )


def id_view(id_type: IdType) -> IdView:
    if id_type == "uuid":
        return IdView(
            python_type="UUID",
            path_type="UUID",
            sa_type="sa.Uuid()",
            default="uuid4",
            missing='"00000000-0000-0000-0000-000000000000"',
        )
    return IdView(
        python_type="int",
        path_type="Annotated[int, Path(ge=1, le=2_147_483_647)]",
        sa_type="sa.Integer()",
        default=None,
        missing="2147483647",
    )


#: The id the OpenAPI examples show for a reference.
EXAMPLE_IDS: dict[str, str | int] = {
    "uuid": "3fa85f64-5717-4562-b3fc-2c963f66afa6",
    "int": 1,
}
