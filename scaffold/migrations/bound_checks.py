"""The CHECK constraints of a column's bounds, in a revision that changes it.

The model declares one named CHECK constraint per bound (see
:mod:`scaffold.render.view_checks`); a revision that adds, changes, renames
or drops the column drops the constraints that no longer hold as they are
and creates the new ones, so the database keeps enforcing what the API
checks. Each condition is spelled by the same ``check_condition`` macro the
models and the create-table migrations print.

A constraint that names a renamed column is dropped before the rename and
made again after it: SQLite's batch mode copies a CHECK's text as it is, and
that text would name a column that is gone.
"""

from __future__ import annotations

from scaffold.migrations.sql_source import (
    Steps,
    create_check,
    drop_constraint,
    ident,
    sql_literal,
    words,
)
from scaffold.render.environment import render_macro
from scaffold.render.view_checks import CheckView, check_views
from scaffold.spec import FieldSpec

__all__ = ["bound_check_steps"]

MACROS = "resource/_macros.jinja"


def _key(check: CheckView) -> tuple[str, str, str | None, str, str]:
    return (check.name, check.field, check.measure, check.operator, check.bound)


def _drop(table: str, check: CheckView) -> str:
    return drop_constraint(f"ck_{table}_{check.name}", "check")


def _create(table: str, check: CheckView) -> str:
    condition = render_macro(MACROS, "check_condition", check, "sa.")
    return create_check(f"ck_{table}_{check.name}", condition)


def _fit(table: str, check: CheckView) -> str:
    """Downgrade: make the rows satisfy a bound the downgrade restores."""
    col = ident(check.field)
    if check.measure is None:
        outside = "<" if check.operator == ">=" else ">"
        change = f"{col} = {check.bound}"
        where = f"{col} {outside} {check.bound}"
    elif check.operator == ">=":
        padding = "-" * int(check.bound)
        change = (
            f"{col} = {col} || substr('{padding}', 1, {check.bound} - length({col}))"
        )
        where = f"length({col}) < {check.bound}"
    else:
        change = f"{col} = substr({col}, 1, {check.bound})"
        where = f"length({col}) > {check.bound}"
    sql = words("UPDATE", table, "SET", change, "WHERE", where)
    return f"op.execute({sql_literal(sql)})"


def bound_check_steps(
    table: str, old: FieldSpec | None, new: FieldSpec | None, *, upgrade: bool
) -> Steps:
    """Drop the bound checks of ``old`` that change, create those of ``new``.

    Args:
        table: The table.
        old: The column as it is (None when it is added).
        new: The column as it is to be (None when it is dropped).
        upgrade: False in ``downgrade()``: the rows are first made to satisfy
            the bounds it restores, because a downgrade must always work (an
            upgrade counts the offending rows instead, before anything).
    """
    steps = Steps()
    before = check_views(old) if old is not None else []
    after = check_views(new) if new is not None else []
    renamed = old is not None and new is not None and old.name != new.name
    kept = set() if renamed else {_key(c) for c in before} & {_key(c) for c in after}
    steps.alter += [_drop(table, c) for c in before if _key(c) not in kept]
    made = [c for c in after if _key(c) not in kept]
    if not upgrade and old is not None:
        steps.fill += [_fit(table, c) for c in made]
    steps.finish += [_create(table, c) for c in made]
    return steps
