"""``scaffold migrations merge`` and ``rebase``: one head again.

Two branches that each add a resource each chain a revision onto the same
parent; merged, the history has two heads and ``alembic upgrade head`` stops.
``merge`` writes the revision that joins them: its id and file name follow
from the heads alone, so two people who merge the same heads write the same
file, and an existing revision over the same parents is reused. ``rebase``
instead re-chains scaffold's own revisions that no database has applied onto
the other branch's head, so the history stays a line; applied revisions (read
from ``alembic_version`` in the project's database) are never moved.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import re
from dataclasses import dataclass
from pathlib import Path, PurePosixPath

from scaffold.changes.remove_resource import applied_revisions
from scaffold.changes.transaction import carry_out, guard
from scaffold.engine.apply import ensure_no_journal
from scaffold.engine.events import NullReporter, Reporter
from scaffold.engine.plan import Action, FileOp, Plan, write_op
from scaffold.errors import ProjectError
from scaffold.migrations.graph import Node, RevisionGraph, read_graph
from scaffold.migrations.revision import (
    Revision,
    generation_time,
    new_revision,
    revision_stamp,
)
from scaffold.project.answers import find_project
from scaffold.project.layout import MANIFEST_FILE, VERSIONS_DIR
from scaffold.project.manifest import Manifest, read_manifest
from scaffold.render.environment import render_template
from scaffold.tools.check import CheckResult
from scaffold.tools.format import format_python

__all__ = [
    "HistoryResult",
    "merge_heads",
    "plan_merge",
    "plan_rebase",
    "preview_history",
    "rebase_heads",
]

P = PurePosixPath


@dataclass(frozen=True)
class HistoryResult:
    """What a ``migrations`` command did: the plan, a summary and the checks."""

    root: Path
    plan: Plan
    summary: str
    checks: tuple[CheckResult, ...] = ()


def _read(root: Path) -> tuple[dict[str, str], Manifest]:
    ensure_no_journal(root)
    versions = root / VERSIONS_DIR
    revisions = {
        path.name: path.read_text(encoding="utf-8")
        for path in sorted(versions.glob("*.py"))
    }
    return revisions, read_manifest(root)


def _graph(revisions: dict[str, str]) -> RevisionGraph:
    graph = read_graph(revisions)
    missing = graph.missing_parents
    if missing:
        raise ProjectError(*graph.problems()[: len(missing)])
    return graph


def plan_merge(
    revisions: dict[str, str], manifest: Manifest, project: Path | None = None
) -> tuple[Plan, str]:
    """Plan the revision that joins every head; write nothing.

    Args:
        revisions: Every revision file's name → its text.
        manifest: The project's manifest.
        project: The project, whose own ``merge_migration.py.jinja`` is used
            if it overrides it.

    Returns:
        The plan (empty when there is one head, or a revision joining the
        heads exists already) and a one-line summary.

    Raises:
        ProjectError: A revision's parent is missing.
    """
    graph = _graph(revisions)
    heads = graph.heads
    if len(heads) < 2:
        return Plan(()), "the migration history has one head; nothing to merge"
    existing = graph.merge_of(heads)
    if existing is not None:
        return Plan(()), f"{VERSIONS_DIR}/{existing.filename} joins the heads already"
    revision = merge_revision(graph, heads)
    path = P(f"{VERSIONS_DIR}/{revision.filename}")
    text = render_template("merge_migration.py.jinja", project=project, m=revision)
    formatted = format_python({path: text})
    files = {path: formatted[path]}
    ops = [FileOp(path, formatted[path], Action.CREATE)]
    new_manifest = manifest.with_files(files).dump()
    ops.append(write_op(P(MANIFEST_FILE), new_manifest, manifest_text(manifest)))
    joined = ", ".join(str(graph.filename(head)) for head in heads)
    return Plan(tuple(ops)), f"wrote {path}, joining {joined}"


def merge_revision(graph: RevisionGraph, heads: list[str]) -> Revision:
    """The merge revision of ``heads``: its id and name follow from them alone."""
    key = "merge:" + ",".join(sorted(heads))
    revision = hashlib.sha256(key.encode()).hexdigest()[:12]
    last = max(str(graph.filename(head)) for head in heads)
    stamp = revision_stamp(last)
    when = stamp + dt.timedelta(minutes=1) if stamp is not None else generation_time()
    return Revision(
        revision=revision,
        down_revision=tuple(heads),
        create_date=str(when),
        filename=f"{when:%Y_%m_%d_%H%M}_merge_{len(heads)}_heads.py",
    )


def manifest_text(manifest: Manifest) -> str | None:
    """The manifest's current text, as the plan's ``before``."""
    return manifest.dump() if manifest.files or manifest.resources else None


def _branch(graph: RevisionGraph, head: str, others: list[str]) -> list[Node]:
    """The revisions only ``head`` reaches, parent first."""
    shared = graph.ancestors(others)
    own = graph.ancestors([head]) - shared
    chain: list[Node] = []
    current: str | None = head
    while current in own:
        node = graph.nodes[current]
        chain.append(node)
        current = node.parents[0] if len(node.parents) == 1 else None
    if len(chain) != len(own):
        return []  # not a line: the branch holds a merge of its own
    return list(reversed(chain))


def plan_rebase(
    revisions: dict[str, str], manifest: Manifest, applied: set[str]
) -> tuple[Plan, str]:
    """Plan re-chaining scaffold's unapplied revisions onto the other head.

    Args:
        revisions: File name → source of every revision.
        manifest: The project's manifest.
        applied: Revision ids in the database's ``alembic_version``.

    Raises:
        ProjectError: A parent is missing, or more than one branch holds
            revisions that are applied or not scaffold's own.
    """
    graph = _graph(revisions)
    heads = graph.heads
    if len(heads) < 2:
        return Plan(()), "the migration history has one head; nothing to rebase"
    done = graph.ancestors(applied)
    records = {record.revision: record for record in manifest.resources.values()}
    branches = {
        head: _branch(graph, head, [other for other in heads if other != head])
        for head in heads
    }
    movable = [
        head
        for head in heads
        if branches[head]
        and all(
            node.revision in records and node.revision not in done
            for node in branches[head]
        )
    ]
    fixed = [head for head in heads if head not in movable]
    if len(fixed) > 1:
        files = ", ".join(str(graph.filename(head)) for head in fixed)
        raise ProjectError(
            f"the branches ending in {files} hold revisions that are applied in "
            "the project's database or not written by scaffold, and cannot be "
            "moved; join them instead with: scaffold migrations merge"
        )
    order = sorted(
        heads, key=lambda head: branches[head][0].filename if branches[head] else ""
    )
    keep = fixed[0] if fixed else order[0]
    tip, after = keep, graph.filename(keep)
    when = generation_time()
    ops: list[FileOp] = []
    moved: list[str] = []
    before = manifest_text(manifest)
    for head in order:
        if head == keep:
            continue
        for node in branches[head]:
            record = records[node.revision]
            revision = new_revision(
                record.spec.names.table, down_revision=tip, when=when, after=after
            )
            source = revisions[node.filename]
            old = P(f"{VERSIONS_DIR}/{node.filename}")
            path = P(f"{VERSIONS_DIR}/{revision.filename}")
            text = rechain(source, revision)
            ops += [
                FileOp(old, None, Action.DELETE, source),
                FileOp(path, text, Action.CREATE),
            ]
            moved_record = record.model_copy(
                update={"migration": str(path), "revision": revision.revision}
            )
            recorded = str(old) in manifest.files
            manifest = manifest.without_files([old]).with_resource(moved_record)
            if recorded:
                manifest = manifest.with_files({path: text})
            tip, after = revision.revision, revision.filename
            moved.append(f"{node.filename} → {revision.filename}")
    ops.append(write_op(P(MANIFEST_FILE), manifest.dump(), before))
    return Plan(tuple(ops)), "re-chained " + ", ".join(moved)


_HEADER = {
    "revision": re.compile(r"^(revision(?:: str)? = ).*$", re.M),
    "down_revision": re.compile(r"^(down_revision(?:: [^=]+)? = ).*$", re.M),
    "Revision ID": re.compile(r"^(Revision ID: ).*$", re.M),
    "Revises": re.compile(r"^(Revises: ).*$", re.M),
    "Create Date": re.compile(r"^(Create Date: ).*$", re.M),
}


def rechain(source: str, revision: Revision) -> str:
    """``source`` with its id, parent and date those of ``revision``."""
    values = {
        "revision": repr(revision.revision).replace("'", '"'),
        "down_revision": repr(revision.down_revision).replace("'", '"'),
        "Revision ID": revision.revision,
        "Revises": revision.down_revision or "",
        "Create Date": revision.create_date,
    }
    for key, pattern in _HEADER.items():
        value = str(values[key]).replace("\\", "\\\\")
        source = pattern.sub(rf"\g<1>{value}", source, count=1)
    return source


def preview_history(
    command: str, *, project: Path, allow_dirty: bool = False
) -> tuple[Path, Plan, str]:
    """Find the project and plan ``merge`` or ``rebase`` (``--dry-run``).

    Raises:
        ProjectError: No project, a missing parent, or (rebase) revisions that
            cannot be moved or a database that cannot be read.
    """
    root = find_project(project)
    revisions, manifest = _read(root)
    if command == "merge":
        plan, summary = plan_merge(revisions, manifest, root)
    else:
        applied = applied_revisions(root)
        if applied is None and len(read_graph(revisions).heads) > 1:
            raise ProjectError(
                "cannot tell which revisions the project's database has applied "
                "(no .venv, or the database does not answer); run 'uv sync' and "
                "start the database, or join the heads with: scaffold migrations "
                "merge"
            )
        plan, summary = plan_rebase(revisions, manifest, applied or set())
    manifest_file = root / MANIFEST_FILE
    on_disk = (
        manifest_file.read_text(encoding="utf-8") if manifest_file.is_file() else None
    )
    plan = Plan(
        tuple(
            write_op(op.path, op.content, on_disk)
            if op.path == P(MANIFEST_FILE) and op.content is not None
            else op
            for op in plan.ops
        )
    )
    return root, guard(root, plan, allow_dirty=allow_dirty), summary


def _run(
    command: str,
    *,
    project: Path,
    allow_dirty: bool,
    check: bool,
    reporter: Reporter | None,
) -> HistoryResult:
    reporter = reporter or NullReporter()
    root, plan, summary = preview_history(
        command, project=project, allow_dirty=allow_dirty
    )
    if not plan.changes:
        return HistoryResult(root, plan, summary)
    checks = carry_out(root, plan, check=check, reporter=reporter)
    return HistoryResult(root, plan, summary, checks)


def merge_heads(
    *,
    project: Path,
    allow_dirty: bool = False,
    check: bool = True,
    reporter: Reporter | None = None,
) -> HistoryResult:
    """Write the revision that joins the heads, then check the project."""
    return _run(
        "merge",
        project=project,
        allow_dirty=allow_dirty,
        check=check,
        reporter=reporter,
    )


def rebase_heads(
    *,
    project: Path,
    allow_dirty: bool = False,
    check: bool = True,
    reporter: Reporter | None = None,
) -> HistoryResult:
    """Re-chain scaffold's unapplied revisions onto the other head, then check."""
    return _run(
        "rebase",
        project=project,
        allow_dirty=allow_dirty,
        check=check,
        reporter=reporter,
    )
