"""Bounds that parse but can never make a useful field.

A float bound past ±1e15 (beyond it a float cannot tell neighbouring whole
numbers apart, so no test value could sit just past it) and a string whose
``max`` is 0 (it could store nothing but ``""``).
"""

from __future__ import annotations

from scaffold.spec._catalog import FieldType, is_string
from scaffold.spec._models import Bound

__all__ = ["FLOAT_BOUND", "bound_problems"]

FLOAT_BOUND = 10**15
"""The largest magnitude of a float field's ``min`` or ``max``."""


def bound_problems(
    field_type: FieldType, low: Bound | None, high: Bound | None
) -> list[tuple[str, str]]:
    """Each unusable bound of a field: ``(option, message with the fix)``."""
    problems: list[tuple[str, str]] = []
    if field_type is FieldType.FLOAT:
        for option, value in (("min", low), ("max", high)):
            if value is not None and not -FLOAT_BOUND <= value <= FLOAT_BOUND:
                problems.append(
                    (
                        option,
                        f"{option} {value} is past the ±1e15 a float bound may "
                        "have (beyond it a float cannot tell neighbouring whole "
                        "numbers apart); use a smaller bound or a decimal field",
                    )
                )
    if high == 0 and is_string(field_type):
        problems.append(
            (
                "max",
                "max 0 allows only the empty string, so the field would store "
                "nothing; raise max or drop the field",
            )
        )
    return problems
