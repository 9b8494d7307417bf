"""The filter parameters of a resource's list endpoint.

Each declared field and reference gives the query model zero or more
parameters, named as the client spells them: ``status`` (several values),
``price__gte``, ``published_on__isnull``, ``tag_id``. A field named like a
paging or search parameter (``page``, ``size``, ``sort``, ``q``) filters by
equality through ``<name>__eq`` instead, so both keep one meaning each.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from scaffold.render.relation_model import RelationView
from scaffold.render.view_model import FieldView
from scaffold.spec import LIST_QUERY_PARAMS, FieldType

__all__ = ["FilterParam", "FilterTests", "filter_params", "filter_tests"]

#: Field types whose values order: they get range filters.
RANGED = (FieldType.INT, FieldType.FLOAT, FieldType.DECIMAL, FieldType.DATE,
          FieldType.DATETIME)  # fmt: skip

#: Filterable field types that take several values at once.
MULTI = (FieldType.ENUM, FieldType.STR, FieldType.TEXT, FieldType.EMAIL, FieldType.URL)

#: Range operators: the suffix, the SQL comparison and the words that describe it.
RANGES = (
    ("gte", ">=", "is at least"),
    ("lte", "<=", "is at most"),
    ("gt", ">", "is more than"),
    ("lt", "<", "is less than"),
)


@dataclass(frozen=True)
class FilterParam:
    """One query parameter that narrows the list.

    Attributes:
        attr: The parameter's name, also its attribute on the query model.
        kind: ``eq``, ``in``, ``gte``, ``lte``, ``gt``, ``lt``, ``isnull``,
            ``ref`` or ``link``.
        field: The field or reference key it filters on.
        annotation: The parameter's type, without ``| None``.
        many: Whether it takes several values (a list).
        description: What it does, for the OpenAPI document.
        condition: The SQLAlchemy condition it adds, in terms of ``query``.
    """

    attr: str
    kind: str
    field: str
    annotation: str
    many: bool
    description: str
    condition: str


def filter_params(
    cls: str,
    plural: str,
    fields: list[FieldView],
    refs: list[RelationView],
    links: list[RelationView],
) -> list[FilterParam]:
    """Every filter parameter of the list endpoint of model ``cls``."""
    params: list[FilterParam] = []
    for f in fields:
        column = f"{cls}.{f.name}"
        if f.spec.filterable:
            many = f.spec.type in MULTI
            attr = f"{f.name}__eq" if f.name in LIST_QUERY_PARAMS else f.name
            value = f"query.{attr}"
            params.append(
                FilterParam(
                    attr=attr,
                    kind="in" if many else "eq",
                    field=f.name,
                    annotation=(
                        f"list[{f.filter_annotation}]" if many else f.filter_annotation
                    ),
                    many=many,
                    description=(
                        f"Only {plural} whose {f.label} is one of these values."
                        if many
                        else f"Only {plural} whose {f.label} equals this value."
                    ),
                    condition=f"{column}.in_({value})"
                    if many
                    else f"{column} == {value}",
                )
            )
        if f.spec.type in RANGED:
            for suffix, operator, words in RANGES:
                attr = f"{f.name}__{suffix}"
                params.append(
                    FilterParam(
                        attr=attr,
                        kind=suffix,
                        field=f.name,
                        annotation=f.filter_annotation,
                        many=False,
                        description=f"Only {plural} whose {f.label} {words} this.",
                        condition=f"{column} {operator} query.{attr}",
                    )
                )
        if f.spec.nullable and f.spec.type is not FieldType.JSON:
            attr = f"{f.name}__isnull"
            params.append(
                FilterParam(
                    attr=attr,
                    kind="isnull",
                    field=f.name,
                    annotation="bool",
                    many=False,
                    description=(
                        f"true: only {plural} without {f.label}; false: only with."
                    ),
                    condition=(
                        f"{column}.is_(None) if query.{attr} else {column}.is_not(None)"
                    ),
                )
            )
    for rel in refs:
        params.append(
            FilterParam(
                attr=rel.key,
                kind="ref",
                field=rel.key,
                annotation=f"list[{rel.filter_annotation.removesuffix(' | None')}]",
                many=True,
                description=f"Only the {plural} of one of these {rel.label} ids.",
                condition=f"{cls}.{rel.key}.in_(query.{rel.key})",
            )
        )
        if rel.optional:
            attr = f"{rel.key}__isnull"
            column = f"{cls}.{rel.key}"
            params.append(
                FilterParam(
                    attr=attr,
                    kind="isnull",
                    field=rel.key,
                    annotation="bool",
                    many=False,
                    description=(
                        f"true: only {plural} without {rel.label}; false: only with."
                    ),
                    condition=(
                        f"{column}.is_(None) if query.{attr} else {column}.is_not(None)"
                    ),
                )
            )
    for rel in links:
        attr = f"{rel.row_var}_id"
        target = rel.target.class_name
        params.append(
            FilterParam(
                attr=attr,
                kind="link",
                field=rel.key,
                annotation=f"list[{rel.filter_annotation.removesuffix(' | None')}]",
                many=True,
                description=f"Only the {plural} with one of these {rel.label}.",
                condition=f"{cls}.{rel.name}.any({target}.id.in_(query.{attr}))",
            )
        )
    return params


@dataclass(frozen=True)
class FilterTests:
    """The fields the generated tests filter on, by kind of filter.

    Attributes:
        equality: ``(parameter, field)`` of the filterable fields whose rows 0
            and 1 differ.
        multi: Those of them that take several values.
        ranges: Ordered fields whose rows 0 and 1 hold increasing values.
        isnull: Optional fields whose row 0 holds a value (not JSON fields:
            their ``null`` is a JSON value, not SQL's ``NULL``).
    """

    equality: list[tuple[str, str]]
    multi: list[tuple[str, str]]
    ranges: list[str]
    isnull: list[str]


def _ordered(f: FieldView) -> bool:
    """Rows 0 and 1 hold increasing values of ``f`` (compared as values)."""
    parsers: dict[FieldType, Callable[[Any], Any]] = {
        FieldType.DECIMAL: Decimal,
        FieldType.DATE: dt.date.fromisoformat,
        FieldType.DATETIME: dt.datetime.fromisoformat,
    }
    parse = parsers.get(f.spec.type, lambda value: value)
    first, second = f.samples.values[:2]
    if first is None or second is None:
        return False
    ordered: bool = parse(first) < parse(second)
    return ordered


def filter_tests(fields: list[FieldView]) -> FilterTests:
    """Pick the fields the generated filter tests use."""
    equality = [
        (f"{f.name}__eq" if f.name in LIST_QUERY_PARAMS else f.name, f.name)
        for f in fields
        if f.spec.filterable and f.samples.distinct
    ]
    kinds = {f.name: f.spec.type for f in fields}
    return FilterTests(
        equality=equality,
        multi=[(param, name) for param, name in equality if kinds[name] in MULTI],
        ranges=[f.name for f in fields if f.spec.type in RANGED and _ordered(f)],
        isnull=[
            f.name
            for f in fields
            if f.spec.nullable
            and f.spec.type is not FieldType.JSON
            and f.samples.values[0] is not None
        ],
    )
