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
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal
from uuid import UUID

from scaffold.render.view_fields import column_type
from scaffold.spec import FieldSpec, FieldType

__all__ = ["Steps", "column_steps", "placeholder", "value_source"]


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

    def extend(self, other: Steps) -> None:
        """Append ``other``'s statements, phase by phase."""
        for name in ("guards", "before", "alter", "fill", "finish", "after"):
            getattr(self, name).extend(getattr(other, name))
        self.imports |= other.imports
        self.helpers |= other.helpers


def _words(*parts: str) -> str:
    """SQL text for the revision, from its parts (names come from the spec)."""
    return " ".join(parts)


def _ident(name: str) -> str:
    return f'"{name}"' if not name.isidentifier() or not name.islower() else name


def _quote(text: str) -> str:
    return repr(text) if '"' in text or "'" not in text else f'"{text}"'


def _sql(text: str, width: int = 56) -> str:
    """A string literal, split into implicitly joined parts if it is long."""
    if len(text) <= width:
        return _quote(text)
    parts: list[str] = []
    for word in text.split(" "):
        if parts and len(parts[-1]) + len(word) < width:
            parts[-1] += " " + word
        else:
            parts.append(word if not parts else " " + word)
    # Each part but the first starts with the space that joins it.
    return "(" + " ".join(_quote(part) for part in parts) + ")"


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
    return zero.get(spec.type, "")


def _plain_type(spec: FieldSpec) -> str:
    """The column type, an enum's as the VARCHAR it is (its CHECK is separate)."""
    if spec.type is FieldType.ENUM:
        length = max((len(choice) for choice in spec.choices), default=1)
        return f"sa.String(length={length})"
    return column_type(spec)


def _check_name(table: str, spec: FieldSpec) -> str:
    return f"ck_{table}_{spec.enum_db_name or spec.name}"


def _choices_condition(spec: FieldSpec) -> str:
    listed = ", ".join(f"'{choice}'" for choice in spec.choices)
    return f"{_ident(spec.name)} IN ({listed})"


def _count_guard(table: str, where: str, message: str) -> str:
    sql = _words("SELECT count(*) FROM", table, "WHERE", where)
    return f"refuse_rows({_sql(sql)}, {_sql(message)})"


def _limit(spec: FieldSpec) -> int | None:
    if spec.type is FieldType.TEXT:
        return None
    if spec.type is FieldType.ENUM:
        return None
    return spec.length


def _digits(spec: FieldSpec) -> tuple[int, int] | None:
    if spec.type is not FieldType.DECIMAL:
        return None
    return spec.precision or 12, spec.scale or 0


def narrows(old: FieldSpec, new: FieldSpec) -> list[str]:
    """What in ``new``'s column type holds less than ``old``'s (destructive)."""
    reasons = []
    old_limit, new_limit = _limit(old), _limit(new)
    if new_limit is not None and (old_limit is None or new_limit < old_limit):
        reasons.append(
            f"length {old_limit or 'unlimited'} to {new_limit}"
            if old.is_string
            else f"{old.type} to {new.type}"
        )
    old_digits, new_digits = _digits(old), _digits(new)
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


def _guards(table: str, old: FieldSpec, new: FieldSpec, *, filled: bool) -> Steps:
    """Counts of the existing rows that ``new`` would not accept."""
    steps = Steps()
    col = _ident(old.name)
    where_col = f"{table}.{new.name}"

    def guard(where: str, problem: str, fix: str) -> None:
        steps.guards.append(
            _count_guard(table, where, f"{where_col}: {{count}} rows {problem}; {fix}")
        )

    if old.nullable and not new.nullable and not filled:
        guard(
            f"{col} IS NULL",
            "hold NULL and the field becomes required",
            "fill them or pass --backfill VALUE, then upgrade again",
        )
    if new.unique and not old.unique:
        guard(
            _words(
                col,
                "IN (SELECT",
                col,
                "FROM",
                table,
                "GROUP BY",
                col,
                "HAVING count(*) > 1)",
            ),
            "share a value and the field becomes unique",
            "make the values distinct, then upgrade again",
        )
    new_limit = _limit(new)
    if new_limit is not None and (
        _limit(old) is None or new_limit < (_limit(old) or 0)
    ):
        guard(
            f"length({col}) > {new_limit}",
            f"are longer than {new_limit} characters",
            "shorten them, then upgrade again",
        )
    old_digits, new_digits = _digits(old), _digits(new)
    if old_digits and new_digits and new_digits != old_digits:
        limit = 10 ** (new_digits[0] - new_digits[1])
        guard(
            f"abs({col}) >= {limit} OR {col} <> round({col}, {new_digits[1]})",
            f"do not fit decimal({new_digits[0]},{new_digits[1]})",
            "change them to fit, then upgrade again",
        )
    measure = f"length({col})" if new.is_string else col
    for bound, op, word in ((new.min, "<", "below"), (new.max, ">", "above")):
        old_bound = old.min if op == "<" else old.max
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
        values = _words("SELECT", col, "FROM", table, "WHERE", col, "IS NOT NULL")
        steps.guards.append(
            f"refuse_mismatches({_sql(values)}, {new.pattern!r}, {_sql(message)})"
        )
    if steps.guards:
        steps.helpers.add("refuse_rows")
    return steps


def _removed_choices_guard(
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
    return [_count_guard(table, f"{_ident(old.name)} IN ({listed})", message)]


def column_steps(
    table: str,
    old: FieldSpec | None,
    new: FieldSpec | None,
    *,
    fill: object = None,
    mapping: dict[str, str] | None = None,
    upgrade: bool = True,
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
    """
    mapping = dict(mapping or {})
    steps = Steps()
    if new is None:
        if old is None:
            raise ValueError("a column change needs an old or a new column")
        return _drop(table, old, steps)
    if old is None:
        return _add(table, new, fill, steps)
    if upgrade:
        steps.extend(_guards(table, old, new, filled=fill is not None))
        if old.type is FieldType.ENUM and new.type is FieldType.ENUM:
            steps.guards += _removed_choices_guard(table, old, new, mapping)
            if steps.guards:
                steps.helpers.add("refuse_rows")
    name = old.name
    col = _ident(new.name)
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
        steps.alter.append(
            f'batch_op.drop_constraint(op.f("uq_{table}_{old.name}"), type_="unique")'
        )
    enum_changed = old.type is FieldType.ENUM and (
        new.type is not FieldType.ENUM
        or new.choices != old.choices
        or _check_name(table, old) != _check_name(table, new)
    )
    if enum_changed:
        steps.alter.append(_drop_check(table, old))
    if old.name != new.name:
        steps.alter.append(
            f'batch_op.alter_column("{name}", new_column_name="{new.name}")'
        )
    if not upgrade:
        steps.fill += _fit_rows(table, old, new, fill, steps.imports)
    old_type, new_type = _plain_type(old), _plain_type(new)
    if old_type != new_type:
        steps.alter.append(
            f'batch_op.alter_column("{new.name}", type_={new_type}, '
            f"existing_type={old_type}, existing_nullable={old.nullable})"
        )
    for before, after in sorted(mapping.items()):
        steps.fill.append(
            _execute(
                _words("UPDATE", table, "SET", f"{col} = '{after}'", "WHERE", col)
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
        steps.finish.append(_create_unique(table, new))
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
    col = _ident(new.name)
    statements = []
    limit = _limit(new)
    if limit is not None and (_limit(old) is None or limit < (_limit(old) or 0)):
        statements.append(
            _execute(
                _words(
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
                    _words(
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
    return f"op.execute({_sql(sql)})"


def _fill(table: str, spec: FieldSpec, value: object, imports: set[str]) -> str:
    col = _ident(spec.name)
    sql = _words("UPDATE", table, "SET", col, "= :value WHERE", col, "IS NULL")
    return (
        f"op.execute(sa.text({_sql(sql)}).bindparams("
        f'sa.bindparam("value", {value_source(value, imports)}, '
        f"type_={_plain_type(spec)})))"
    )


def _drop_check(table: str, spec: FieldSpec) -> str:
    name = _check_name(table, spec)
    return f'batch_op.drop_constraint(op.f("{name}"), type_="check")'


def _create_check(table: str, spec: FieldSpec) -> str:
    return (
        f'batch_op.create_check_constraint(op.f("{_check_name(table, spec)}"), '
        f"{_sql(_choices_condition(spec))})"
    )


def _create_unique(table: str, spec: FieldSpec) -> str:
    return (
        f'batch_op.create_unique_constraint(op.f("uq_{table}_{spec.name}"), '
        f'["{spec.name}"])'
    )


def _create_index(table: str, spec: FieldSpec) -> str:
    return (
        f'op.create_index(op.f("ix_{table}_{spec.name}"), "{table}", ["{spec.name}"])'
    )


def _add(table: str, new: FieldSpec, fill: object, steps: Steps) -> Steps:
    needs_fill = not new.nullable
    value = fill if fill is not None else placeholder(new)
    steps.alter.append(
        f'batch_op.add_column(sa.Column("{new.name}", {_plain_type(new)}, '
        f"nullable={new.nullable or needs_fill}))"
    )
    if needs_fill:
        if new.unique:
            steps.helpers.add("refuse_rows")
            steps.guards.append(
                _count_guard(
                    table,
                    "1 = 1 HAVING count(*) > 1",
                    f"{table}.{new.name}: {{count}} rows would all get the one "
                    "backfill value of a unique field; add the field as optional, "
                    "fill it, then make it required",
                )
            )
        steps.fill.append(_fill(table, new, value, steps.imports))
        steps.finish.append(
            f'batch_op.alter_column("{new.name}", existing_type={_plain_type(new)}, '
            "nullable=False)"
        )
    if new.type is FieldType.ENUM:
        steps.finish.append(_create_check(table, new))
    if new.unique:
        steps.finish.append(_create_unique(table, new))
    if new.index and not new.unique:
        steps.after.append(_create_index(table, new))
    return steps


def _drop(table: str, old: FieldSpec, steps: Steps) -> Steps:
    if old.index and not old.unique:
        steps.before.append(
            f'op.drop_index(op.f("ix_{table}_{old.name}"), table_name="{table}")'
        )
    if old.unique:
        steps.alter.append(
            f'batch_op.drop_constraint(op.f("uq_{table}_{old.name}"), type_="unique")'
        )
    if old.type is FieldType.ENUM:
        steps.alter.append(_drop_check(table, old))
    steps.alter.append(f'batch_op.drop_column("{old.name}")')
    return steps
