"""The parsed, validated resource spec: plain data for the templates.

:class:`FieldSpec` and :class:`ResourceSpec` are what every spelling of a spec
(command-line tokens, spec-file strings, spec-file mappings) is parsed into.
They hold typed values only (a default is an ``int``, ``Decimal``, ``date``...,
never source text) and precompute what templates need as read-only properties.
Build them through :mod:`scaffold.spec`'s ``parse_field``, ``parse_cli_resource``
or ``load_spec_file``, which validate them; the constructors do not.
"""

from __future__ import annotations

import builtins
import datetime as dt
import decimal
import uuid
from typing import Literal

from pydantic import BaseModel, ConfigDict

from scaffold.spec._catalog import INT32, INT64, FieldType, is_number, is_string
from scaffold.spec._relations import RelationSpec
from scaffold.spec._reserved import PARAM_SHADOWED, SQL_RESERVED
from scaffold.spec._types import EnumMember, PyType, SqlType
from scaffold.spec.naming import ResourceNames

__all__ = [
    "Access",
    "Bound",
    "ConstraintValue",
    "DefaultValue",
    "EnumMember",
    "FieldSpec",
    "Pagination",
    "PyType",
    "ResourceSpec",
    "Rule",
    "SqlType",
]

DefaultValue = (
    bool | int | float | decimal.Decimal | dt.datetime | dt.date | uuid.UUID | str
)
"""A typed default value: rendered with ``repr``, never pasted as source text."""
Bound = int | float | decimal.Decimal
"""A ``min``/``max`` bound: an ``int`` length for strings, a value for numbers."""
ConstraintValue = bool | int | float | decimal.Decimal | str
"""A value of a Pydantic ``Field()`` keyword argument."""

_GENERATED_COLUMNS = ("id", "created_at", "updated_at")

Access = Literal["none", "user", "admin"]
"""Who may call a resource's endpoints (``auth``, both rules at once)."""

Rule = Literal["public", "user", "admin", "owner"]
"""Who may read, or who may write, a resource: anyone, signed-in users,
administrators, or each row's owner (and administrators)."""

Pagination = Literal["offset", "cursor"]
"""How a list pages: numbered pages with a total, or keyset pages after a cursor."""


class _Data(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


_STR = PyType(module="builtins", name="str")
_PY_TYPES: dict[FieldType, PyType] = {
    FieldType.STR: _STR,
    FieldType.TEXT: _STR,
    FieldType.EMAIL: _STR,
    FieldType.URL: _STR,
    FieldType.INT: PyType(module="builtins", name="int"),
    FieldType.FLOAT: PyType(module="builtins", name="float"),
    FieldType.DECIMAL: PyType(module="decimal", name="Decimal"),
    FieldType.BOOL: PyType(module="builtins", name="bool"),
    FieldType.DATE: PyType(module="datetime", name="date"),
    FieldType.DATETIME: PyType(module="datetime", name="datetime"),
    FieldType.UUID: PyType(module="uuid", name="UUID"),
    FieldType.JSON: PyType(
        module="builtins", name="dict", args=(_STR, PyType(module="typing", name="Any"))
    ),
}
_SCHEMA_TYPES: dict[FieldType, PyType] = {
    FieldType.EMAIL: PyType(module="pydantic", name="EmailStr"),
    FieldType.URL: PyType(module="pydantic", name="HttpUrl"),
    FieldType.DATETIME: PyType(module="pydantic", name="AwareDatetime"),
}


class FieldSpec(_Data):
    """One validated field of a resource.

    Attributes:
        name: snake_case ASCII name: attribute, column and JSON key.
        type: The declared type.
        optional: Declared with ``?``: nullable and not required on create.
        unique: A unique index on the column.
        index: A (non-unique) index on the column.
        default: The typed default value, or None for none.
        min: Lower bound, inclusive: a length (``int``) for strings, a value
            (``int``, ``float`` or ``Decimal``, like the field) for numbers.
        max: Upper bound, inclusive, like ``min``.
        pattern: A regular expression the value must contain a match of
            (Pydantic's ``pattern``: unanchored, so anchor it with ``^...$``).
        length: Column length of ``str``, ``email`` and ``url`` fields.
        precision: Total digits of a ``decimal`` field.
        scale: Digits after the point of a ``decimal`` field.
        choices: The values of an ``enum`` field, in declaration order.
        filterable: Listed in the list endpoint's filters.
        sortable: Accepted by the list endpoint's ``sort`` parameter.
        searchable: Matched by the list endpoint's text search.
        enum_class: Name of the generated enum class (``BookStatus``).
        enum_db_name: Name of the enum type / its check constraint in the
            database (``book_status``).
    """

    name: str
    type: FieldType
    optional: bool = False
    unique: bool = False
    index: bool = False
    default: DefaultValue | None = None
    min: Bound | None = None
    max: Bound | None = None
    pattern: str | None = None
    length: int | None = None
    precision: int | None = None
    scale: int | None = None
    choices: tuple[str, ...] = ()
    filterable: bool = False
    sortable: bool = False
    searchable: bool = False
    enum_class: str | None = None
    enum_db_name: str | None = None

    @property
    def nullable(self) -> bool:
        """The column accepts NULL and the schemas accept None."""
        return self.optional

    @property
    def has_default(self) -> bool:
        """A default value was declared."""
        return self.default is not None

    @property
    def required(self) -> bool:
        """The create schema requires the field (not optional, no default)."""
        return not self.optional and self.default is None

    @property
    def lower_bound(self) -> Bound | None:
        """The ``min`` the API and the database enforce.

        The declared ``min``; a required ``str`` or ``text`` field declared
        without one is non-empty (``1``): ``min=0`` allows the empty string.
        """
        if (
            self.min is None
            and not self.optional
            and self.type in (FieldType.STR, FieldType.TEXT)
        ):
            return 1
        return self.min

    @property
    def is_string(self) -> bool:
        """str, text, email or url: bounded by length."""
        return is_string(self.type)

    @property
    def is_number(self) -> bool:
        """int, float or decimal: bounded by value."""
        return is_number(self.type)

    @property
    def title(self) -> str:
        """Human label: ``published_on`` -> ``Published on``."""
        return self.name.replace("_", " ").capitalize()

    @property
    def sql_reserved(self) -> bool:
        """The name is an SQL reserved word; SQLAlchemy quotes it in every query."""
        return self.name in SQL_RESERVED

    @property
    def param_name(self) -> str:
        """A function-parameter name for this field that shadows nothing.

        The field name itself, except for names that would shadow a builtin or
        a name generated modules import (``type``, ``status``, ``date``...),
        which get a trailing underscore; use it with ``Query(alias=name)``.
        """
        shadows = self.name in PARAM_SHADOWED or hasattr(builtins, self.name)
        return f"{self.name}_" if shadows else self.name

    @property
    def python_type(self) -> PyType:
        """Type of the ORM attribute (``Mapped[...]``), without ``| None``."""
        if self.type is FieldType.ENUM:
            return PyType(module="", name=self.enum_class or "Enum")
        return _PY_TYPES[self.type]

    @property
    def schema_type(self) -> PyType:
        """Type in the Pydantic schemas, without ``| None``."""
        return _SCHEMA_TYPES.get(self.type, self.python_type)

    @property
    def int_range(self) -> tuple[int, int]:
        """The values an ``int`` field's column holds (32- or 64-bit)."""
        return INT32 if self.sa_type.name == "Integer" else INT64

    @property
    def sa_type(self) -> SqlType:
        """The SQLAlchemy column type."""
        t = self.type
        if t in (FieldType.STR, FieldType.EMAIL, FieldType.URL):
            return SqlType(name="String", args=(self.length or 255,))
        if t is FieldType.INT:
            low, high = INT32
            wide = (self.min is not None and self.min < low) or (
                self.max is not None and self.max > high
            )
            return SqlType(name="BigInteger" if wide else "Integer")
        if t is FieldType.DECIMAL:
            return SqlType(name="Numeric", args=(self.precision or 12, self.scale or 0))
        if t is FieldType.DATETIME:
            return SqlType(name="DateTime", kwargs={"timezone": True})
        if t is FieldType.ENUM:
            return SqlType(
                name="Enum",
                kwargs={
                    "name": self.enum_db_name or self.name,
                    "native_enum": False,
                    "create_constraint": True,
                    "length": max((len(c) for c in self.choices), default=1),
                },
            )
        simple = {
            FieldType.TEXT: "Text",
            FieldType.FLOAT: "Float",
            FieldType.BOOL: "Boolean",
            FieldType.DATE: "Date",
            FieldType.UUID: "Uuid",
            FieldType.JSON: "JSON",
        }
        return SqlType(name=simple[t])

    @property
    def constraints(self) -> dict[str, ConstraintValue]:
        """Keyword arguments for Pydantic's ``Field()`` on the input schemas.

        Strings: ``min_length`` (:attr:`lower_bound`), ``max_length`` (the
        column length when no ``max``) and ``pattern``. Integers:
        ``ge``/``le``, the column type's range when not declared, so an
        out-of-range value answers 422, not 500.
        Floats and decimals: ``ge``/``le`` when declared and
        ``allow_inf_nan=False``; decimals also ``max_digits``/``decimal_places``.
        """
        out: dict[str, ConstraintValue] = {}
        if self.is_string:
            if self.lower_bound is not None:
                out["min_length"] = self.lower_bound
            limit = self.max if self.max is not None else self.length
            if limit is not None:
                out["max_length"] = limit
            if self.pattern is not None:
                out["pattern"] = self.pattern
        elif self.type is FieldType.INT:
            low, high = self.int_range
            out["ge"] = low if self.min is None else self.min
            out["le"] = high if self.max is None else self.max
        elif self.is_number:
            if self.type is FieldType.DECIMAL:
                out["max_digits"] = self.precision or 12
                out["decimal_places"] = self.scale or 0
            if self.min is not None:
                out["ge"] = self.min
            if self.max is not None:
                out["le"] = self.max
            out["allow_inf_nan"] = False
        return out

    @property
    def enum_members(self) -> tuple[EnumMember, ...]:
        """Members of the generated enum: ``in-progress`` -> ``IN_PROGRESS``."""
        return tuple(
            EnumMember(name=c.upper().replace("-", "_"), value=c) for c in self.choices
        )


class ResourceSpec(_Data):
    """One validated resource: its names and its fields.

    Attributes:
        names: Every derived name (class, module, table, URL segment...).
        fields: The declared fields, in declaration order. The generated
            ``id``, ``created_at`` and ``updated_at`` are not among them.
        relations: The ``ref`` and ``refs`` fields, in declaration order, with
            their inverse names resolved.
        auth: Who may call the endpoints: anyone (``none``), signed-in users
            (``user``) or administrators (``admin``); ``None`` leaves it to the
            project: ``user`` when it has auth, ``none`` otherwise.
        owned: Each row belongs to the user who created it.
        soft_delete: ``DELETE`` marks a row deleted (``deleted_at``) instead of
            removing it; reads hide it and administrators may restore it.
        versioned: Each row has a ``version`` that every change increments;
            reads send it as the ``ETag``, changes must name it in ``If-Match``.
        pagination: How the list pages: ``offset`` (``page``/``size``, with a
            total) or ``cursor`` (keyset pages after an opaque ``cursor``).
        read: Who may list and get the rows; None for the default.
        write: Who may create, replace, update and delete rows; None for the
            default. ``scaffold add resource`` records both resolved, so a
            record without them predates the rules and ``auth`` decides.
    """

    names: ResourceNames
    fields: tuple[FieldSpec, ...] = ()
    relations: tuple[RelationSpec, ...] = ()
    auth: Access | None = None
    owned: bool = False
    soft_delete: bool = False
    versioned: bool = False
    pagination: Pagination = "offset"
    read: Rule | None = None
    write: Rule | None = None

    @property
    def targets(self) -> tuple[str, ...]:
        """The resources this one refers to, other than itself, in order."""
        seen: dict[str, None] = {}
        for relation in self.relations:
            if relation.target != self.names.singular:
                seen.setdefault(relation.target)
        return tuple(seen)

    def field(self, name: str) -> FieldSpec:
        """Return the field called ``name``.

        Raises:
            KeyError: No field has that name.
        """
        for candidate in self.fields:
            if candidate.name == name:
                return candidate
        raise KeyError(name)

    @property
    def filterable(self) -> tuple[FieldSpec, ...]:
        """Fields the list endpoint filters on (equality; ranges are up to you)."""
        return tuple(f for f in self.fields if f.filterable)

    @property
    def sortable(self) -> tuple[FieldSpec, ...]:
        """Declared fields accepted by ``sort``."""
        return tuple(f for f in self.fields if f.sortable)

    @property
    def sort_keys(self) -> tuple[str, ...]:
        """The whole ``sort`` whitelist: ``id``, timestamps, sortable fields."""
        return _GENERATED_COLUMNS + tuple(f.name for f in self.sortable)

    @property
    def searchable(self) -> tuple[FieldSpec, ...]:
        """Fields the list endpoint's text search matches."""
        return tuple(f for f in self.fields if f.searchable)

    @property
    def unique_fields(self) -> tuple[FieldSpec, ...]:
        """Fields with a unique index (a clash answers 409)."""
        return tuple(f for f in self.fields if f.unique)

    @property
    def enum_fields(self) -> tuple[FieldSpec, ...]:
        """Fields that need a generated enum class."""
        return tuple(f for f in self.fields if f.type is FieldType.ENUM)

    @property
    def required_fields(self) -> tuple[FieldSpec, ...]:
        """Fields the create schema requires."""
        return tuple(f for f in self.fields if f.required)
