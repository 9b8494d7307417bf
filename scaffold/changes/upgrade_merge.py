"""The parts of ``scaffold upgrade`` that settle one skeleton file, and that
write the new revisions a new skeleton brings.
"""

from __future__ import annotations

import hashlib
import re
from pathlib import PurePosixPath

from scaffold.changes.history import rechain
from scaffold.changes.regenerate import merge
from scaffold.engine.plan import Action, FileOp
from scaffold.migrations.graph import read_graph
from scaffold.migrations.revision import (
    Revision,
    chain_time,
    current_head,
    generation_time,
)
from scaffold.project.layout import VERSIONS_DIR
from scaffold.project.manifest import digest
from scaffold.render.upgrade_revisions import release_revisions

__all__ = ["chain_revisions", "settle_skeleton"]

P = PurePosixPath
_STAMP = re.compile(r"^\d{4}_\d{2}_\d{2}_\d{4}_")


def settle_skeleton(
    path: P,
    ours: str | None,
    base: str | None,
    theirs: str | None,
    recorded: str | None,
    *,
    force: bool,
    refused: list[P],
    notes: list[str],
) -> FileOp | None:
    """How one skeleton file is upgraded (None: left as it is)."""
    if ours is None:
        if base is None and theirs is not None:
            return FileOp(path, theirs, Action.CREATE)
        if theirs is not None and theirs != base:
            notes.append(f"{path} was removed by you; the new template's is not added")
        return None
    unmodified = ours == base or digest(ours) == recorded
    if theirs is None:
        if unmodified and base is not None:
            return FileOp(path, None, Action.DELETE, ours)
        if base is not None:
            notes.append(f"{path} is no longer generated; yours is kept")
        return None
    if ours == theirs:
        return FileOp(path, theirs, Action.IDENTICAL, ours)
    if unmodified:
        return FileOp(path, theirs, Action.UPDATE, ours)
    if force:
        return FileOp(path, theirs, Action.OVERWRITE, ours)
    if base is None:
        refused.append(path)
        return None
    if base == theirs:
        return FileOp(path, ours, Action.KEEP, ours)
    merged, conflicted = merge(base, ours, theirs)
    return FileOp(path, merged, Action.CONFLICT if conflicted else Action.MERGE, ours)


def chain_revisions(
    revisions: dict[str, str],
    skeleton: dict[P, str],
    releases: list[str],
    answers: dict[str, object],
) -> dict[P, str]:
    """New revisions, chained onto the head in turn: the skeleton's, the release's."""
    graph = read_graph(revisions)
    tip = current_head(revisions)
    after = graph.filename(tip)
    when = generation_time()
    created: dict[P, str] = {}
    for path, source in sorted(skeleton.items()):
        revision_id = next(iter(read_graph({path.name: source}).nodes), None)
        if revision_id is None or revision_id in graph.nodes:
            continue  # chained by an earlier upgrade already
        stamped = chain_time(when, after)
        name = f"{stamped:%Y_%m_%d_%H%M}_{_STAMP.sub('', path.name)}"
        revision = Revision(revision_id, tip, str(stamped), name)
        created[P(VERSIONS_DIR) / name] = rechain(source, revision)
        tip, after = revision_id, name
    for version in releases:
        for stem, render in release_revisions(version, answers):
            stamped = chain_time(when, after)
            key = f"upgrade:{version}:{stem}:{tip}"
            revision_id = hashlib.sha256(key.encode()).hexdigest()[:12]
            name = f"{stamped:%Y_%m_%d_%H%M}_{stem}.py"
            revision = Revision(revision_id, tip, str(stamped), name)
            text = render(revision)
            if text.strip():
                created[P(VERSIONS_DIR) / name] = text
                tip, after = revision_id, name
    return created
