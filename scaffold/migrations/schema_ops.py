"""The statements that take a table from one declared schema to another.

:func:`schema_change` compares two
:class:`~scaffold.migrations.model_schema.TableSchema` of the same table
(as a model declared it before and after) and writes, as
:class:`~scaffold.migrations.sql_source.Steps` for
:func:`~scaffold.migrations.field_revision.revision_source`, what changes in
place: CHECK constraints, unique constraints and indexes added, dropped or
redefined, and columns whose type or nullability changed. Every statement
runs through ``op.batch_alter_table`` (SQLite recreates the table,
PostgreSQL gets plain ``ALTER TABLE``), as the field commands' revisions do.
Before anything changes, ``upgrade()`` counts the rows a new rule refuses
(:mod:`scaffold.migrations.field_guards`) and stops naming them.

Columns that appear or disappear are not written: that is a change of the
resource's fields, which the field commands make; they are listed as
``manual``.
"""

from __future__ import annotations

import ast
import dataclasses
from dataclasses import dataclass, field
from typing import Any

from scaffold.migrations.field_guards import (
    check_guard,
    duplicates_guard,
    nulls_guard,
)
from scaffold.migrations.model_schema import (
    Column,
    TableSchema,
    condition_sql,
    expression_columns,
)
from scaffold.migrations.search_indexes import create_trigram_index, drop_trigram_index
from scaffold.migrations.sql_source import (
    Steps,
    create_check,
    create_unique,
    drop_constraint,
)

__all__ = ["SchemaChange", "schema_change"]


@dataclass
class SchemaChange:
    """What changes in one table, both ways.

    Attributes:
        table: The table.
        upgrade: The statements of ``upgrade()``, guards included.
        downgrade: The statements of ``downgrade()``.
        summary: One line per change (``adds CHECK ck_books_price_min``).
        manual: Changes no revision is written for, with the reason.
    """

    table: str
    upgrade: Steps = field(default_factory=Steps)
    downgrade: Steps = field(default_factory=Steps)
    summary: list[str] = field(default_factory=list)
    manual: list[str] = field(default_factory=list)

    @property
    def empty(self) -> bool:
        """Whether no statement is written."""
        return not self.summary


def _portable(source: str | None) -> bool:
    """Whether a type's source names nothing but ``sa.`` (the model's enums do)."""
    if source is None:
        return False
    names = {
        node.id
        for node in ast.walk(ast.parse(source, mode="eval"))
        if isinstance(node, ast.Name)
    }
    return names <= {"sa"}


def _existing(column: Column) -> str:
    return f", existing_type={column.type}" if _portable(column.type) else ""


def _columns(columns: tuple[str, ...]) -> str:
    return "[" + ", ".join(f'"{column}"' for column in columns) + "]"


def _steps(
    old: TableSchema, new: TableSchema, change: SchemaChange, *, upgrade: bool
) -> Steps:
    """The statements from ``old`` to ``new`` (guards and summary on upgrade)."""
    table = new.name
    steps = Steps()
    note = change.summary.append if upgrade else (lambda line: None)
    for name, index in sorted(old.indexes.items()):
        if new.indexes.get(name) != index and index.trigram:
            steps.before.append(drop_trigram_index(name, table))
            steps.helpers.add("drop_trigram_index")
        elif new.indexes.get(name) != index:
            steps.before.append(f'op.drop_index(op.f("{name}"), table_name="{table}")')
            if name not in new.indexes:
                note(f"drops index {name}")
    dropped: list[tuple[str, str, dict[str, Any], dict[str, Any]]] = [
        ("unique", "unique constraint", old.uniques, new.uniques),
        ("check", "CHECK", old.checks, new.checks),
    ]
    for kind, label, was, will in dropped:
        for name in sorted(was):
            if will.get(name) != was[name]:
                steps.alter.append(drop_constraint(name, kind))
                if name not in will:
                    note(f"drops {label} {name}")
    for name in sorted(set(old.columns) & set(new.columns)):
        before, after = old.columns[name], new.columns[name]
        _column(table, name, before, after, steps, change, upgrade=upgrade)
    for name, columns in sorted(new.uniques.items()):
        if old.uniques.get(name) != columns:
            if upgrade:
                steps.guards.append(duplicates_guard(table, columns))
            steps.finish.append(create_unique(name, _columns(columns)))
            note(f"adds unique constraint {name}")
    for name, expression in sorted(new.checks.items()):
        if old.checks.get(name) == expression:
            continue
        if upgrade:
            condition = condition_sql(expression)
            named = expression_columns(expression)
            steps.guards.append(check_guard(table, name, condition, named))
            note(f"{'changes' if name in old.checks else 'adds'} CHECK {name}")
        steps.finish.append(create_check(name, expression))
    for name, index in sorted(new.indexes.items()):
        if old.indexes.get(name) != index:
            if index.trigram:
                (column,) = index.columns
                steps.after.append(create_trigram_index(name, table, column))
                steps.helpers.add("create_trigram_index")
                note(f"adds index {name} (PostgreSQL)")
                continue
            if upgrade and index.unique:
                steps.guards.append(duplicates_guard(table, index.columns))
            unique = ", unique=True" if index.unique else ""
            if index.where is not None:
                unique += (
                    f", sqlite_where={index.where}, postgresql_where={index.where}"
                )
            steps.after.append(
                f'op.create_index(op.f("{name}"), "{table}", '
                f"{_columns(index.columns)}{unique})"
            )
            note(f"adds index {name}")
    if steps.guards:
        steps.helpers.add("refuse_rows")
    return steps


def _column(
    table: str,
    name: str,
    old: Column,
    new: Column,
    steps: Steps,
    change: SchemaChange,
    *,
    upgrade: bool,
) -> None:
    """The statements that change one column's type and nullability."""
    if old.type != new.type or old.annotation != new.annotation:
        steps.alter.append(
            f'batch_op.alter_column("{name}", type_={new.type}'
            f"{_existing(old)}, existing_nullable={old.nullable})"
        )
        if upgrade:
            change.summary.append(f"changes the type of {name} to {new.type}")
    if old.nullable == new.nullable:
        return
    statement = (
        f'batch_op.alter_column("{name}"{_existing(new)}, nullable={new.nullable})'
    )
    if new.nullable:
        steps.alter.append(statement)
    else:
        if upgrade:
            steps.guards.append(nulls_guard(table, name))
        steps.finish.append(statement)
    if upgrade:
        change.summary.append(
            f"makes {name} {'optional' if new.nullable else 'required'}"
        )


def _writable(old: TableSchema, new: TableSchema, manual: list[str]) -> TableSchema:
    """``new``, less the changes no revision can be written for (in ``manual``).

    A CHECK whose condition cannot be written as SQL could not be counted
    against the rows first; a type that names the model's own classes (an
    enum) cannot be spelled in a revision.
    """
    table = new.name
    checks = dict(new.checks)
    for name, expression in new.checks.items():
        if old.checks.get(name) == expression:
            continue
        try:
            condition_sql(expression)
        except ValueError:
            manual.append(
                f"{table}: CHECK {name} ({expression}) cannot be counted against "
                "the rows before it is added; write its revision by hand"
            )
            if name in old.checks:
                checks[name] = old.checks[name]
            else:
                del checks[name]
    columns = dict(new.columns)
    for name in set(old.columns) & set(new.columns):
        before, after = old.columns[name], new.columns[name]
        same = (before.type, before.annotation) == (after.type, after.annotation)
        if not same and not (_portable(before.type) and _portable(after.type)):
            manual.append(
                f"{table}.{name}: its type changes ({before.annotation} to "
                f"{after.annotation}, {after.type or 'inferred'}); write its "
                "revision by hand"
            )
            columns[name] = dataclasses.replace(
                after, type=before.type, annotation=before.annotation
            )
    return dataclasses.replace(new, checks=checks, columns=columns)


def schema_change(old: TableSchema, new: TableSchema) -> SchemaChange:
    """What takes ``old`` to ``new`` (the same table), and back."""
    change = SchemaChange(new.name)
    target = _writable(old, new, change.manual)
    change.upgrade = _steps(old, target, change, upgrade=True)
    change.downgrade = _steps(target, old, change, upgrade=False)
    for name in sorted(set(new.columns) - set(old.columns)):
        change.manual.append(
            f"{new.name}.{name}: the new templates add this column; add it with "
            "scaffold add field, or write its revision by hand"
        )
    for name in sorted(set(old.columns) - set(new.columns)):
        change.manual.append(
            f"{new.name}.{name}: the new templates no longer declare this column; "
            "drop it with scaffold remove field, or keep it by hand"
        )
    return change
