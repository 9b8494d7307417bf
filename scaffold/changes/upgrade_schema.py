"""The revision ``scaffold upgrade`` writes when new templates change the schema.

Regenerating a resource with new templates can change what its model
declares for the same spec: 0.2.0 added named CHECK constraints for
``min``/``max``; a later release may add an index or change a column type.
The database does not follow by itself (and ``alembic check`` does not
compare CHECK constraints), so the upgrade writes one revision for it.

Design: the difference is taken between two texts of each resource's model
module, both read without a database or the project's environment:

- before: the model as scaffold last generated it, kept under
  ``.scaffold/base/`` (projects made by 0.1.0 kept their resources' bases
  too). The project's revisions were written from the same spec by the same
  templates, so this is what the database holds; the user's own edits to the
  model are not scaffold's to migrate.
- after: the model as the installed templates (and the project's overrides)
  render it now, the text the upgrade writes as the new base.

Both are parsed with the same reader (:mod:`scaffold.migrations.model_schema`),
so they compare like for like whatever the template version, and the
template is the single source of truth for what a spec becomes: no second
description of the templates' output to keep in step. The difference per
table (:mod:`scaffold.migrations.schema_ops`) becomes one revision, written
by the field commands' writer
(:func:`~scaffold.migrations.field_revision.revision_source`): its
``upgrade()`` counts the rows each new rule refuses, for every table, before
it changes anything. It is chained right after the project's head, before
the skeleton's and the release's revisions, so that on SQLite (where the
DDL of earlier revisions in the same run is not rolled back) a refusal
leaves the database exactly as it was. When nothing differs no revision is
written, so a second upgrade writes none.
"""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import PurePosixPath

from scaffold import __version__
from scaffold.migrations.field_revision import revision_for, revision_source
from scaffold.migrations.graph import read_graph
from scaffold.migrations.model_schema import read_tables
from scaffold.migrations.revision import current_head, generation_time
from scaffold.migrations.schema_ops import SchemaChange, schema_change
from scaffold.project.layout import model_path, revision_path
from scaffold.project.manifest import base_path
from scaffold.project.snapshot import ProjectSnapshot

__all__ = ["schema_changes", "schema_revision"]

P = PurePosixPath


def schema_changes(
    snapshot: ProjectSnapshot, rendered: Mapping[P, str]
) -> tuple[list[SchemaChange], list[str]]:
    """Each resource table's change from its model's base to ``rendered``.

    Returns:
        The tables that change (by name), and notes on what cannot be
        written as a revision.
    """
    changes: list[SchemaChange] = []
    notes: list[str] = []
    records = sorted(
        snapshot.manifest.resources.values(), key=lambda record: record.spec.names.table
    )
    for record in records:
        path = model_path(record.spec.names.module)
        old, new = snapshot.files.get(base_path(path)), rendered.get(path)
        if new is None:
            continue
        if old is None:
            notes.append(
                f"{path} has no recorded base, so no revision follows its new "
                "schema; compare the model with your database"
            )
            continue
        try:
            before, after = read_tables(old), read_tables(new)
        except SyntaxError:
            notes.append(
                f"{base_path(path)} does not parse; its schema is not compared"
            )
            continue
        for table in sorted(set(before) & set(after)):
            change = schema_change(before[table], after[table])
            notes += change.manual
            if not change.empty:
                changes.append(change)
    return changes, notes


def schema_revision(
    snapshot: ProjectSnapshot, rendered: Mapping[P, str], revisions: Mapping[str, str]
) -> tuple[dict[P, str], list[str]]:
    """The revision that takes the resources' tables to the rendered models.

    Args:
        snapshot: The project before the upgrade.
        rendered: Every resource file as the installed templates render it.
        revisions: The project's revisions (file name → source).

    Returns:
        The new revision (path → unformatted text; empty when nothing
        changes) and the notes for the user.
    """
    changes, notes = schema_changes(snapshot, rendered)
    if not changes:
        return {}, notes
    tables = [change.table for change in changes]
    title = f"Upgrade {', '.join(tables)} to the schema of scaffold {__version__}"
    head = current_head(revisions)
    revision = revision_for(
        ",".join(tables),
        title,
        down_revision=head,
        when=generation_time(),
        after=read_graph(revisions).filename(head),
    )
    lines = [f"- {c.table}: {line}" for c in changes for line in c.summary]
    source = revision_source(
        revision,
        title=title,
        upgrade=[(change.table, change.upgrade) for change in changes],
        downgrade=[(change.table, change.downgrade) for change in reversed(changes)],
        upgrade_doc=(
            "Apply the new templates' schema, first counting the rows it would refuse."
        ),
        downgrade_doc="Restore the schema the previous templates declared.",
        notes="\nThe new templates declare, for the same fields:\n\n"
        + "\n".join(lines)
        + "\n",
    )
    notes.append(
        f"new revision {revision.filename} for the resources' schema: "
        + "; ".join(line.removeprefix("- ") for line in lines)
    )
    return {revision_path(revision.filename): source}, notes
