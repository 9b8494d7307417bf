"""The field types a resource can declare and which options apply to each.

One table drives the grammar, the validation messages, the JSON Schema and the
typed view data, so the accepted vocabulary is written down exactly once.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

__all__ = [
    "DEFAULT_DECIMAL",
    "EMAIL_LENGTH",
    "INT32",
    "INT64",
    "MAX_DECIMAL_PRECISION",
    "MAX_STR_LENGTH",
    "MODIFIERS",
    "OPTION_HINTS",
    "STR_DEFAULT_LENGTH",
    "TYPE_HINTS",
    "URL_LENGTH",
    "FieldType",
    "TypeRule",
    "rule",
    "types_accepting",
]


class FieldType(StrEnum):
    """A field type as written in a spec: ``str``, ``decimal``, ``enum``..."""

    STR = "str"
    TEXT = "text"
    INT = "int"
    FLOAT = "float"
    DECIMAL = "decimal"
    BOOL = "bool"
    DATE = "date"
    DATETIME = "datetime"
    UUID = "uuid"
    EMAIL = "email"
    URL = "url"
    JSON = "json"
    ENUM = "enum"


STR_DEFAULT_LENGTH = 255
MAX_STR_LENGTH = 10_485_760  # PostgreSQL's largest varchar(n)
EMAIL_LENGTH = 320  # 64-character local part, '@', 255-character domain
URL_LENGTH = 2083  # Pydantic's HttpUrl limit
DEFAULT_DECIMAL = (12, 2)
MAX_DECIMAL_PRECISION = 38  # the largest every supported database agrees on
INT32 = (-(2**31), 2**31 - 1)
INT64 = (-(2**63), 2**63 - 1)

MODIFIERS = (
    "unique",
    "index",
    "default",
    "min",
    "max",
    "pattern",
    "on_delete",
    "inverse",
)
"""Modifiers of the compact form, in their canonical order."""

_STRINGS = frozenset({FieldType.STR, FieldType.TEXT, FieldType.EMAIL, FieldType.URL})
_NUMBERS = frozenset({FieldType.INT, FieldType.FLOAT, FieldType.DECIMAL})


@dataclass(frozen=True, slots=True)
class TypeRule:
    """What one field type accepts.

    Attributes:
        options: The options (modifiers and mapping keys) that apply.
        summary: How the type is written, for messages (``str(N)``).
        bounds: What ``min``/``max`` bound: ``"length"``, ``"value"`` or None.
    """

    options: frozenset[str]
    summary: str
    bounds: str | None = None


_BASE = frozenset({"unique", "index", "default"})
_RULES: dict[FieldType, TypeRule] = {
    FieldType.STR: TypeRule(
        _BASE | {"min", "max", "pattern", "max_length"}, "str or str(N)", "length"
    ),
    FieldType.TEXT: TypeRule(
        frozenset({"default", "min", "max", "pattern"}), "text", "length"
    ),
    FieldType.INT: TypeRule(_BASE | {"min", "max"}, "int", "value"),
    FieldType.FLOAT: TypeRule(_BASE | {"min", "max"}, "float", "value"),
    FieldType.DECIMAL: TypeRule(
        _BASE | {"min", "max", "precision", "scale"},
        "decimal or decimal(P,S)",
        "value",
    ),
    FieldType.BOOL: TypeRule(frozenset({"index", "default"}), "bool"),
    FieldType.DATE: TypeRule(_BASE, "date"),
    FieldType.DATETIME: TypeRule(_BASE, "datetime"),
    FieldType.UUID: TypeRule(_BASE, "uuid"),
    FieldType.EMAIL: TypeRule(_BASE | {"min", "max"}, "email", "length"),
    FieldType.URL: TypeRule(_BASE | {"min", "max"}, "url", "length"),
    FieldType.JSON: TypeRule(frozenset(), "json"),
    FieldType.ENUM: TypeRule(_BASE | {"choices"}, "enum(a,b,c)"),
}


def rule(field_type: FieldType) -> TypeRule:
    """Return the rule of one field type."""
    return _RULES[field_type]


def types_accepting(option: str) -> list[str]:
    """Return the type names an option applies to, in declaration order."""
    return [t.value for t in FieldType if option in _RULES[t].options]


def is_string(field_type: FieldType) -> bool:
    """Tell whether values of the type are strings bounded by length."""
    return field_type in _STRINGS


def is_number(field_type: FieldType) -> bool:
    """Tell whether values of the type are numbers bounded by value."""
    return field_type in _NUMBERS


TYPE_HINTS: dict[str, str] = {
    "string": "str",
    "varchar": "str",
    "char": "str",
    "integer": "int",
    "bigint": "int",
    "smallint": "int",
    "long": "int",
    "number": "decimal",
    "numeric": "decimal",
    "money": "decimal",
    "double": "float",
    "real": "float",
    "boolean": "bool",
    "timestamp": "datetime",
    "timestamptz": "datetime",
    "time": "datetime",
    "dict": "json",
    "object": "json",
    "list": "json",
    "jsonb": "json",
    "guid": "uuid",
    "uri": "url",
    "choice": "enum",
}
"""Names people write for a type, mapped to the type we accept instead."""

_OPTIONAL_HINT = (
    "mark optional fields with '?' after the type, e.g. 'published_on:date?'"
)
OPTION_HINTS: dict[str, str] = {
    "optional": _OPTIONAL_HINT,
    "nullable": _OPTIONAL_HINT,
    "null": _OPTIONAL_HINT,
    "required": "fields are required unless marked optional with '?' after the type",
    "primary_key": "every resource gets its primary key 'id' automatically",
    "pk": "every resource gets its primary key 'id' automatically",
    "length": "give a str length as str(N), or a validation limit as max=N",
    "max_length": "give a str length as str(N), or a validation limit as max=N",
    "maxlength": "give a str length as str(N), or a validation limit as max=N",
    "precision": "give decimal precision and scale as decimal(P,S)",
    "scale": "give decimal precision and scale as decimal(P,S)",
    "choices": "give enum choices as enum(a,b,c)",
    "regex": "write pattern=REGEX",
    "indexed": "write index",
}
"""Modifier names people write, with what to write instead (compact form)."""
