"""The revision that changes a resource's fields, written without a database.

:func:`field_revision` turns the field changes of one command into one
Alembic revision: ``upgrade()`` counts the rows the change would violate and
stops before changing anything, then alters the table (through
``op.batch_alter_table``, so one revision serves SQLite and PostgreSQL);
``downgrade()`` restores the previous schema, fitting the rows to it.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

from scaffold.migrations.field_guards import narrows
from scaffold.migrations.field_ops import column_steps
from scaffold.migrations.relation_changes import ReferenceStep
from scaffold.migrations.relation_ops import relation_steps
from scaffold.migrations.revision import Revision, chain_time
from scaffold.migrations.search_indexes import HELPERS as SEARCH_HELPERS
from scaffold.migrations.sql_source import Steps, placeholder
from scaffold.render.relation_model import RelationView
from scaffold.render.view_model import ResourceView
from scaffold.spec.diff import ChangeKind, FieldChange

__all__ = ["FieldRevision", "field_revision", "revision_for", "revision_source"]

_HELPERS = {
    "refuse_rows": '''

def refuse_rows(sql: str, message: str) -> None:
    """Stop before anything changes if ``sql`` counts rows the change rejects."""
    if op.get_context().as_sql:
        return  # offline (--sql): there are no rows to count
    count = op.get_bind().execute(sa.text(sql)).scalar() or 0
    if count:
        raise RuntimeError(message.format(count=count))
''',
    "refuse_mismatches": '''

def refuse_mismatches(sql: str, pattern: str, message: str) -> None:
    """Stop before anything changes if values ``sql`` selects miss ``pattern``."""
    if op.get_context().as_sql:
        return  # offline (--sql): there are no rows to check
    values = op.get_bind().execute(sa.text(sql)).scalars()
    count = sum(1 for value in values if not re.search(pattern, str(value)))
    if count:
        raise RuntimeError(message.format(count=count))
''',
    **SEARCH_HELPERS,
}


@dataclass(frozen=True)
class FieldRevision:
    """A written revision and what it risks.

    Attributes:
        source: The revision file's text (not yet formatted).
        destructive: What it destroys (empty when nothing).
        risks: The data-risk summary, one line per change.
        empty: It changes nothing in the database (say, only a default that
            the model sets, or a field's filter flag): no revision is needed.
    """

    source: str
    destructive: tuple[str, ...]
    risks: tuple[str, ...]
    empty: bool = False


def revision_for(
    table: str,
    summary: str,
    *,
    down_revision: str | None,
    when: dt.datetime,
    after: str | None = None,
) -> Revision:
    """Name the revision of a field change; the same change gives the same id.

    Its file name carries a time after its parent's (``after``, the parent's
    file name), so that the files sort in chain order.
    """
    when = chain_time(when, after)
    key = f"{down_revision}:fields:{table}:{summary}"
    digest = hashlib.sha256(key.encode()).hexdigest()
    slug = re.sub(r"[^a-z0-9]+", "_", summary.lower()).strip("_")[:60].rstrip("_")
    return Revision(
        revision=digest[:12],
        down_revision=down_revision,
        create_date=str(when),
        filename=f"{when:%Y_%m_%d_%H%M}_{slug}.py",
    )


def _risks(
    table: str, change: FieldChange, fill: object
) -> tuple[list[str], list[str]]:
    """Destructive parts and data-risk lines of one change."""
    where = f"{table}.{change.name}"
    destroyed: list[str] = []
    risks: list[str] = []
    if change.kind is ChangeKind.REMOVED:
        destroyed.append(f"drops {where}: its values cannot come back")
        return destroyed, risks
    new = change.new
    if new is None:
        return destroyed, risks
    if change.kind is ChangeKind.ADDED:
        if not new.nullable:
            risks.append(f"{where}: existing rows get {fill!r}")
        return destroyed, risks
    old = change.old
    if old is None:
        return destroyed, risks
    if change.kind is ChangeKind.RENAMED:
        risks.append(f"{table}.{old.name} is renamed to {new.name}; values kept")
    destroyed += [f"narrows {where}: {reason}" for reason in narrows(old, new)]
    for aspect in change.aspects:
        if aspect in (
            "optional",
            "unique",
            "length",
            "precision",
            "min",
            "max",
            "pattern",
            "choices",
        ):
            risks.append(f"{where}: {aspect} changes; rows that do not fit stop it")
    return destroyed, risks


def _body(tables: Sequence[tuple[str, Steps]], docstring: str) -> list[str]:
    """A function's body: every table's guards first, then each table's phases."""
    lines = [f'"""{docstring}"""']
    for _, steps in tables:
        lines += steps.guards
    for table, steps in tables:
        lines += steps.before
        for batch in (steps.alter, None, steps.finish):
            if batch is None:
                lines += steps.fill
                continue
            if batch:
                lines.append(f'with op.batch_alter_table("{table}") as batch_op:')
                lines += [f"    {statement}" for statement in batch]
        lines += steps.after
    return ["    " + line for line in lines]


def revision_source(
    revision: Revision,
    *,
    title: str,
    upgrade: Sequence[tuple[str, Steps]],
    downgrade: Sequence[tuple[str, Steps]],
    upgrade_doc: str,
    downgrade_doc: str,
    notes: str = "",
) -> str:
    """The text of a revision that changes existing tables (not yet formatted).

    Args:
        revision: Its id, parent and date.
        title: The first line of its docstring.
        upgrade: Table → the statements ``upgrade()`` runs on it, in order;
            the guards of every table run before anything changes.
        downgrade: The same for ``downgrade()``.
        upgrade_doc: The docstring of ``upgrade()``.
        downgrade_doc: The docstring of ``downgrade()``.
        notes: Further paragraphs of the module docstring.
    """
    every = [steps for _, steps in (*upgrade, *downgrade)]
    imports = sorted(set().union(*(steps.imports for steps in every)))
    helpers = "".join(
        _HELPERS[name]
        for name in sorted(set().union(*(steps.helpers for steps in every)))
    )
    upgrade_body = _body(upgrade, upgrade_doc)
    downgrade_body = _body(downgrade, downgrade_doc)
    uses_sa = "sa." in "".join([*upgrade_body, *downgrade_body, helpers])
    return "\n".join(
        [
            f'"""{title}.',
            notes,
            f"Revision ID: {revision.revision}",
            f"Revises: {revision.down_revision or ''}",
            f"Create Date: {revision.create_date}",
            '"""',
            "",
            "from collections.abc import Sequence",
            *imports,
            "",
            "import sqlalchemy as sa" if uses_sa else "",
            "",
            "from alembic import op",
            "",
            f"revision: str = {revision.revision!r}",
            f"down_revision: str | Sequence[str] | None = {revision.down_revision!r}",
            "branch_labels: str | Sequence[str] | None = None",
            "depends_on: str | Sequence[str] | None = None",
            "",
            "",
            "def upgrade() -> None:",
            *upgrade_body,
            "",
            "",
            "def downgrade() -> None:",
            *downgrade_body,
            helpers,
        ]
    )


def field_revision(
    table: str,
    changes: Sequence[FieldChange],
    revision: Revision,
    *,
    title: str,
    backfill: Mapping[str, object] | None = None,
    maps: Mapping[str, Mapping[str, str]] | None = None,
    relations: Sequence[RelationView] = (),
    references: Sequence[ReferenceStep] = (),
    owner: ResourceView | None = None,
    sa_id: str = "sa.Uuid()",
    project: Path | None = None,
    soft_delete: bool = False,
) -> FieldRevision:
    """Write the revision that applies ``changes`` to ``table``.

    Args:
        table: The resource's table.
        changes: The field changes, as :func:`~scaffold.spec.diff.diff_fields`
            lists them.
        revision: Its id, parent and date.
        title: The first line of its docstring (``Add isbn to books``).
        backfill: Field name → the value existing rows get.
        maps: Enum field name → removed value → the value its rows get.
        relations: References added (a required one's target id for the
            existing rows is in ``backfill``, by the reference's name).
        references: References removed, renamed or altered, as
            :mod:`scaffold.migrations.relation_changes` writes them.
        owner: The resource's view, which ``relations`` belong to.
        project: The project, whose own templates shape what they can.
        sa_id: The id column type of the project.
        soft_delete: The resource keeps deleted rows: its unique fields are
            partial unique indexes.
    """
    backfill = dict(backfill or {})
    maps = dict(maps or {})
    up, down = Steps(), Steps()
    destroyed: list[str] = []
    risks: list[str] = []
    for change in changes:
        fill = backfill.get(change.name)
        if change.kind is ChangeKind.ADDED and fill is None and change.new is not None:
            fill = change.new.default
        up.extend(
            column_steps(
                table,
                change.old,
                change.new,
                fill=fill,
                mapping=dict(maps.get(change.name, {})),
                soft_delete=soft_delete,
            )
        )
        restore = (
            placeholder(change.old)
            if change.old is not None and not change.old.nullable
            else None
        )
        down.extend(
            column_steps(
                table,
                change.new,
                change.old,
                fill=restore,
                upgrade=False,
                soft_delete=soft_delete,
            )
        )
        lost, risky = _risks(table, change, fill)
        destroyed += lost
        risks += risky
    for relation in relations:
        fill = backfill.get(relation.name)
        added, removed = relation_steps(
            table, relation, owner=owner, sa_id=sa_id, fill=fill, project=project
        )
        up.extend(added)
        down.extend(removed)
        if not relation.optional and not relation.many:
            risks.append(f"{table}.{relation.key}: existing rows refer to {fill}")
    for step in references:
        up.extend(step.up)
        down.extend(step.down)
        destroyed += step.destroyed
        risks += step.risks
    down_steps = Steps()
    down_steps.extend(down)
    notes = ""
    if destroyed:
        notes = (
            "\nDESTRUCTIVE: this revision "
            + "; ".join(destroyed)
            + ".\nDowngrading restores the schema, not the data: restored "
            "columns hold placeholders.\n"
        )
    down_doc = "Restore the previous columns" + (
        " (the dropped values cannot come back)." if destroyed else "."
    )
    source = revision_source(
        revision,
        title=title,
        upgrade=[(table, up)],
        downgrade=[(table, down_steps)],
        upgrade_doc=f"{title}, keeping every row.",
        downgrade_doc=down_doc,
        notes=notes,
    )
    return FieldRevision(
        source, tuple(destroyed), tuple(risks), empty=up.empty and down.empty
    )
