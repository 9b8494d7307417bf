"""A plan: the pure list of file operations a command will perform.

Planning reads nothing and writes nothing: it turns rendered text, the current
contents of the files it touches and the manifest's record of what scaffold
generated (all passed in) into classified operations. The apply step
(:mod:`scaffold.engine.apply`) is the only place that touches the disk.

Each target is classified: created, identical, a generated file the user has
not modified (safe to update), a shared file scaffold edits in place, or a file
the user modified, which is a conflict: the command stops and lists them all,
unless the user chose ``--force`` (overwrite, keeping a backup) or the command
merges (``scaffold regenerate``).
"""

from __future__ import annotations

import difflib
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from enum import StrEnum
from pathlib import PurePosixPath

from scaffold.errors import ConflictError
from scaffold.project.layout import BACKUP_DIR

__all__ = [
    "WRITES_OVER_EXISTING",
    "Action",
    "ConflictError",
    "FileOp",
    "Plan",
    "backup_ops",
    "conflict_error",
    "plan_files",
    "write_op",
]


class Action(StrEnum):
    """What happens to one file."""

    CREATE = "create"
    IDENTICAL = "identical"
    #: A generated file the user has not modified, re-rendered.
    UPDATE = "update"
    #: A shared file (router, model imports) edited in place.
    MODIFY = "modify"
    #: The user's edits and the new rendering, merged without conflict.
    MERGE = "merge"
    #: Merged, with conflict markers where both sides changed the same lines.
    CONFLICT = "conflict"
    #: The user's modified file replaced (``--force``); a backup is kept.
    OVERWRITE = "overwrite"
    DELETE = "delete"
    #: A file the user modified, left in place.
    KEEP = "keep"


#: Actions that change or remove a file that already exists.
WRITES_OVER_EXISTING = frozenset(
    {Action.UPDATE, Action.MODIFY, Action.MERGE, Action.CONFLICT, Action.OVERWRITE,
     Action.DELETE}
)  # fmt: skip

_UNCHANGED = frozenset({Action.IDENTICAL, Action.KEEP})


@dataclass(frozen=True)
class FileOp:
    """One file the plan writes or deletes, relative to the project root.

    ``content`` is the text after the operation (``None`` for a deletion);
    ``before`` the text on disk now (``None`` when there is no file).
    """

    path: PurePosixPath
    content: str | None
    action: Action
    before: str | None = None

    def diff(self) -> str:
        """A unified diff of this operation; empty when nothing changes."""
        if self.action in _UNCHANGED:
            return ""
        before = (self.before or "").splitlines(keepends=True)
        after = (self.content or "").splitlines(keepends=True)
        old = "/dev/null" if self.before is None else f"a/{self.path}"
        new = "/dev/null" if self.content is None else f"b/{self.path}"
        return "".join(difflib.unified_diff(before, after, old, new))


@dataclass(frozen=True)
class Plan:
    """Every file operation of one command, in the order they are applied."""

    ops: tuple[FileOp, ...]

    @property
    def changes(self) -> tuple[FileOp, ...]:
        """The operations that change the disk."""
        return tuple(op for op in self.ops if op.action not in _UNCHANGED)

    def with_ops(self, ops: Iterable[FileOp]) -> Plan:
        """This plan followed by ``ops``."""
        return Plan((*self.ops, *ops))

    def paths(self, *actions: Action) -> list[PurePosixPath]:
        """The paths of the operations with one of ``actions``."""
        return [op.path for op in self.ops if op.action in actions]


def write_op(path: PurePosixPath, text: str, current: str | None) -> FileOp:
    """Write ``text`` to ``path`` (scaffold's own file, or a shared file it edits)."""
    if current is None:
        return FileOp(path, text, Action.CREATE)
    action = Action.IDENTICAL if current == text else Action.MODIFY
    return FileOp(path, text, action, current)


def plan_files(
    rendered: Mapping[PurePosixPath, str],
    existing: Mapping[PurePosixPath, str | None],
    *,
    generated: Mapping[str, str] | None = None,
    may_modify: Iterable[PurePosixPath] = (),
    force: bool = False,
) -> Plan:
    """Classify each rendered file against what is on disk now.

    Args:
        rendered: The new content of every file the command produces.
        existing: The current content of those files (``None`` if absent).
        generated: The manifest's record: path → SHA-256 of the text scaffold
            generated. A file whose text still has that hash was not modified
            by the user and may be updated.
        may_modify: Shared files the command edits in place.
        force: Overwrite files the user modified (the caller keeps backups).

    Returns:
        The plan, in the order of ``rendered``.

    Raises:
        ConflictError: Files the user modified (or wrote) would be replaced;
            every one is named, and nothing is written.
    """
    from scaffold.project.manifest import digest

    generated = generated or {}
    editable = set(may_modify)
    ops = []
    conflicts = []
    for path, content in rendered.items():
        current = existing.get(path)
        if current is None:
            action = Action.CREATE
        elif current == content:
            action = Action.IDENTICAL
        elif path in editable:
            action = Action.MODIFY
        elif generated.get(str(path)) == digest(current):
            action = Action.UPDATE
        elif force:
            action = Action.OVERWRITE
        else:
            conflicts.append(path)
            continue
        ops.append(FileOp(path, content, action, current))
    if conflicts:
        raise conflict_error(conflicts)
    return Plan(tuple(ops))


def conflict_error(paths: Iterable[PurePosixPath]) -> ConflictError:
    """The error listing files the user modified that a command would replace."""
    return ConflictError(
        *(
            f"{path} was modified since scaffold generated it (or was not written "
            "by scaffold) and would be replaced"
            for path in paths
        ),
        "nothing was written; move your changes away, or rerun with --force to "
        "overwrite them (a backup is kept under .scaffold/backup/)",
    )


def backup_ops(ops: Iterable[FileOp], stamp: str) -> list[FileOp]:
    """Operations that keep the user's current text of each of ``ops``.

    Args:
        ops: Operations that replace or delete a file the user modified.
        stamp: The backup's directory name under ``.scaffold/backup/``.
    """
    return [
        FileOp(PurePosixPath(BACKUP_DIR) / stamp / op.path, op.before, Action.CREATE)
        for op in ops
        if op.before is not None
    ]
