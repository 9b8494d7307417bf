"""The row counts an upgrade runs before it changes anything.

Each guard counts the existing rows a field's new definition would not
accept and stops the upgrade with the table, column and count.
"""

from __future__ import annotations

from collections.abc import Sequence

from scaffold.migrations.sql_source import (
    Steps,
    column_limit,
    count_guard,
    decimal_digits,
    ident,
    sql_literal,
    words,
)
from scaffold.spec import FieldSpec

__all__ = [
    "check_guard",
    "duplicates_guard",
    "narrows",
    "nulls_guard",
    "removed_choices_guard",
    "row_guards",
]


def narrows(old: FieldSpec, new: FieldSpec) -> list[str]:
    """What in ``new``'s column type holds less than ``old``'s (destructive)."""
    reasons = []
    old_limit, new_limit = column_limit(old), column_limit(new)
    if new_limit is not None and (old_limit is None or new_limit < old_limit):
        reasons.append(
            f"length {old_limit or 'unlimited'} to {new_limit}"
            if old.is_string
            else f"{old.type} to {new.type}"
        )
    old_digits, new_digits = decimal_digits(old), decimal_digits(new)
    if old_digits and new_digits:
        whole = new_digits[0] - new_digits[1] < old_digits[0] - old_digits[1]
        if whole or new_digits[1] < old_digits[1]:
            reasons.append(
                f"decimal({old_digits[0]},{old_digits[1]}) to "
                f"decimal({new_digits[0]},{new_digits[1]})"
            )
    if old.sa_type.name == "BigInteger" and new.sa_type.name == "Integer":
        reasons.append("a 64-bit integer to a 32-bit one")
    return reasons


def row_guards(
    table: str, old: FieldSpec, new: FieldSpec, *, filled: bool, live_only: bool = False
) -> Steps:
    """Counts of the existing rows that ``new`` would not accept.

    ``live_only``: a unique field of a soft-delete table is unique among the
    rows not deleted, so only those are counted for it.
    """
    steps = Steps()
    col = ident(old.name)
    where_col = f"{table}.{new.name}"

    def guard(where: str, problem: str, fix: str) -> None:
        steps.guards.append(
            count_guard(table, where, f"{where_col}: {{count}} rows {problem}; {fix}")
        )

    if old.nullable and not new.nullable and not filled:
        guard(
            f"{col} IS NULL",
            "hold NULL and the field becomes required",
            "fill them or pass --backfill VALUE, then upgrade again",
        )
    if new.unique and not old.unique:
        live = " AND deleted_at IS NULL" if live_only else ""
        inner = " WHERE deleted_at IS NULL" if live_only else ""
        guard(
            words(col, "IN (SELECT", col, "FROM", table)
            + inner
            + " "
            + words("GROUP BY", col, "HAVING count(*) > 1)")
            + live,
            "share a value and the field becomes unique",
            "make the values distinct, then upgrade again",
        )
    new_limit = column_limit(new)
    if new_limit is not None and (
        column_limit(old) is None or new_limit < (column_limit(old) or 0)
    ):
        guard(
            f"length({col}) > {new_limit}",
            f"are longer than {new_limit} characters",
            "shorten them, then upgrade again",
        )
    old_digits, new_digits = decimal_digits(old), decimal_digits(new)
    if old_digits and new_digits and new_digits != old_digits:
        limit = 10 ** (new_digits[0] - new_digits[1])
        guard(
            f"abs({col}) >= {limit} OR {col} <> round({col}, {new_digits[1]})",
            f"do not fit decimal({new_digits[0]},{new_digits[1]})",
            "change them to fit, then upgrade again",
        )
    measure = f"length({col})" if new.is_string else col
    for bound, op, word in ((new.lower_bound, "<", "below"), (new.max, ">", "above")):
        old_bound = old.lower_bound if op == "<" else old.max
        if bound is None or bound == old_bound:
            continue
        what = "length" if new.is_string else "value"
        guard(
            f"{measure} {op} {bound}",
            f"have a {what} {word} the new {'min' if op == '<' else 'max'} {bound}",
            "change them, then upgrade again",
        )
    if new.pattern is not None and new.pattern != old.pattern:
        steps.helpers.add("refuse_mismatches")
        steps.imports.add("import re")
        message = (
            f"{where_col}: {{count}} rows do not match the new pattern; "
            "change them, then upgrade again"
        )
        values = words("SELECT", col, "FROM", table, "WHERE", col, "IS NOT NULL")
        steps.guards.append(
            f"refuse_mismatches({sql_literal(values)}, {new.pattern!r}, "
            f"{sql_literal(message)})"
        )
    if steps.guards:
        steps.helpers.add("refuse_rows")
    return steps


def removed_choices_guard(
    table: str, old: FieldSpec, new: FieldSpec, mapping: dict[str, str]
) -> list[str]:
    removed = [c for c in old.choices if c not in new.choices and c not in mapping]
    if not removed:
        return []
    listed = ", ".join(f"'{choice}'" for choice in removed)
    message = (
        f"{table}.{new.name}: {{count}} rows hold {', '.join(removed)}, which the "
        "field no longer accepts; map each to a remaining value with "
        "--map OLD=NEW, then upgrade again"
    )
    return [count_guard(table, f"{ident(old.name)} IN ({listed})", message)]


def _label(table: str, columns: Sequence[str]) -> str:
    return f"{table}.{'/'.join(columns)}" if columns else table


def nulls_guard(table: str, column: str) -> str:
    """Count the rows holding NULL in ``column``, which becomes NOT NULL."""
    message = (
        f"{table}.{column}: {{count}} rows hold NULL and the column becomes "
        "required; fill them, then upgrade again"
    )
    return count_guard(table, f"{ident(column)} IS NULL", message)


def duplicates_guard(table: str, columns: Sequence[str]) -> str:
    """Count the rows sharing their values of ``columns``, which become unique."""
    listed = ", ".join(ident(column) for column in columns)
    row = listed if len(columns) == 1 else f"({listed})"
    where = (
        words(row, "IN (SELECT", listed, "FROM", table, "GROUP BY", listed)
        + " HAVING count(*) > 1)"
    )
    message = (
        f"{_label(table, columns)}: {{count}} rows share a value and it becomes "
        "unique; make the values distinct, then upgrade again"
    )
    return count_guard(table, where, message)


def check_guard(table: str, name: str, condition: str, columns: Sequence[str]) -> str:
    """Count the rows the new CHECK constraint ``name`` (``condition``) refuses.

    A NULL passes a CHECK, as ``NOT (condition)`` does not count it.
    """
    message = (
        f"{_label(table, columns)}: {{count}} rows break the new CHECK "
        f"constraint {name} ({condition}); change them, then upgrade again"
    )
    return count_guard(table, f"NOT ({condition})", message)
