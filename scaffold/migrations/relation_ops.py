"""The operations of a revision that adds references to an existing table.

A ``ref`` becomes a key column (filled for the rows already there when it is
required), its foreign key and its index; a ``refs`` becomes an association
table. ``downgrade()`` takes them away again.
"""

from __future__ import annotations

from pathlib import Path

from scaffold.migrations.sql_source import (
    Steps,
    drop_constraint,
    sql_literal,
    value_source,
    words,
)
from scaffold.render.environment import render_macro
from scaffold.render.relation_model import RelationView
from scaffold.render.view_model import ResourceView

__all__ = ["relation_steps"]


def relation_steps(
    table: str,
    relation: RelationView,
    *,
    owner: ResourceView | None,
    sa_id: str,
    fill: object = None,
    project: Path | None = None,
) -> tuple[Steps, Steps]:
    """The upgrade and downgrade statements that add ``relation`` to ``table``.

    Args:
        table: The referencing table.
        relation: The reference's view, as the create revision uses it.
        owner: The referencing resource's view (needed for a ``refs``).
        project: The project, whose own templates shape the association table.
        sa_id: The id column type: ``sa.Uuid()`` or ``sa.Integer()``.
        fill: The target id existing rows get (a required ``ref``).
    """
    up, down = Steps(), Steps()
    if relation.many and relation.association is not None and owner is not None:
        association = relation.association
        columns = render_macro(
            "resource/_macros.jinja",
            "association_migration",
            relation,
            owner,
            project=project,
        )
        lines = "\n".join(f"        {line}" for line in columns.strip().splitlines())
        up.after.append(f'op.create_table(\n        "{association}",\n{lines}\n    )')
        up.after.append(
            f'op.create_index(op.f("{relation.association_index}"), "{association}", '
            f'["{relation.association_column}"])'
        )
        down.before.append(
            f'op.drop_index(op.f("{relation.association_index}"), '
            f'table_name="{association}")'
        )
        down.before.append(f'op.drop_table("{association}")')
        return up, down
    key, target = relation.key, relation.target.table
    fk = f"fk_{table}_{key}_{target}"
    up.alter.append(f'batch_op.add_column(sa.Column("{key}", {sa_id}, nullable=True))')
    if not relation.optional:
        sql = words("UPDATE", table, "SET", key, "= :value WHERE", key, "IS NULL")
        up.fill.append(
            f"op.execute(sa.text({sql_literal(sql)}).bindparams("
            f'sa.bindparam("value", {value_source(fill, up.imports)}, type_={sa_id})))'
        )
        up.finish.append(
            f'batch_op.alter_column("{key}", existing_type={sa_id}, nullable=False)'
        )
    up.finish.append(
        f'batch_op.create_foreign_key(op.f("{fk}"), "{target}", ["{key}"], ["id"], '
        f'ondelete="{relation.spec.on_delete.sql}")'
    )
    up.after.append(
        f'op.create_index(op.f("{relation.index_name}"), "{table}", ["{key}"])'
    )
    down.before.append(
        f'op.drop_index(op.f("{relation.index_name}"), table_name="{table}")'
    )
    down.alter.append(drop_constraint(fk, "foreignkey"))
    down.alter.append(f'batch_op.drop_column("{key}")')
    return up, down
