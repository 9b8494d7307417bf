"""Pydantic validators equal to a generated input schema's field."""

from __future__ import annotations

from decimal import Decimal
from functools import cache
from typing import Any

from scaffold.spec import FieldSpec, FieldType

__all__ = ["field_adapter", "validation_error_type"]


def field_adapter(field: FieldSpec) -> Any:
    """A Pydantic validator equivalent to the generated input schema's field."""
    constraints = tuple(sorted(field.constraints.items()))
    return _cached_adapter(field.type, constraints)


@cache
def _cached_adapter(kind: FieldType, constraints: tuple[tuple[str, Any], ...]) -> Any:
    """Build (once per type and constraints) the validator of :func:`field_adapter`."""
    from datetime import date
    from typing import Annotated
    from uuid import UUID

    from pydantic import AwareDatetime, Field, HttpUrl, TypeAdapter

    plain: dict[FieldType, Any] = {
        FieldType.EMAIL: str,  # the format needs email-validator; lengths do not
        FieldType.STR: str,
        FieldType.TEXT: str,
        FieldType.INT: int,
        FieldType.FLOAT: float,
        FieldType.DECIMAL: Decimal,
        FieldType.BOOL: bool,
        FieldType.DATE: date,
        FieldType.UUID: UUID,
        FieldType.URL: HttpUrl,
        FieldType.DATETIME: AwareDatetime,
        FieldType.JSON: dict[str, Any],
    }
    base = plain.get(kind)
    if base is None:
        return None
    annotated: Any = Annotated[base, Field(**dict(constraints))]
    return TypeAdapter(annotated)


def validation_error_type(adapter: Any, value: Any) -> str | None:
    import json

    from pydantic import ValidationError

    try:
        adapter.validate_json(json.dumps(value))
    except ValidationError as exc:
        return str(exc.errors()[0]["type"])
    return None
