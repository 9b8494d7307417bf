"""Pieces of revision source: statements by phase, SQL text, literal values.

Every name and value here comes from a validated spec; the SQL text is
written into a revision file, never executed by scaffold.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal
from uuid import UUID

from scaffold.render.view_fields import column_type
from scaffold.spec import FieldSpec, FieldType

__all__ = [
    "Steps",
    "check_name",
    "choices_condition",
    "column_limit",
    "count_guard",
    "create_check",
    "create_unique",
    "decimal_digits",
    "drop_constraint",
    "ident",
    "placeholder",
    "plain_type",
    "sql_literal",
    "value_source",
    "words",
]


#: The phases of :class:`Steps` that hold statements, in the order they run.
_PHASES = ("guards", "before", "alter", "fill", "finish", "after")


@dataclass
class Steps:
    """Statements of a revision function, by phase.

    Attributes:
        guards: Row counts that stop the upgrade before anything changes.
        before: Outside the first batch (index drops).
        alter: Inside the first batch (drops, renames, added columns, types).
        fill: Data statements between the batches (backfills, enum mapping).
        finish: Inside the second batch (NOT NULL, unique and CHECK constraints).
        after: Outside the second batch (index creation).
        imports: Modules the statements use beyond ``sa`` and ``op``.
        helpers: Helper functions of the revision the statements call.
    """

    guards: list[str] = field(default_factory=list)
    before: list[str] = field(default_factory=list)
    alter: list[str] = field(default_factory=list)
    fill: list[str] = field(default_factory=list)
    finish: list[str] = field(default_factory=list)
    after: list[str] = field(default_factory=list)
    imports: set[str] = field(default_factory=set)
    helpers: set[str] = field(default_factory=set)

    @property
    def empty(self) -> bool:
        """Whether there is no statement at all."""
        return not any(getattr(self, name) for name in _PHASES)

    def extend(self, other: Steps) -> None:
        """Append ``other``'s statements, phase by phase."""
        for name in _PHASES:
            getattr(self, name).extend(getattr(other, name))
        self.imports |= other.imports
        self.helpers |= other.helpers


def words(*parts: str) -> str:
    """SQL text for the revision, from its parts (names come from the spec)."""
    return " ".join(parts)


def ident(name: str) -> str:
    return f'"{name}"' if not name.isidentifier() or not name.islower() else name


def _quote(text: str) -> str:
    return repr(text) if '"' in text or "'" not in text else f'"{text}"'


def sql_literal(text: str, width: int = 56) -> str:
    """A string literal, split into implicitly joined parts if it is long.

    The parts are joined by juxtaposition, so the literal is meant to be a
    call's argument (the call's parentheses hold it together).
    """
    if len(text) <= width:
        return _quote(text)
    parts: list[str] = []
    for word in text.split(" "):
        if parts and len(parts[-1]) + len(word) < width:
            parts[-1] += " " + word
        else:
            parts.append(word if not parts else " " + word)
    # Each part but the first starts with the space that joins it.
    return " ".join(_quote(part) for part in parts)


def value_source(value: object, imports: set[str]) -> str:
    """Python source of a fill value, noting the imports it needs."""
    if isinstance(value, dt.datetime):
        imports.add("import datetime as dt")
        utc = value.astimezone(dt.UTC)
        parts = [utc.year, utc.month, utc.day, utc.hour, utc.minute, utc.second]
        return f"dt.datetime({', '.join(map(str, parts))}, tzinfo=dt.UTC)"
    if isinstance(value, dt.date):
        imports.add("import datetime as dt")
        return f"dt.date({value.year}, {value.month}, {value.day})"
    if isinstance(value, Decimal):
        imports.add("from decimal import Decimal")
        return f'Decimal("{value}")'
    if isinstance(value, UUID):
        imports.add("from uuid import UUID")
        return f'UUID("{value}")'
    return repr(value)


def placeholder(spec: FieldSpec) -> object:
    """A value for rows that must hold one when a downgrade restores ``spec``."""
    if spec.default is not None:
        return spec.default
    zero: dict[FieldType, object] = {
        FieldType.INT: 0,
        FieldType.FLOAT: 0.0,
        FieldType.DECIMAL: Decimal(0),
        FieldType.BOOL: False,
        FieldType.DATE: dt.date(1970, 1, 1),
        FieldType.DATETIME: dt.datetime(1970, 1, 1, tzinfo=dt.UTC),
        FieldType.UUID: UUID(int=0),
        FieldType.JSON: None,
    }
    if spec.type is FieldType.ENUM:
        return spec.choices[0]
    if spec.is_string:
        return "-" * int(spec.lower_bound or 0)
    value = zero.get(spec.type)
    if isinstance(value, int | float | Decimal):
        if spec.min is not None and value < spec.min:
            value = spec.min
        if spec.max is not None and value > spec.max:
            value = spec.max
    return value


def plain_type(spec: FieldSpec) -> str:
    """The column type, an enum's as the VARCHAR it is (its CHECK is separate)."""
    if spec.type is FieldType.ENUM:
        length = max((len(choice) for choice in spec.choices), default=1)
        return f"sa.String(length={length})"
    return column_type(spec)


def check_name(table: str, spec: FieldSpec) -> str:
    return f"ck_{table}_{spec.enum_db_name or spec.name}"


def choices_condition(spec: FieldSpec) -> str:
    listed = ", ".join(f"'{choice}'" for choice in spec.choices)
    return f"{ident(spec.name)} IN ({listed})"


def count_guard(table: str, where: str, message: str) -> str:
    sql = words("SELECT count(*) FROM", table, "WHERE", where)
    return f"refuse_rows({sql_literal(sql)}, {sql_literal(message)})"


def column_limit(spec: FieldSpec) -> int | None:
    if spec.type is FieldType.TEXT:
        return None
    if spec.type is FieldType.ENUM:
        return None
    return spec.length


def decimal_digits(spec: FieldSpec) -> tuple[int, int] | None:
    if spec.type is not FieldType.DECIMAL:
        return None
    return spec.precision or 12, spec.scale or 0


def drop_constraint(name: str, kind: str) -> str:
    """Drop the constraint the naming convention calls ``name`` (a batch step).

    Args:
        name: The full name, e.g. ``ck_books_price_min``.
        kind: Alembic's ``type_``: ``check``, ``unique`` or ``foreignkey``.
    """
    return f'batch_op.drop_constraint(op.f("{name}"), type_="{kind}")'


def create_check(name: str, condition: str) -> str:
    """Create CHECK constraint ``name`` from ``condition``'s source (a batch step)."""
    return f'batch_op.create_check_constraint(op.f("{name}"), {condition})'


def create_unique(name: str, columns: str) -> str:
    """Create unique constraint ``name`` over ``columns``' source (a batch step)."""
    return f'batch_op.create_unique_constraint(op.f("{name}"), {columns})'
