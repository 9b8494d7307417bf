"""What the field commands share: evolve one resource from its recorded spec.

A field command builds the resource's new spec; :func:`plan_evolution` then
re-renders every file of the resource from it, merging the user's edits the
way ``regenerate`` does, writes one revision for the difference (with the
data-safety rules of :mod:`scaffold.migrations.field_revision`), records the
new spec in the manifest, and lists the user's lines that still name a field
that was renamed or removed. :func:`evolve` carries the plan out through the
transaction helper.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath

from scaffold.changes.kernel import record_generated, render_resource, state_ops
from scaffold.changes.next_steps import project_files
from scaffold.changes.regenerate import settle_file
from scaffold.changes.transaction import carry_out, guard
from scaffold.engine.events import NullReporter, Reporter
from scaffold.engine.plan import Action, FileOp, Plan, conflict_error, write_op
from scaffold.errors import MergeConflictError, UsageError
from scaffold.migrations.field_revision import (
    FieldRevision,
    field_revision,
    revision_for,
)
from scaffold.migrations.revision import VERSIONS_DIR, current_head, generation_time
from scaffold.project.manifest import ResourceRecord
from scaffold.project.snapshot import ProjectSnapshot, read_recorded
from scaffold.spec import FieldSpec, ResourceSpec, parse_cli_resource
from scaffold.spec.diff import ChangeKind, FieldChange, diff_fields
from scaffold.tools.check import CheckResult
from scaffold.tools.format import format_python

__all__ = [
    "Evolution",
    "EvolveResult",
    "FieldOptions",
    "evolve",
    "parse_fields",
    "plan_evolution",
    "preview_evolution",
]

P = PurePosixPath


@dataclass(frozen=True)
class FieldOptions:
    """What a field command is told about the data.

    Attributes:
        renames: New field name → its old name.
        backfill: Field name → the value existing rows get (validated).
        maps: Enum field → removed value → the value its rows get.
        allow_data_loss: Accept drops and narrower types (``--allow-data-loss``).
    """

    renames: Mapping[str, str] = field(default_factory=dict)
    backfill: Mapping[str, object] = field(default_factory=dict)
    maps: Mapping[str, Mapping[str, str]] = field(default_factory=dict)
    allow_data_loss: bool = False


@dataclass(frozen=True)
class Evolution:
    """A planned field change.

    Attributes:
        root: The project root.
        plan: Every file it writes.
        changes: The field changes.
        revision_path: The new revision's path.
        revision: The revision and its risks.
        stale: ``file:line`` of the user's lines that still name a field
            renamed or removed.
    """

    root: Path
    plan: Plan
    changes: tuple[FieldChange, ...]
    revision_path: PurePosixPath
    revision: FieldRevision
    stale: tuple[str, ...] = ()


def parse_fields(spec: ResourceSpec, tokens: Sequence[str]) -> list[FieldSpec]:
    """Fields written as ``add resource`` takes them, named for ``spec``.

    Raises:
        SpecError: A token is invalid (every problem listed).
        UsageError: A token is a reference (``ref``/``refs``).
    """
    if not tokens:
        raise UsageError("name at least one field, e.g. isbn:str(13)")
    parsed = parse_cli_resource(
        spec.names.singular, list(tokens), plural=spec.names.plural
    )
    if parsed.relations:
        listed = ", ".join(relation.name for relation in parsed.relations)
        raise UsageError(
            f"{listed}: references cannot be added or changed by field commands "
            "yet; add them with the resource, or by hand with a migration"
        )
    return list(parsed.fields)


def _refuse_unsafe(
    table: str, changes: list[FieldChange], options: FieldOptions, command: str
) -> None:
    """Refuse, before writing anything, a change the data rules forbid.

    Raises:
        UsageError: A required field has no value for existing rows, a
            destructive change lacks ``--allow-data-loss``, or a ``--map``
            does not fit the enum.
    """
    problems = []
    for change in changes:
        new, old = change.new, change.old
        if (
            change.kind is ChangeKind.ADDED
            and new is not None
            and not new.nullable
            and new.default is None
            and change.name not in options.backfill
        ):
            problems.append(
                f"field {change.name!r} is required, and rows already in {table} "
                f"need a value for it: give it a default ({change.name}:...:"
                f"default=VALUE) or pass --backfill VALUE"
            )
        mapping = options.maps.get(change.name, {})
        if mapping:
            before = old.choices if old is not None else ()
            after = new.choices if new is not None else ()
            for source, target in mapping.items():
                if source not in before or source in after:
                    problems.append(
                        f"--map {source}={target}: {source!r} is not a value "
                        f"{change.name} loses; map only removed values"
                    )
                elif target not in after:
                    problems.append(
                        f"--map {source}={target}: {target!r} is not one of the "
                        f"new values of {change.name} ({', '.join(after)})"
                    )
    if problems:
        raise UsageError(*problems)


def _stale_lines(
    formatted: Mapping[PurePosixPath, str],
    ops: list[FileOp],
    changes: list[FieldChange],
) -> list[str]:
    """User-written lines that name a field renamed or removed."""
    gone = [
        change.old.name
        for change in changes
        if change.old is not None
        and change.kind in (ChangeKind.RENAMED, ChangeKind.REMOVED)
    ]
    if not gone:
        return []
    word = re.compile(r"\b(" + "|".join(map(re.escape, gone)) + r")\b")
    found = []
    for op in ops:
        if op.content is None or op.path not in formatted:
            continue
        generated = set(formatted[op.path].splitlines())
        for number, line in enumerate(op.content.splitlines(), start=1):
            if line not in generated and word.search(line):
                found.append(f"{op.path}:{number}: {line.strip()}")
    return found


def plan_evolution(
    snapshot: ProjectSnapshot,
    record: ResourceRecord,
    spec: ResourceSpec,
    options: FieldOptions,
    *,
    title: str,
    command: str,
) -> Evolution:
    """Plan the change of ``record``'s resource to ``spec``; write nothing.

    Raises:
        UsageError: Nothing changes, or the change breaks a data rule.
        ConflictError: A modified file has no recorded base to merge with.
    """
    old = record.spec
    changes = diff_fields(old, spec, options.renames)
    table = old.names.table
    if not changes:
        raise UsageError(
            f"{old.names.singular} already has exactly these fields; nothing to change"
        )
    _refuse_unsafe(table, changes, options, command)
    head = current_head(snapshot.revisions)
    revision = revision_for(table, title, down_revision=head, when=generation_time())
    written = field_revision(
        table,
        changes,
        revision,
        title=title,
        backfill=options.backfill,
        maps=options.maps,
    )
    if written.destructive and not options.allow_data_loss:
        raise UsageError(
            *(f"this change {what}" for what in written.destructive),
            f"run again with --allow-data-loss to accept it: {command} "
            "--allow-data-loss",
        )
    filename, number = revision.filename, 1
    while filename in snapshot.revisions:  # the same change within a minute
        number += 1
        filename = revision.filename.replace(".py", f"_{number}.py")
    migration = P(f"{VERSIONS_DIR}/{filename}")
    rendered = render_resource(snapshot, spec)
    rendered[migration] = written.source
    formatted = format_python(
        rendered, pyproject=snapshot.files.get(P("pyproject.toml"))
    )
    ops: list[FileOp] = []
    unmergeable: list[PurePosixPath] = []
    own = [path for path in formatted if path != migration]
    for path in own:
        op = settle_file(
            path, formatted[path], snapshot, force=False, refused=unmergeable
        )
        if op is not None:
            ops.append(op)
    if unmergeable:
        raise conflict_error(unmergeable)
    stale = _stale_lines(formatted, ops, changes)
    ops.append(write_op(migration, formatted[migration], None))
    manifest = record_generated(snapshot, snapshot.manifest, formatted, shared=())
    manifest = manifest.with_resource(record.model_copy(update={"spec": spec}))
    bases = {path: formatted[path] for path in own}
    ops += [
        write_op(path, text, snapshot.files.get(path))
        for path, text in state_ops(snapshot, manifest, bases).items()
    ]
    return Evolution(
        snapshot.root,
        Plan(tuple(ops)),
        tuple(changes),
        migration,
        written,
        tuple(stale),
    )


def preview_evolution(
    name: str,
    build: Callable[[ResourceSpec], tuple[ResourceSpec, FieldOptions]],
    *,
    project: Path,
    title: Callable[[ResourceSpec], str],
    command: str,
    allow_dirty: bool = False,
) -> Evolution:
    """Find the project, build the new spec and plan the change (``--dry-run``).

    Args:
        name: The resource, as recorded.
        build: From the recorded spec to the new spec and the data options.
        project: A directory inside the project.
        title: The revision's title, from the recorded spec.
        command: The command line, for error messages.
        allow_dirty: Rewrite files with uncommitted changes.
    """
    snapshot, records = read_recorded(project, [name])
    record = records[0]
    spec, options = build(record.spec)
    evolution = plan_evolution(
        snapshot, record, spec, options, title=title(record.spec), command=command
    )
    guard(snapshot.root, evolution.plan, allow_dirty=allow_dirty)
    return evolution


@dataclass(frozen=True)
class EvolveResult:
    """What a field command did."""

    evolution: Evolution
    checks: tuple[CheckResult, ...] = ()


def evolve(
    evolution: Evolution,
    *,
    check: bool = True,
    reporter: Reporter | None = None,
) -> EvolveResult:
    """Carry out a planned field change, then run the project's checks.

    Raises:
        MergeConflictError: Files were written with conflict markers (checks
            are not run).
        CheckFailedError: A check failed afterwards.
    """
    reporter = reporter or NullReporter()
    checks = carry_out(
        evolution.root,
        evolution.plan,
        check=check,
        reporter=reporter,
        settle=_merged,
    )
    return EvolveResult(evolution, checks)


def _merged(plan: Plan) -> bool:
    conflicts = plan.paths(Action.CONFLICT)
    if conflicts:
        raise MergeConflictError(
            *(
                f"{path}: your edits and the changed field touch the same lines; "
                "it was written with <<<<<<< yours / >>>>>>> scaffold markers"
                for path in conflicts
            ),
            "resolve the markers (your other edits were kept), then run: "
            "scaffold check",
        )
    return bool(project_files(op.path for op in plan.changes))
