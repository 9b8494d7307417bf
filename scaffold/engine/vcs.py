"""Git awareness: never rewrite a file whose changes are not committed.

A command that would modify or delete files first asks git (when the project is
in a git work tree and git is installed) which of them have uncommitted
changes, and stops unless the user passed ``--allow-dirty``. New files are
always fine, and so is scaffold's own bookkeeping under ``.scaffold/``.

Uncommitted changes that scaffold made itself are no obstacle either: a file
whose content is exactly what scaffold last wrote (its SHA-256 is the one the
manifest records, shared files such as the router included) is clean. Only a
user's edits need ``--allow-dirty``.
"""

from __future__ import annotations

import shutil
import subprocess
from collections.abc import Iterable
from pathlib import Path, PurePosixPath

from scaffold.engine.plan import WRITES_OVER_EXISTING, Plan
from scaffold.errors import UsageError
from scaffold.project.layout import STATE_DIR
from scaffold.project.manifest import digest, read_manifest

__all__ = ["dirty_files", "ensure_committed"]


def dirty_files(root: Path, paths: Iterable[PurePosixPath]) -> list[str]:
    """Those of ``paths`` (relative to ``root``) with uncommitted changes.

    Untracked files count: their content is in no commit either. Outside a git
    work tree, or without git, nothing is dirty.
    """
    wanted = sorted({str(path) for path in paths})
    if not wanted or _git(root, "rev-parse", "--is-inside-work-tree") != "true\n":
        return []
    status = _git(
        root, "status", "--porcelain=v1", "-z", "--untracked-files=all", "--", *wanted
    )
    prefix = (_git(root, "rev-parse", "--show-prefix") or "").strip()
    dirty = {entry[3:].removeprefix(prefix) for entry in (status or "").split("\0")}
    return [path for path in wanted if path in dirty]


def _git(root: Path, *args: str) -> str | None:
    """The output of a git command run in ``root``; None if it fails."""
    git = shutil.which("git")
    if git is None:
        return None
    result = subprocess.run(  # noqa: S603 (a fixed git command, no shell)
        [git, "-C", str(root), *args], capture_output=True, text=True, check=False
    )
    return result.stdout if result.returncode == 0 else None


def ensure_committed(root: Path, plan: Plan, *, allow_dirty: bool) -> None:
    """Refuse a plan that rewrites files with uncommitted changes.

    Raises:
        UsageError: Files the plan modifies or deletes have uncommitted
            changes, and ``allow_dirty`` is false.
    """
    if allow_dirty:
        return
    touched = [
        op.path
        for op in plan.ops
        if op.action in WRITES_OVER_EXISTING and op.path.parts[0] != STATE_DIR
    ]
    recorded = read_manifest(root).files
    dirty = [
        path
        for path in dirty_files(root, touched)
        if recorded.get(path) != _current_digest(root / path)
    ]
    if dirty:
        raise UsageError(
            *(f"{path} has uncommitted changes and would be changed" for path in dirty),
            "nothing was written; commit or stash those changes first, or rerun "
            "with --allow-dirty",
        )


def _current_digest(path: Path) -> str | None:
    """The SHA-256 of the file at ``path``; None when there is no file."""
    try:
        return digest(path.read_bytes())
    except OSError:
        return None
