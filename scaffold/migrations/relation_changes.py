"""The operations of a revision that removes, renames or alters references.

A removed ``ref`` loses its index, foreign key and key column; a removed
``refs`` its association table (both destroy data, and ``downgrade()``
restores the schema: a restored required key points at a row of the target
table). A renamed ``ref`` keeps its column and values under the new key, its
foreign key and index renamed. An altered ``ref`` becomes required (after
counting, or filling, the rows without one) or optional, or changes its
``ON DELETE`` action.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from scaffold.migrations.relation_ops import relation_steps
from scaffold.migrations.sql_source import (
    Steps,
    count_guard,
    drop_constraint,
    sql_literal,
    value_source,
    words,
)
from scaffold.render.relation_model import RelationView
from scaffold.render.view_model import ResourceView

__all__ = ["ReferenceStep", "altered_steps", "removed_steps", "renamed_steps"]


@dataclass(frozen=True)
class ReferenceStep:
    """The revision's statements for one reference change, and its risks.

    Attributes:
        up: What ``upgrade()`` runs.
        down: What ``downgrade()`` runs.
        destroyed: What it destroys (makes the revision DESTRUCTIVE).
        risks: The data-risk summary lines.
    """

    up: Steps
    down: Steps
    destroyed: tuple[str, ...] = ()
    risks: tuple[str, ...] = ()


def _fk(table: str, relation: RelationView) -> str:
    return f"fk_{table}_{relation.key}_{relation.target.table}"


def _create_fk(table: str, relation: RelationView) -> str:
    return (
        f'batch_op.create_foreign_key(op.f("{_fk(table, relation)}"), '
        f'"{relation.target.table}", ["{relation.key}"], ["id"], '
        f'ondelete="{relation.spec.on_delete.sql}")'
    )


def _drop_fk(table: str, relation: RelationView) -> str:
    return drop_constraint(_fk(table, relation), "foreignkey")


def _any_target(table: str, relation: RelationView) -> str:
    """Fill the rows without a key with the first row of the target table."""
    sql = words(
        "UPDATE", table, "SET", relation.key,
        "= (SELECT id FROM", relation.target.table, "ORDER BY id LIMIT 1)",
        "WHERE", relation.key, "IS NULL",
    )  # fmt: skip
    return f"op.execute({sql_literal(sql)})"


def removed_steps(
    table: str,
    relation: RelationView,
    *,
    owner: ResourceView,
    sa_id: str,
    project: Path | None = None,
) -> ReferenceStep:
    """Drop ``relation`` from ``table``; the downgrade puts its schema back."""
    added, removed = relation_steps(
        table, relation, owner=owner, sa_id=sa_id, project=project
    )
    if not relation.many and not relation.optional:
        # the restored required key gets a target row instead of a bound value
        added.fill = [_any_target(table, relation)]
    if relation.many:
        lost = f"drops the association table {relation.association}"
    else:
        lost = f"drops {table}.{relation.key}"
    note = (
        f"; a restored required key points at the first row of {relation.target.table}"
        if not relation.many and not relation.optional
        else ""
    )
    return ReferenceStep(
        removed,
        added,
        destroyed=(f"{lost}: its references cannot come back{note}",),
    )


def renamed_steps(
    table: str, old: RelationView, new: RelationView, *, sa_id: str
) -> ReferenceStep:
    """Rename ``old``'s key column to ``new``'s, its values kept."""

    def rename(source: RelationView, target: RelationView) -> Steps:
        steps = Steps()
        steps.before.append(
            f'op.drop_index(op.f("{source.index_name}"), table_name="{table}")'
        )
        steps.alter.append(_drop_fk(table, source))
        steps.alter.append(
            f'batch_op.alter_column("{source.key}", new_column_name="{target.key}", '
            f"existing_type={sa_id}, existing_nullable={source.optional})"
        )
        steps.finish.append(_create_fk(table, target))
        steps.after.append(
            f'op.create_index(op.f("{target.index_name}"), "{table}", ["{target.key}"])'
        )
        return steps

    risk = f"{table}.{old.key} is renamed to {new.key}; references kept"
    return ReferenceStep(rename(old, new), rename(new, old), risks=(risk,))


def altered_steps(
    table: str,
    old: RelationView,
    new: RelationView,
    *,
    sa_id: str,
    fill: object = None,
) -> ReferenceStep:
    """Make ``old`` required or optional, or change its ``ON DELETE``."""
    up, down = Steps(), Steps()
    risks: list[str] = []
    where = f"{table}.{new.key}"
    if old.optional and not new.optional:
        if fill is None:
            up.helpers.add("refuse_rows")
            up.guards.append(
                count_guard(
                    table,
                    f"{new.key} IS NULL",
                    f"{where}: {{count}} rows have no {new.label} and the "
                    f"reference becomes required; give them one (or pass "
                    f"--backfill ID), then upgrade again",
                )
            )
            risks.append(f"{where}: rows without {new.a_label} stop it")
        else:
            sql = words("UPDATE", table, "SET", new.key, "= :value WHERE", new.key,
                        "IS NULL")  # fmt: skip
            up.fill.append(
                f"op.execute(sa.text({sql_literal(sql)}).bindparams("
                f'sa.bindparam("value", {value_source(fill, up.imports)}, '
                f"type_={sa_id})))"
            )
            risks.append(f"{where}: rows without {new.a_label} refer to {fill}")
        up.finish.append(
            f'batch_op.alter_column("{new.key}", existing_type={sa_id}, nullable=False)'
        )
        down.alter.append(
            f'batch_op.alter_column("{new.key}", existing_type={sa_id}, nullable=True)'
        )
    elif new.optional and not old.optional:
        up.alter.append(
            f'batch_op.alter_column("{new.key}", existing_type={sa_id}, nullable=True)'
        )
        down.fill.append(_any_target(table, old))
        down.finish.append(
            f'batch_op.alter_column("{new.key}", existing_type={sa_id}, nullable=False)'
        )
    if old.spec.on_delete != new.spec.on_delete:
        up.alter.append(_drop_fk(table, old))
        up.finish.append(_create_fk(table, new))
        down.alter.append(_drop_fk(table, new))
        down.finish.append(_create_fk(table, old))
        risks.append(
            f"{where}: deleting a {new.target.singular} now does "
            f"{new.spec.on_delete.sql} to the rows referring to it"
        )
    return ReferenceStep(up, down, risks=tuple(risks))
