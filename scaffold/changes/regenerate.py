"""``scaffold regenerate``: re-render resources, keeping the user's edits.

Each resource is rendered again from the spec recorded in the manifest with
the installed templates. Every file is then settled against two others: the
text scaffold generated last time (``.scaffold/base/``, the common ancestor)
and the user's file. A file the user did not touch takes the new rendering; a
file where only the user changed something stays as it is; where both changed,
a three-way merge (:mod:`merge3`) keeps both, and where both changed the same
lines, writes standard conflict markers and the command exits non-zero.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path, PurePosixPath

from scaffold import __version__
from scaffold.changes.kernel import (
    ensure_supported,
    record_generated,
    render_resource,
    state_ops,
    wire,
    with_backups,
)
from scaffold.changes.next_steps import project_files
from scaffold.changes.transaction import carry_out, guard
from scaffold.engine.events import NullReporter, Reporter
from scaffold.engine.plan import (
    Action,
    FileOp,
    Plan,
    conflict_error,
    write_op,
)
from scaffold.errors import MergeConflictError
from scaffold.project.layout import PYPROJECT_FILE
from scaffold.project.manifest import ResourceRecord, base_path, digest
from scaffold.project.snapshot import ProjectSnapshot, read_recorded
from scaffold.tools.check import CheckResult
from scaffold.tools.format import format_python

__all__ = [
    "MergeConflictError",
    "RegenerateResult",
    "merge",
    "plan_regeneration",
    "regenerate_resources",
    "settle",
]


def merge(base: str, ours: str, theirs: str) -> tuple[str, bool]:
    """Three-way merge of the user's text and a new rendering.

    Args:
        base: What scaffold generated last time.
        ours: The user's file now.
        theirs: What scaffold generates now.

    Returns:
        The merged text, and whether it holds conflict markers.
    """
    from merge3 import Merge3

    merger = Merge3(
        base.splitlines(keepends=True),
        ours.splitlines(keepends=True),
        theirs.splitlines(keepends=True),
    )
    merged = "".join(
        merger.merge_lines(
            name_a="yours", name_b=f"scaffold {__version__}", start_marker="<" * 7
        )
    )
    conflicted = any(region[0] == "conflict" for region in merger.merge_regions())
    return merged, conflicted


def settle(
    path: PurePosixPath,
    theirs: str,
    snapshot: ProjectSnapshot,
    *,
    force: bool,
    refused: list[PurePosixPath],
) -> FileOp | None:
    """How ``path`` is written: the new text, the user's, or the two merged.

    Args:
        path: The project path.
        theirs: What scaffold generates now.
        snapshot: The project, with the file and its base copy read.
        force: Overwrite the user's edits instead of merging.
        refused: Collects the modified files that have no base to merge with.

    Returns:
        The operation, or None when the file is refused.
    """
    ours = snapshot.files.get(path)
    base = snapshot.files.get(base_path(path))
    if ours is None:
        return FileOp(path, theirs, Action.CREATE)
    if ours == theirs:
        return FileOp(path, theirs, Action.IDENTICAL, ours)
    if ours == base or snapshot.manifest.files.get(str(path)) == digest(ours):
        return FileOp(path, theirs, Action.UPDATE, ours)
    if force:
        return FileOp(path, theirs, Action.OVERWRITE, ours)
    if base is None:
        refused.append(path)
        return None
    if base == theirs:
        return FileOp(path, ours, Action.KEEP, ours)  # only the user changed it
    merged, conflicted = merge(base, ours, theirs)
    action = Action.CONFLICT if conflicted else Action.MERGE
    return FileOp(path, merged, action, ours)


def plan_regeneration(
    snapshot: ProjectSnapshot, records: Sequence[ResourceRecord], *, force: bool = False
) -> Plan:
    """Plan the re-rendering of ``records``' resources; write nothing.

    Raises:
        ConflictError: A modified file has no recorded base to merge with
            (and not ``force``).
    """
    specs = [record.spec for record in records]
    ensure_supported(snapshot, specs)
    rendered: dict[PurePosixPath, str] = {}
    for spec in specs:
        rendered.update(render_resource(snapshot, spec))
    shared = wire(snapshot, specs)
    rendered.update(shared)
    formatted = format_python(
        rendered, pyproject=snapshot.files.get(PurePosixPath(PYPROJECT_FILE))
    )

    ops: list[FileOp] = []
    unmergeable: list[PurePosixPath] = []
    own = [path for path in formatted if path not in shared]
    for path in own:
        op = settle(path, formatted[path], snapshot, force=force, refused=unmergeable)
        if op is not None:
            ops.append(op)
    if unmergeable:
        raise conflict_error(unmergeable)
    ops += [
        write_op(path, formatted[path], snapshot.files.get(path)) for path in shared
    ]

    manifest = record_generated(snapshot, snapshot.manifest, formatted)
    bases = {path: formatted[path] for path in own}
    ops += [
        write_op(path, text, snapshot.files.get(path))
        for path, text in state_ops(snapshot, manifest, bases).items()
    ]
    plan = Plan(tuple(ops))
    return with_backups(plan, snapshot.manifest)


def preview_regeneration(
    names: Sequence[str],
    *,
    project: Path,
    force: bool = False,
    allow_dirty: bool = False,
) -> tuple[Path, Plan]:
    """Find the project and plan the regeneration (``--dry-run``).

    Refuses, as the real run does, to touch files with uncommitted changes.
    """
    snapshot, records = read_recorded(project, names)
    plan = plan_regeneration(snapshot, records, force=force)
    return snapshot.root, guard(snapshot.root, plan, allow_dirty=allow_dirty)


@dataclass(frozen=True)
class RegenerateResult:
    """What ``scaffold regenerate`` did."""

    root: Path
    plan: Plan
    checks: tuple[CheckResult, ...] = ()


def regenerate_resources(
    names: Sequence[str],
    *,
    project: Path,
    force: bool = False,
    allow_dirty: bool = False,
    check: bool = True,
    reporter: Reporter | None = None,
) -> RegenerateResult:
    """Re-render resources ``names`` with the installed templates, merging edits.

    Raises:
        MergeConflictError: Files were written with conflict markers (checks
            are not run).
        CheckFailedError: A check failed afterwards.
    """
    reporter = reporter or NullReporter()
    reporter.stage(f"Regenerating {', '.join(names)}")
    root, plan = preview_regeneration(
        names, project=project, force=force, allow_dirty=allow_dirty
    )
    checks = carry_out(root, plan, check=check, reporter=reporter, settle=_merged)
    return RegenerateResult(root, plan, checks)


def _merged(plan: Plan) -> bool:
    """Refuse to check a merge with conflict markers; check only a change.

    Raises:
        MergeConflictError: Files were written with conflict markers.
    """
    conflicts = plan.paths(Action.CONFLICT)
    if conflicts:
        raise MergeConflictError(
            *(
                f"{path}: your edits and the new templates changed the same lines; "
                "it was written with <<<<<<< yours / >>>>>>> scaffold markers"
                for path in conflicts
            ),
            "resolve the markers (your other edits were kept), then run: "
            "scaffold check",
        )
    # nothing changed: nothing to prove
    return bool(project_files(op.path for op in plan.changes))
