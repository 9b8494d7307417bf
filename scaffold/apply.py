"""Apply a plan to a project: every file or none.

Each file is written to a temporary file in its own directory and moved into
place with :func:`os.replace`. What was there before is remembered; if a write
fails or the run is interrupted (Ctrl-C, SIGTERM), every file already written
is restored and every file created is removed, so the project is left exactly
as it was.
"""

from __future__ import annotations

import os
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from scaffold.errors import ProjectError
from scaffold.events import NullReporter, Reporter
from scaffold.plan import Action, Plan

__all__ = ["apply_plan", "process_umask", "safe_target"]


def safe_target(root: Path, relative: str | os.PathLike[str]) -> Path:
    """Resolve ``relative`` under ``root``, refusing anything that leaves it.

    A path that climbs out (``..``), is absolute, or passes through a symbolic
    link that points outside the project is refused.

    Raises:
        ProjectError: The path would leave the project.
    """
    root = root.resolve()
    target = (root / relative).resolve()
    if not target.is_relative_to(root):
        raise ProjectError(
            f"refusing to write {str(relative)!r}: it resolves to {target}, "
            f"outside the project {root}"
        )
    return target


def _write_atomically(target: Path, data: bytes) -> None:
    """Write ``data`` to ``target`` through a temporary file and a rename.

    An existing file keeps its permissions; a new one gets the usual ones.
    """
    target.parent.mkdir(parents=True, exist_ok=True)
    descriptor, name = tempfile.mkstemp(
        prefix=f".{target.name}.", suffix=".tmp", dir=target.parent
    )
    temporary = Path(name)
    try:
        with os.fdopen(descriptor, "wb") as handle:
            handle.write(data)
        mode = (
            target.stat().st_mode & 0o7777
            if target.exists()
            else 0o666 & ~process_umask()
        )
        temporary.chmod(mode)
        temporary.replace(target)
    except BaseException:
        temporary.unlink(missing_ok=True)
        raise


@contextmanager
def _journal() -> Iterator[list[tuple[Path, bytes | None, list[Path]]]]:
    """Record each write; undo them all, newest first, if the block fails."""
    entries: list[tuple[Path, bytes | None, list[Path]]] = []
    try:
        yield entries
    except BaseException:
        for target, before, created_dirs in reversed(entries):
            if before is None:
                target.unlink(missing_ok=True)
            else:
                _write_atomically(target, before)
            for directory in reversed(created_dirs):
                if directory.is_dir() and not any(directory.iterdir()):
                    directory.rmdir()
        raise


def apply_plan(
    root: Path, plan: Plan, *, reporter: Reporter | None = None
) -> list[Path]:
    """Write every change of ``plan`` under ``root``, all or nothing.

    Args:
        root: The project root.
        plan: What to write.
        reporter: Told about each file, including identical ones.

    Returns:
        The paths written.

    Raises:
        ProjectError: A path would leave the project.
    """
    reporter = reporter or NullReporter()
    targets = [(op, safe_target(root, op.path)) for op in plan.ops]
    written = []
    with _journal() as journal:
        for op, target in targets:
            if op.action is Action.IDENTICAL:
                reporter.wrote(op.action.value, Path(op.path))
                continue
            before = target.read_bytes() if target.exists() else None
            created_dirs = _missing_parents(target, root)
            journal.append((target, before, created_dirs))
            _write_atomically(target, op.content.encode())
            written.append(target)
            reporter.wrote(op.action.value, Path(op.path))
    return written


def _missing_parents(target: Path, root: Path) -> list[Path]:
    """The directories between ``root`` and ``target`` that do not exist yet."""
    missing = []
    for parent in target.parents:
        if parent == root.resolve() or parent.exists():
            break
        missing.append(parent)
    return list(reversed(missing))


def process_umask() -> int:
    """The process umask, for files created with the usual permissions."""
    mask = os.umask(0)
    os.umask(mask)
    return mask
