"""``scaffold remove resource``: the undo of ``scaffold add resource``.

The resource's files that the user has not modified are deleted (modified ones
are kept and listed, unless ``--force``, which deletes them too after a backup
under ``.scaffold/backup/``), the router and model registrations are taken out
again, and the migration is dealt with: if the resource's revision is the head
and not applied in any database scaffold can see, it is deleted; otherwise a
new revision that drops the table is written, with a loud note.
"""

from __future__ import annotations

import subprocess
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path, PurePosixPath

from scaffold.changes.kernel import with_backups
from scaffold.changes.transaction import carry_out, guard
from scaffold.edit.inverse import remove_inverse
from scaffold.edit.wiring import unregister_model, unregister_router
from scaffold.engine.events import NullReporter, Reporter
from scaffold.engine.plan import Action, FileOp, Plan, write_op
from scaffold.errors import SpecError
from scaffold.migrations.graph import read_graph
from scaffold.migrations.revision import (
    Revision,
    RevisionParts,
    current_head,
    generation_time,
    new_revision,
    revision_parts,
)
from scaffold.project.access import resolved_targets
from scaffold.project.layout import (
    MANIFEST_FILE,
    MODELS_FILE,
    PYPROJECT_FILE,
    ROUTER_FILE,
    model_path,
    revision_path,
)
from scaffold.project.manifest import ResourceRecord, base_path, digest, find_records
from scaffold.project.relations import Target, order_resources
from scaffold.project.snapshot import ProjectSnapshot, read_recorded
from scaffold.render.environment import render_template
from scaffold.render.view import build_view
from scaffold.spec.naming import resource_names
from scaffold.tools.check import (
    CheckResult,
    run_tool,
)
from scaffold.tools.format import format_python

__all__ = ["RemoveResult", "applied_revisions", "plan_removal", "remove_resources"]

P = PurePosixPath
_UTC_NOW = "UtcNow()"

# Run with the project's own interpreter: reads the revisions applied to the
# database its settings point at, without creating a SQLite file that is not
# there. Prints one revision id per line; exits non-zero if it cannot tell.
_APPLIED_SCRIPT = """
import asyncio, pathlib, sys
from sqlalchemy import text
from sqlalchemy.engine import make_url
from sqlalchemy.ext.asyncio import create_async_engine
from app.core.config import get_settings

url = make_url(get_settings().database_url)
if url.get_backend_name() == "sqlite":
    if not url.database or url.database == ":memory:":
        sys.exit(0)
    if not pathlib.Path(url.database).is_file():
        sys.exit(0)

async def main() -> None:
    engine = create_async_engine(url)
    try:
        async with engine.connect() as connection:
            query = text("SELECT version_num FROM alembic_version")
            rows = await connection.execute(query)
            print("\\n".join(row[0] for row in rows))
    finally:
        await engine.dispose()

asyncio.run(main())
"""


def applied_revisions(root: Path) -> set[str] | None:
    """Revision ids applied to the project's configured database.

    Returns:
        The ids (empty when the database does not exist yet), or None when
        they cannot be seen: no project environment, or the database does not
        answer or has no Alembic table.
    """
    python = root / ".venv" / "bin" / "python"
    if not python.is_file():
        return None
    try:
        process = run_tool((str(python), "-c", _APPLIED_SCRIPT), cwd=root, timeout=30)
    except (OSError, subprocess.SubprocessError):
        return None
    if process.returncode != 0:
        return None
    return {line.strip() for line in process.stdout.splitlines() if line.strip()}


@dataclass(frozen=True)
class Removal:
    """A planned removal and what the user must be told about it."""

    plan: Plan
    notes: tuple[str, ...]


def plan_removal(
    snapshot: ProjectSnapshot,
    names: Sequence[str],
    *,
    force: bool = False,
    applied: set[str] | None = None,
) -> Removal:
    """Plan the removal of resources ``names``; write nothing.

    Args:
        snapshot: The project as it is.
        names: Resources to remove.
        force: Delete files the user modified too (after a backup).
        applied: Revision ids applied in the databases scaffold can see.

    Raises:
        SpecError: A name is not a resource of the project.
    """
    records = _referencing_first(snapshot, find_records(snapshot.manifest, names))
    ops: list[FileOp] = []
    notes: list[str] = []
    manifest = snapshot.manifest
    router = snapshot.files[P(ROUTER_FILE)]
    models = snapshot.files[P(MODELS_FILE)]
    revisions = dict(snapshot.revisions)
    when = generation_time()
    inverses: dict[PurePosixPath, str] = {}
    for record in records:
        names_ = record.spec.names
        for path_text in record.files:
            path = P(path_text)
            ops.append(_delete(snapshot, path, force=force, notes=notes))
            base = snapshot.files.get(base_path(path))
            if base is not None:
                ops.append(FileOp(base_path(path), None, Action.DELETE, base))
        manifest = manifest.without_resource(names_.singular).without_files(
            record.files
        )
        router = unregister_router(router, names_.plural)
        models = unregister_model(models, names_.module, names_.class_name)
        _remove_inverses(snapshot, record, records, inverses)

        migration = P(record.migration)
        source = revisions.get(migration.name)
        if source is None:
            notes.append(f"{migration} is gone already; no migration change is needed")
            continue
        head = current_head(revisions)
        seen = applied is not None
        if head == record.revision and record.revision not in (applied or set()):
            ops.append(
                _delete(snapshot, migration, force=force, notes=notes, text=source)
            )
            manifest = manifest.without_files([record.migration])
            del revisions[migration.name]
            if not seen:
                notes.append(
                    f"deleted {migration}: it is the head and no database could "
                    "be checked; if you applied it somewhere, run "
                    "'uv run alembic downgrade -1' there first (with the file "
                    "restored from version control)"
                )
            continue
        revision = new_revision(
            names_.table,
            down_revision=head,
            when=when,
            action="drop",
            after=read_graph(revisions).filename(head),
        )
        path = revision_path(revision.filename)
        text = render_template(
            "drop_migration.py.jinja",
            project=snapshot.root,
            table=names_.table,
            resource=names_.singular,
            created=record.revision,
            m=revision,
            parts=_head_table_parts(snapshot, record, source),
        )
        revisions[revision.filename] = text
        ops.append(FileOp(path, text, Action.CREATE))
        why = (
            "is applied in the project's database"
            if seen
            else "is not the head of the migration history"
        )
        notes.append(
            f"DESTRUCTIVE: {migration} {why}, so {path} drops the "
            f"{names_.table} table; 'alembic upgrade head' deletes every row in it"
        )

    shared = {P(ROUTER_FILE): router, P(MODELS_FILE): models, **inverses}
    created = {op.path: op.content for op in ops if op.action is Action.CREATE}
    formatted = format_python(
        {**shared, **{path: text for path, text in created.items() if text}},
        pyproject=snapshot.files.get(P(PYPROJECT_FILE)),
    )
    ops = [
        FileOp(op.path, formatted[op.path], op.action) if op.path in created else op
        for op in ops
    ]
    ops += [write_op(path, formatted[path], snapshot.files[path]) for path in shared]
    user_edited = {
        path
        for path in shared
        if snapshot.manifest.files.get(str(path)) != digest(snapshot.files[path])
    }
    manifest = manifest.with_files(
        {path: text for path, text in formatted.items() if path not in user_edited}
    )
    ops.append(
        write_op(
            P(MANIFEST_FILE), manifest.dump(), snapshot.files.get(P(MANIFEST_FILE))
        )
    )
    plan = with_backups(Plan(tuple(ops)), snapshot.manifest)
    return Removal(plan, tuple(notes))


def _head_table_parts(
    snapshot: ProjectSnapshot,
    record: ResourceRecord,
    created: str,
) -> RevisionParts:
    """How to create ``record``'s table as it is at the head, and drop it.

    Rendered from the recorded spec, as ``scaffold add resource`` renders the
    create revision, rather than copied from that revision: field commands may
    have changed the table since it was created (``created``, the source of
    the revision that did, tells which server default its timestamps use).
    """
    spec = record.spec
    targets = resolved_targets([spec], snapshot.files, snapshot.manifest, snapshot.auth)
    view = build_view(
        spec, id_type=snapshot.id_type, targets=targets, project_auth=snapshot.auth
    )
    text = render_template(
        "migration.py.jinja",
        project=snapshot.root,
        r=view,
        m=Revision(record.revision, None, "", P(record.migration).name),
        utc_now=_UTC_NOW in created,
    )
    return revision_parts(text)


def _delete(
    snapshot: ProjectSnapshot,
    path: PurePosixPath,
    *,
    force: bool,
    notes: list[str],
    text: str | None = None,
) -> FileOp:
    """Delete ``path`` if the user has not modified it (or with ``force``)."""
    current = text if text is not None else snapshot.files.get(path)
    if current is None:
        return FileOp(path, None, Action.KEEP)
    if force or snapshot.manifest.files.get(str(path)) == digest(current):
        return FileOp(path, None, Action.DELETE, current)
    notes.append(
        f"kept {path}: you modified it since scaffold generated it; delete it "
        "yourself, or rerun with --force (a backup is kept)"
    )
    return FileOp(path, current, Action.KEEP, current)


def preview_removal(
    names: Sequence[str],
    *,
    project: Path,
    force: bool = False,
    allow_dirty: bool = False,
) -> tuple[Path, Removal]:
    """Find the project and plan the removal (``--dry-run``).

    Refuses, as the real run does, to touch files with uncommitted changes.
    """
    snapshot, _ = read_recorded(project, names)
    root = snapshot.root
    removal = plan_removal(
        snapshot, names, force=force, applied=applied_revisions(root)
    )
    guard(root, removal.plan, allow_dirty=allow_dirty)
    return root, removal


@dataclass(frozen=True)
class RemoveResult:
    """What ``scaffold remove resource`` did."""

    root: Path
    plan: Plan
    notes: tuple[str, ...]
    checks: tuple[CheckResult, ...] = ()


def remove_resources(
    names: Sequence[str],
    *,
    project: Path,
    force: bool = False,
    allow_dirty: bool = False,
    check: bool = True,
    reporter: Reporter | None = None,
) -> RemoveResult:
    """Remove resources ``names`` from the project, then check it.

    Raises:
        CheckFailedError: A check failed afterwards.
    """
    reporter = reporter or NullReporter()
    reporter.stage(f"Removing {', '.join(names)}")
    root, removal = preview_removal(
        names, project=project, force=force, allow_dirty=allow_dirty
    )
    checks = carry_out(root, removal.plan, check=check, reporter=reporter)
    return RemoveResult(root, removal.plan, removal.notes, checks)


def _referencing_first(
    snapshot: ProjectSnapshot, records: Sequence[ResourceRecord]
) -> list[ResourceRecord]:
    """Order ``records`` so that a resource goes before those it refers to.

    Raises:
        SpecError: A resource that stays refers to one being removed.
    """
    removing = {record.spec.names.singular for record in records}
    problems = [
        f"{name}.{relation.name} refers to {relation.target!r}; remove {name!r} "
        f"first, or in the same command"
        for name, record in sorted(snapshot.manifest.resources.items())
        if name not in removing
        for relation in record.spec.relations
        if relation.target in removing
    ]
    if problems:
        raise SpecError(*problems)
    by_name = {record.spec.names.singular: record for record in records}
    ordered = order_resources([record.spec for record in records])
    return [by_name[spec.names.singular] for spec in reversed(ordered)]


def _remove_inverses(
    snapshot: ProjectSnapshot,
    record: ResourceRecord,
    records: Sequence[ResourceRecord],
    inverses: dict[PurePosixPath, str],
) -> None:
    """Take the inverse side of ``record``'s relations out of the models that stay."""
    removing = {other.spec.names.singular for other in records}
    for relation in record.spec.relations:
        if relation.target in removing:
            continue
        target_record = snapshot.manifest.resources.get(relation.target)
        names_ = (
            target_record.spec.names
            if target_record is not None
            else resource_names(relation.target)
        )
        path = model_path(names_.module)
        source = inverses.get(path, snapshot.files.get(path))
        if source is None:
            continue
        inverses[path] = remove_inverse(
            source,
            Target.of(names_),
            relation,
            record.spec.names,
            path=str(path),
        )
