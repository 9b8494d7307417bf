"""The CHECK constraints that make the database enforce a field's ``min``/``max``."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from scaffold.spec import FieldSpec

__all__ = ["CheckView", "check_views"]


@dataclass(frozen=True)
class CheckView:
    """One named CHECK constraint of a field's bound.

    Attributes:
        name: The constraint's name in the model; the naming convention makes
            it ``ck_<table>_<name>``.
        field: The field it bounds.
        model: The SQL expression, as the model spells it.
        migration: The same expression, as the migration spells it.
        violation: Python source of a value it refuses.
        testable: Whether the column can hold that value at all (a decimal's
            precision may refuse it first, as another error).
    """

    name: str
    field: str
    model: str
    migration: str
    violation: str
    testable: bool = True

    @property
    def uses_func(self) -> bool:
        """Whether the model's expression calls an SQL function (``length``)."""
        return self.model.startswith("func.")


def _number(value: int | float | Decimal) -> str:
    """Python source of a bound: ``0``, ``-100``, ``0.5``."""
    if value == int(value):
        return str(int(value))
    return str(value)


def check_views(spec: FieldSpec) -> list[CheckView]:
    """The CHECK constraints of ``spec``'s declared ``min`` and ``max``.

    A string's ``max`` gets one only where it is below the column's length,
    which the column type already enforces on PostgreSQL.
    """
    checks: list[CheckView] = []
    name = spec.name
    if spec.is_string:
        bounds = [
            ("min_length", ">=", spec.min, spec.min is not None and int(spec.min) > 0),
            (
                "max_length",
                "<=",
                spec.max,
                spec.max is not None
                and (spec.length is None or int(spec.max) < spec.length),
            ),
        ]
        for suffix, operator, bound, wanted in bounds:
            if not wanted or bound is None:
                continue
            size = int(bound)
            bad = size - 1 if suffix == "min_length" else size + 1
            checks.append(
                CheckView(
                    name=f"{name}_{suffix}",
                    field=name,
                    model=f'func.length(column("{name}")) {operator} {size}',
                    migration=f'sa.func.length(sa.column("{name}")) {operator} {size}',
                    violation=f'"x" * {bad}',
                )
            )
    elif spec.is_number:
        bounds_: list[tuple[str, str, object, Decimal | int]] = [
            ("min", ">=", spec.min, -1),
            ("max", "<=", spec.max, 1),
        ]
        for suffix, operator, limit, step in bounds_:
            if limit is None:
                continue
            value = Decimal(str(limit))
            if spec.scale:
                step = step * Decimal(1).scaleb(-spec.scale)
            checks.append(
                CheckView(
                    name=f"{name}_{suffix}",
                    field=name,
                    model=f'column("{name}") {operator} {_number(value)}',
                    migration=f'sa.column("{name}") {operator} {_number(value)}',
                    violation=_number(value + step),
                    testable=spec.precision is None
                    or abs(value + step) < 10 ** (spec.precision - (spec.scale or 0)),
                )
            )
    return checks
