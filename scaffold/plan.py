"""A plan: the pure list of file operations a command will perform.

Planning reads nothing and writes nothing: it turns rendered text and the
current contents of the files it touches (passed in) into operations. The
apply step (:mod:`scaffold.apply`) is the only place that touches the disk.
"""

from __future__ import annotations

import difflib
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from enum import StrEnum
from pathlib import PurePosixPath

from scaffold.errors import ScaffoldError

__all__ = ["Action", "FileOp", "Plan", "plan_files"]


class Action(StrEnum):
    """What happens to one file."""

    CREATE = "create"
    MODIFY = "modify"
    IDENTICAL = "identical"


@dataclass(frozen=True)
class FileOp:
    """One file the plan writes, relative to the project root."""

    path: PurePosixPath
    content: str
    action: Action
    before: str | None = None

    def diff(self) -> str:
        """A unified diff of this operation; empty when nothing changes."""
        before = (self.before or "").splitlines(keepends=True)
        after = self.content.splitlines(keepends=True)
        old = "/dev/null" if self.action is Action.CREATE else f"a/{self.path}"
        return "".join(difflib.unified_diff(before, after, old, f"b/{self.path}"))


@dataclass(frozen=True)
class Plan:
    """Every file operation of one command, in the order they are applied."""

    ops: tuple[FileOp, ...]

    @property
    def changes(self) -> tuple[FileOp, ...]:
        """The operations that change the disk."""
        return tuple(op for op in self.ops if op.action is not Action.IDENTICAL)


def plan_files(
    rendered: Mapping[PurePosixPath, str],
    existing: Mapping[PurePosixPath, str | None],
    *,
    may_modify: Iterable[PurePosixPath] = (),
) -> Plan:
    """Classify each rendered file against what is on disk now.

    Args:
        rendered: The new content of every file the command produces.
        existing: The current content of those files (``None`` if absent).
        may_modify: Files the command edits in place (shared wiring files).
            Any other file that already exists with different content is a
            conflict.

    Returns:
        The plan, in the order of ``rendered``.

    Raises:
        ScaffoldError: A file the command would create already exists with
            different content; it is named, and nothing is written.
    """
    editable = set(may_modify)
    ops = []
    conflicts = []
    for path, content in rendered.items():
        current = existing.get(path)
        if current is None:
            ops.append(FileOp(path, content, Action.CREATE))
        elif current == content:
            ops.append(FileOp(path, content, Action.IDENTICAL, current))
        elif path in editable:
            ops.append(FileOp(path, content, Action.MODIFY, current))
        else:
            conflicts.append(
                f"{path} already exists and differs from what would be "
                "generated; move it away or remove it, then run again"
            )
    if conflicts:
        raise ScaffoldError(*conflicts)
    return Plan(tuple(ops))
