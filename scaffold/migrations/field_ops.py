"""The operations of a revision that changes a table's columns, as source.

One function, :func:`column_steps`, turns a column as it was (or None) and
as it is to be (or None) into the statements that make the change, sorted
into the phases a revision runs them in (:class:`Steps`). The same function
writes ``upgrade()`` (old → new) and ``downgrade()`` (new → old): only the
data handling differs. An upgrade first counts the rows the change would
violate and stops before changing anything; a downgrade makes the rows fit
(placeholders for a restored column, truncation for a shorter string),
because a downgrade must always work.

Every statement runs through ``op.batch_alter_table``: SQLite recreates the
table, PostgreSQL gets plain ``ALTER TABLE``. CHECK constraints of enum
columns are dropped and created explicitly (by their convention names), so
the same revision behaves the same on both.

A unique field of a soft-delete resource is unique among the rows not
deleted: a partial unique index (``WHERE deleted_at IS NULL``) under the
unique constraint's name, dropped before the batch and created after it.
"""

from __future__ import annotations

from scaffold.migrations.bound_checks import bound_check_steps
from scaffold.migrations.field_guards import removed_choices_guard, row_guards
from scaffold.migrations.search_indexes import search_index_steps
from scaffold.migrations.sql_source import (
    Steps,
    check_name,
    choices_condition,
    column_limit,
    count_guard,
    create_check,
    create_unique,
    drop_constraint,
    ident,
    placeholder,
    plain_type,
    sql_literal,
    value_source,
    words,
)
from scaffold.spec import FieldSpec, FieldType

__all__ = ["column_steps"]


def column_steps(
    table: str,
    old: FieldSpec | None,
    new: FieldSpec | None,
    *,
    fill: object = None,
    mapping: dict[str, str] | None = None,
    upgrade: bool = True,
    soft_delete: bool = False,
) -> Steps:
    """The statements that turn column ``old`` into column ``new``.

    Args:
        table: The table.
        old: The column as it is (None to add one).
        new: The column as it is to be (None to drop it).
        fill: The value for rows that need one (a new required column, a
            column that becomes required); None to count such rows instead.
        mapping: Enum values removed → the values their rows take.
        upgrade: Count the rows the change would violate and stop (upgrade),
            or make the rows fit (downgrade).
        soft_delete: The table keeps deleted rows (``deleted_at``), so a
            unique field is a partial unique index over the others.
    """
    mapping = dict(mapping or {})
    steps = search_index_steps(table, old, new)
    if new is None:
        if old is None:
            raise ValueError("a column change needs an old or a new column")
        steps.extend(bound_check_steps(table, old, None, upgrade=upgrade))
        return _drop(table, old, steps, soft_delete)
    if old is None:
        _add(table, new, fill, steps, soft_delete)
        steps.extend(bound_check_steps(table, None, new, upgrade=upgrade))
        return steps
    if upgrade:
        steps.extend(
            row_guards(table, old, new, filled=fill is not None, live_only=soft_delete)
        )
        if old.type is FieldType.ENUM and new.type is FieldType.ENUM:
            steps.guards += removed_choices_guard(table, old, new, mapping)
            if steps.guards:
                steps.helpers.add("refuse_rows")
    name = old.name
    col = ident(new.name)
    # Drop what names the column or constrains its values; it is made again.
    if (
        old.index
        and not old.unique
        and (old.name != new.name or not new.index or new.unique)
    ):
        steps.before.append(
            f'op.drop_index(op.f("ix_{table}_{old.name}"), table_name="{table}")'
        )
    if old.unique and (old.name != new.name or not new.unique):
        _drop_unique(table, old, steps, soft_delete)
    enum_changed = old.type is FieldType.ENUM and (
        new.type is not FieldType.ENUM
        or new.choices != old.choices
        or check_name(table, old) != check_name(table, new)
    )
    if enum_changed:
        steps.alter.append(_drop_check(table, old))
    steps.extend(bound_check_steps(table, old, new, upgrade=upgrade))
    if old.name != new.name:
        steps.alter.append(
            f'batch_op.alter_column("{name}", new_column_name="{new.name}")'
        )
    if not upgrade:
        steps.fill += _fit_rows(table, old, new, fill, steps.imports)
    old_type, new_type = plain_type(old), plain_type(new)
    if old_type != new_type:
        steps.alter.append(
            f'batch_op.alter_column("{new.name}", type_={new_type}, '
            f"existing_type={old_type}, existing_nullable={old.nullable})"
        )
    for before, after in sorted(mapping.items()):
        steps.fill.append(
            _execute(
                words("UPDATE", table, "SET", f"{col} = '{after}'", "WHERE", col)
                + f" = '{before}'"
            )
        )
    if old.nullable and not new.nullable:
        if fill is not None:
            steps.fill.append(_fill(table, new, fill, steps.imports))
        steps.finish.append(
            f'batch_op.alter_column("{new.name}", existing_type={new_type}, '
            "nullable=False)"
        )
    elif new.nullable and not old.nullable:
        steps.alter.append(
            f'batch_op.alter_column("{new.name}", existing_type={new_type}, '
            "nullable=True)"
        )
    if new.type is FieldType.ENUM and (enum_changed or old.type is not FieldType.ENUM):
        steps.finish.append(_create_check(table, new))
    if new.unique and (old.name != new.name or not old.unique):
        _add_unique(table, new, steps, soft_delete)
    if (
        new.index
        and not new.unique
        and (old.name != new.name or not old.index or old.unique)
    ):
        steps.after.append(_create_index(table, new))
    return steps


def _fit_rows(
    table: str, old: FieldSpec, new: FieldSpec, fill: object, imports: set[str]
) -> list[str]:
    """Downgrade: make the rows fit the narrower column ``new`` restores."""
    col = ident(new.name)
    statements = []
    limit = column_limit(new)
    if limit is not None and (
        column_limit(old) is None or limit < (column_limit(old) or 0)
    ):
        statements.append(
            _execute(
                words(
                    "UPDATE",
                    table,
                    "SET",
                    f"{col} = substr({col}, 1, {limit})",
                    "WHERE",
                    f"length({col}) > {limit}",
                )
            )
        )
    if new.type is FieldType.ENUM and old.type is FieldType.ENUM:
        extra = [c for c in old.choices if c not in new.choices]
        if extra:
            listed = ", ".join(f"'{choice}'" for choice in extra)
            value = placeholder(new)
            statements.append(
                _execute(
                    words(
                        "UPDATE",
                        table,
                        "SET",
                        f"{col} = '{value}'",
                        "WHERE",
                        col,
                        f"IN ({listed})",
                    )
                )
            )
    del fill, imports
    return statements


def _execute(sql: str) -> str:
    return f"op.execute({sql_literal(sql)})"


def _fill(table: str, spec: FieldSpec, value: object, imports: set[str]) -> str:
    col = ident(spec.name)
    sql = words("UPDATE", table, "SET", col, "= :value WHERE", col, "IS NULL")
    return (
        f"op.execute(sa.text({sql_literal(sql)}).bindparams("
        f'sa.bindparam("value", {value_source(value, imports)}, '
        f"type_={plain_type(spec)})))"
    )


def _drop_check(table: str, spec: FieldSpec) -> str:
    return drop_constraint(check_name(table, spec), "check")


def _create_check(table: str, spec: FieldSpec) -> str:
    condition = sql_literal(choices_condition(spec))
    return create_check(check_name(table, spec), condition)


def _add_unique(table: str, spec: FieldSpec, steps: Steps, partial: bool) -> None:
    """Make ``spec`` unique: a constraint, or a partial index when ``partial``."""
    name = f"uq_{table}_{spec.name}"
    if not partial:
        steps.finish.append(create_unique(name, f'["{spec.name}"]'))
        return
    live = 'sa.column("deleted_at").is_(None)'
    steps.after.append(
        f'op.create_index(op.f("{name}"), "{table}", ["{spec.name}"], unique=True, '
        f"sqlite_where={live}, postgresql_where={live})"
    )


def _drop_unique(table: str, spec: FieldSpec, steps: Steps, partial: bool) -> None:
    """Drop what makes ``spec`` unique (see :func:`_add_unique`)."""
    name = f"uq_{table}_{spec.name}"
    if partial:
        steps.before.append(f'op.drop_index(op.f("{name}"), table_name="{table}")')
    else:
        steps.alter.append(drop_constraint(name, "unique"))


def _create_index(table: str, spec: FieldSpec) -> str:
    return (
        f'op.create_index(op.f("ix_{table}_{spec.name}"), "{table}", ["{spec.name}"])'
    )


def _add(
    table: str, new: FieldSpec, fill: object, steps: Steps, soft_delete: bool
) -> Steps:
    needs_fill = not new.nullable
    value = fill if fill is not None else placeholder(new)
    steps.alter.append(
        f'batch_op.add_column(sa.Column("{new.name}", {plain_type(new)}, '
        f"nullable={new.nullable or needs_fill}))"
    )
    if needs_fill:
        if new.unique:
            steps.helpers.add("refuse_rows")
            steps.guards.append(
                count_guard(
                    table,
                    "1 = 1 HAVING count(*) > 1",
                    f"{table}.{new.name}: {{count}} rows would all get the one "
                    "backfill value of a unique field; add the field as optional, "
                    "fill it, then make it required",
                )
            )
        steps.fill.append(_fill(table, new, value, steps.imports))
        steps.finish.append(
            f'batch_op.alter_column("{new.name}", existing_type={plain_type(new)}, '
            "nullable=False)"
        )
    if new.type is FieldType.ENUM:
        steps.finish.append(_create_check(table, new))
    if new.unique:
        _add_unique(table, new, steps, soft_delete)
    if new.index and not new.unique:
        steps.after.append(_create_index(table, new))
    return steps


def _drop(table: str, old: FieldSpec, steps: Steps, soft_delete: bool) -> Steps:
    if old.index and not old.unique:
        steps.before.append(
            f'op.drop_index(op.f("ix_{table}_{old.name}"), table_name="{table}")'
        )
    if old.unique:
        _drop_unique(table, old, steps, soft_delete)
    if old.type is FieldType.ENUM:
        steps.alter.append(_drop_check(table, old))
    steps.alter.append(f'batch_op.drop_column("{old.name}")')
    return steps
