"""Pydantic validators equal to a generated input schema's field."""

from __future__ import annotations

from decimal import Decimal
from functools import cache
from typing import Any

from scaffold.render.decimal_pattern import field_pattern
from scaffold.spec import FieldSpec, FieldType

__all__ = ["field_adapter", "validation_error_type"]


def field_adapter(field: FieldSpec) -> Any:
    """A Pydantic validator equivalent to the generated input schema's field."""
    constraints = tuple(sorted(field.constraints.items()))
    pattern = field_pattern(field) if field.type is FieldType.DECIMAL else None
    return _cached_adapter(field.type, constraints, pattern)


#: What the generated project's input types refuse before Pydantic's own
#: validation (``app/schemas/common.py``): the error type, and the spellings
#: taken. A value of another Python type is refused too (a number for a date).
_SPELLINGS: dict[FieldType, tuple[str, str]] = {
    FieldType.DATE: ("date_parsing", r"[0-9]{4}-[0-9]{2}-[0-9]{2}"),
    FieldType.DATETIME: (
        "datetime_parsing",
        r"[0-9]{4}-[0-9]{2}-[0-9]{2}[Tt][0-9]{2}:[0-9]{2}:[0-9]{2}(?:\.[0-9]+)?"
        r"(?:[Zz]|[+-][0-9]{2}:[0-9]{2})?",
    ),
    FieldType.DECIMAL: (
        "decimal_parsing",
        r"(?!-0*(?:\.0*)?$)-?(?:0|[1-9][0-9]*)(?:\.[0-9]+)?",
    ),
}


def _spelling(kind: FieldType) -> Any:
    """A validator refusing what the generated input type of ``kind`` refuses."""
    import re

    from pydantic import BeforeValidator
    from pydantic_core import PydanticCustomError

    error_type, pattern = _SPELLINGS[kind]

    def check(value: object) -> object:
        if isinstance(value, str) and re.fullmatch(pattern, value):
            return value
        raise PydanticCustomError(error_type, "refused")

    return BeforeValidator(check)


def _held_to(pattern: str) -> Any:
    """A validator refusing, after the rest, a string ``pattern`` does not match.

    As the generated ``DecimalText`` does: Pydantic counts a decimal's places
    without its trailing zeros, the pattern counts them as written.
    """
    import re

    from pydantic import WrapValidator
    from pydantic_core import PydanticCustomError

    def check(value: object, handler: Any) -> object:
        checked = handler(value)
        if isinstance(value, str) and not re.fullmatch(pattern, value):
            raise PydanticCustomError("string_pattern_mismatch", "refused")
        return checked

    return WrapValidator(check)


@cache
def _cached_adapter(
    kind: FieldType, constraints: tuple[tuple[str, Any], ...], pattern: str | None
) -> Any:
    """Build (once per type and constraints) the validator of :func:`field_adapter`."""
    from datetime import date
    from typing import Annotated
    from uuid import UUID

    from pydantic import (
        AnyHttpUrl,
        AwareDatetime,
        Field,
        StrictBool,
        StrictFloat,
        StrictInt,
        TypeAdapter,
    )

    plain: dict[FieldType, Any] = {
        FieldType.EMAIL: str,  # the format needs email-validator; lengths do not
        FieldType.STR: str,
        FieldType.TEXT: str,
        FieldType.INT: StrictInt,  # JsonInt refuses what StrictInt does in JSON
        FieldType.FLOAT: StrictFloat,
        FieldType.DECIMAL: Decimal,
        FieldType.BOOL: StrictBool,
        FieldType.DATE: date,
        FieldType.UUID: UUID,
        FieldType.URL: AnyHttpUrl,
        FieldType.DATETIME: AwareDatetime,
        FieldType.JSON: dict[str, Any],
    }
    base = plain.get(kind)
    if base is None:
        return None
    keywords = dict(constraints)
    if kind in (FieldType.STR, FieldType.TEXT):
        keywords.setdefault("pattern", r"^[^\x00]*$")  # NO_NUL: free text
    annotated: Any = Annotated[base, Field(**keywords)]
    if kind in _SPELLINGS:
        annotated = Annotated[annotated, _spelling(kind)]
    if pattern is not None:
        annotated = Annotated[annotated, _held_to(pattern)]
    return TypeAdapter(annotated)


def validation_error_type(adapter: Any, value: Any) -> str | None:
    import json

    from pydantic import ValidationError

    try:
        adapter.validate_json(json.dumps(value))
    except ValidationError as exc:
        return str(exc.errors()[0]["type"])
    return None
