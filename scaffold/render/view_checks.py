"""The CHECK constraints that make the database enforce a field's bounds.

A field's bounds are its declared ``min``/``max``, and for a required ``str``
or ``text`` field a length of at least 1 unless it declares ``min=0`` (see
:attr:`~scaffold.spec.FieldSpec.lower_bound`). The views say what each
constraint compares; the ``check_condition`` macro spells it, for the model
and for the migrations alike.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from scaffold.spec import FieldSpec, FieldType

__all__ = ["CheckView", "check_views"]


@dataclass(frozen=True)
class CheckView:
    """One named CHECK constraint of a field's bound.

    Attributes:
        name: The constraint's name in the model; the naming convention makes
            it ``ck_<table>_<name>``.
        field: The field (column) it bounds.
        measure: The SQL function applied to the column before comparing
            (``length`` for strings), or None to compare the value itself.
        operator: ``>=`` or ``<=``.
        bound: The bound, as Python source (``1``, ``-100``, ``0.5``).
        violation: Python source of a value it refuses.
        testable: Whether the column can hold that value at all (a decimal's
            precision may refuse it first, as another error).
    """

    name: str
    field: str
    measure: str | None
    operator: str
    bound: str
    violation: str
    testable: bool = True

    @property
    def uses_func(self) -> bool:
        """Whether the condition calls an SQL function (``func.length``)."""
        return self.measure is not None


#: Past this magnitude a float bound is written in exponent form (``1e+79``).
_FLOAT_DIGITS = Decimal("1e15")


def _number(value: int | float | Decimal, *, floating: bool = False) -> str:
    """Python source of a bound: ``0``, ``-100``, ``0.5``, ``-2.3e+79``."""
    if floating and abs(Decimal(value)) >= _FLOAT_DIGITS:
        return repr(float(value))
    if value == int(value):
        return str(int(value))
    return str(value)


def _string_of(length: int) -> str:
    """Python source of a string ``length`` characters long."""
    return f'"x" * {length}' if length else '""'


def _length_checks(spec: FieldSpec) -> list[CheckView]:
    """A string's length bounds.

    The lower bound gets one when above 0; ``max`` only where it is below the
    column's length, which the column type already enforces on PostgreSQL.
    """
    low, high = spec.lower_bound, spec.max
    bounds = [
        ("min_length", ">=", low, low is not None and int(low) > 0, -1),
        (
            "max_length",
            "<=",
            high,
            high is not None and (spec.length is None or int(high) < spec.length),
            1,
        ),
    ]
    return [
        CheckView(
            name=f"{spec.name}_{suffix}",
            field=spec.name,
            measure="length",
            operator=operator,
            bound=str(int(bound)),
            violation=_string_of(int(bound) + step),
        )
        for suffix, operator, bound, wanted, step in bounds
        if wanted and bound is not None
    ]


def _storable(spec: FieldSpec, value: Decimal) -> bool:
    """Whether the column can hold ``value`` (so a test can offer it)."""
    if spec.type is FieldType.INT:
        low, high = spec.int_range
        return low <= value <= high
    return spec.precision is None or abs(value) < 10 ** (
        spec.precision - (spec.scale or 0)
    )


def _value_checks(spec: FieldSpec) -> list[CheckView]:
    """A number's ``min`` and ``max``."""
    checks: list[CheckView] = []
    bounds: list[tuple[str, str, object, Decimal | int]] = [
        ("min", ">=", spec.min, -1),
        ("max", "<=", spec.max, 1),
    ]
    for suffix, operator, limit, step in bounds:
        if limit is None:
            continue
        value = Decimal(str(limit))
        if spec.scale:
            step = step * Decimal(1).scaleb(-spec.scale)
        floating = spec.type is FieldType.FLOAT
        if floating and abs(value) >= _FLOAT_DIGITS:
            # a step of one is lost in a float this large: step by a millionth
            step = step * abs(value).scaleb(-6)
        checks.append(
            CheckView(
                name=f"{spec.name}_{suffix}",
                field=spec.name,
                measure=None,
                operator=operator,
                bound=_number(value, floating=floating),
                violation=_number(value + step, floating=floating),
                testable=_storable(spec, value + step),
            )
        )
    return checks


def check_views(spec: FieldSpec) -> list[CheckView]:
    """The CHECK constraints of ``spec``'s bounds, lower bound first."""
    if spec.is_string:
        return _length_checks(spec)
    if spec.is_number:
        return _value_checks(spec)
    return []
