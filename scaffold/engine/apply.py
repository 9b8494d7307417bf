"""Apply a plan to a project: every file or none.

Before the first write, a journal (``.scaffold/journal/``) records every file
the plan touches, with a copy of what was there. Each file is then written to
a temporary file in its own directory and moved into place with
:func:`os.replace` (or deleted). If a write fails or the run is interrupted
(Ctrl-C, SIGTERM), the journal is played back at once: every file is restored,
every file created is removed, so the project is left exactly as it was. If
the process is killed outright, the journal stays behind; the next command
refuses to run and ``scaffold recover`` plays it back.
"""

from __future__ import annotations

import glob
import json
import os
import shutil
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

from scaffold.engine.events import NullReporter, Reporter
from scaffold.engine.interrupt import note_undone, shielded
from scaffold.engine.plan import Action, Plan
from scaffold.errors import ProjectError
from scaffold.project.layout import JOURNAL_DIR

__all__ = [
    "Recovery",
    "apply_plan",
    "ensure_no_journal",
    "journal_session",
    "process_umask",
    "recover",
    "safe_target",
]

_JOURNAL_FILE = "journal.json"


@dataclass
class _Session:
    """One journal kept open over several plans (see :func:`journal_session`)."""

    entries: list[_Entry] = field(default_factory=list)
    created_dirs: list[str] = field(default_factory=list)


# Project root → the journal session open on it.
_SESSIONS: dict[Path, _Session] = {}


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


def _write_atomically(target: Path, data: bytes, mode: int | None = None) -> None:
    """Write ``data`` to ``target`` through a temporary file and a rename.

    An existing file keeps its permissions unless ``mode`` is given; a new one
    gets the usual ones.
    """
    target.parent.mkdir(parents=True, exist_ok=True)
    descriptor, name = tempfile.mkstemp(
        prefix=f".{target.name}.", suffix=".tmp", dir=target.parent
    )
    temporary = Path(name)
    try:
        with os.fdopen(descriptor, "wb") as handle:
            handle.write(data)
        if mode is None:
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


@dataclass(frozen=True)
class _Entry:
    """One file the journal can restore: its text before, if it existed."""

    path: str
    backup: str | None
    mode: int | None


def _journal_path(root: Path) -> Path:
    return safe_target(root, JOURNAL_DIR)


def ensure_no_journal(root: Path) -> None:
    """Refuse to work on a project that an interrupted run left half-written.

    Raises:
        ProjectError: A journal from a killed run is present.
    """
    if root.resolve() in _SESSIONS:
        return  # the journal is this run's own
    if (root / JOURNAL_DIR / _JOURNAL_FILE).is_file():
        raise ProjectError(
            f"a previous scaffold run on {root} was killed part-way and left "
            f"{JOURNAL_DIR}/; run 'scaffold recover' to put every file back as "
            "it was, then run again"
        )


def _write_journal(root: Path, plan: Plan) -> list[_Entry]:
    """Record every file ``plan`` changes, and the directories it creates.

    In a :func:`journal_session`, the plan's files are added to the session's
    journal; a file it recorded already keeps its first copy.
    """
    journal = _journal_path(root)
    session = _SESSIONS.get(root, _Session())
    created_dirs = session.created_dirs + [
        str(path.relative_to(root)) for path in _missing_dirs(root, plan)
    ]
    journal.mkdir(parents=True, exist_ok=root in _SESSIONS)
    entries = list(session.entries)
    recorded = {entry.path for entry in entries}
    for op in plan.changes:
        if str(op.path) in recorded:
            continue
        number = len(entries)
        target = safe_target(root, op.path)
        backup = mode = None
        if target.is_file():
            backup = f"{number:04d}"
            shutil.copyfile(target, journal / backup)
            mode = target.stat().st_mode & 0o7777
        entries.append(_Entry(str(op.path), backup, mode))
    record = {
        "entries": [entry.__dict__ for entry in entries],
        "created_dirs": created_dirs,
    }
    _write_atomically(journal / _JOURNAL_FILE, json.dumps(record, indent=2).encode())
    session.entries, session.created_dirs = entries, created_dirs
    return entries


@contextmanager
def journal_session(
    root: Path, *, keep: tuple[type[BaseException], ...] = ()
) -> Iterator[None]:
    """Apply every plan inside the block under one journal: all or nothing.

    A failure or an interrupt inside the block plays the journal back, undoing
    every plan applied in it; ``keep`` exceptions (a merge conflict, whose
    markers are meant to stay) keep what was written. A killed run leaves the
    journal for ``scaffold recover``, as a single plan does.
    """
    root = root.resolve()
    ensure_no_journal(root)
    _SESSIONS[root] = _Session()
    try:
        yield
    except BaseException as exc:
        session = _SESSIONS.pop(root, None)
        if session is None or not (_journal_path(root) / _JOURNAL_FILE).is_file():
            raise
        if isinstance(exc, keep):
            _remove_journal(root)
            raise
        with shielded():
            recover(root)
        count = len(session.entries)
        note_undone(
            exc,
            f"rolled back the change to {count} file{'s' if count != 1 else ''}: "
            "the project is as it was",
        )
        raise
    _SESSIONS.pop(root)
    if _journal_path(root).is_dir():
        _remove_journal(root)


def _missing_dirs(root: Path, plan: Plan) -> list[Path]:
    """Directories the plan (or its journal) creates, parents first."""
    root = root.resolve()
    missing: list[Path] = []
    wanted = [safe_target(root, JOURNAL_DIR) / _JOURNAL_FILE]
    wanted += [safe_target(root, op.path) for op in plan.changes]
    for target in wanted:
        for parent in reversed(target.parents):
            inside = parent.is_relative_to(root) and parent != root
            if inside and not parent.exists() and parent not in missing:
                missing.append(parent)
    return missing


@dataclass(frozen=True)
class Recovery:
    """What playing back a journal restored and removed."""

    restored: tuple[str, ...]
    removed: tuple[str, ...]


def recover(root: Path, *, dry_run: bool = False) -> Recovery | None:
    """Play back the journal under ``root``: restore every file it recorded.

    Files that existed get their recorded text and permissions back, files the
    run created are removed, directories it created are removed if empty, and
    the journal is deleted last.

    Returns:
        What was (or, with ``dry_run``, would be) restored; None when there
        is no journal.

    Raises:
        ProjectError: The journal is unreadable.
    """
    journal = _journal_path(root)
    record_file = journal / _JOURNAL_FILE
    if not record_file.is_file():
        if journal.is_dir() and not dry_run:
            _remove_journal(root)  # killed while the journal was being written
        return None
    try:
        record = json.loads(record_file.read_text(encoding="utf-8"))
        entries = [_Entry(**entry) for entry in record["entries"]]
        created_dirs = [str(path) for path in record["created_dirs"]]
    except (OSError, ValueError, KeyError, TypeError) as exc:
        raise ProjectError(
            f"cannot read {JOURNAL_DIR}/{_JOURNAL_FILE} ({exc}); restore the "
            "project from version control and delete that directory"
        ) from exc
    restored = tuple(entry.path for entry in entries if entry.backup is not None)
    removed = tuple(entry.path for entry in entries if entry.backup is None)
    if dry_run:
        return Recovery(restored, removed)
    for entry in reversed(entries):
        target = safe_target(root, entry.path)
        if entry.backup is None:
            target.unlink(missing_ok=True)
        else:
            data = (journal / entry.backup).read_bytes()
            _write_atomically(target, data, entry.mode)
        _remove_temporary_files(target)
    _remove_journal(root)
    for directory in reversed(created_dirs):
        path = safe_target(root, directory)
        if path.is_dir() and not any(path.iterdir()):
            path.rmdir()
    return Recovery(restored, removed)


def _remove_temporary_files(target: Path) -> None:
    """Delete temporary files an interrupted write of ``target`` left behind.

    A signal can land between creating the temporary file and the ``try`` that
    would delete it; they are named as :func:`_write_atomically` names them.
    """
    for stray in target.parent.glob(f".{glob.escape(target.name)}.*.tmp"):
        stray.unlink(missing_ok=True)


def apply_plan(
    root: Path, plan: Plan, *, reporter: Reporter | None = None
) -> list[Path]:
    """Write every change of ``plan`` under ``root``, all or nothing.

    Args:
        root: The project root.
        plan: What to write or delete.
        reporter: Told about each file, including unchanged ones.

    Returns:
        The paths written or deleted.

    Raises:
        ProjectError: A path would leave the project, or a killed run left a
            journal behind.
    """
    reporter = reporter or NullReporter()
    root = root.resolve()
    ensure_no_journal(root)
    for op in plan.ops:
        safe_target(root, op.path)
    if not plan.changes:
        return _write_plan(root, plan, reporter)
    if root in _SESSIONS:
        _write_journal(root, plan)
        return _write_plan(root, plan, reporter)
    try:
        _write_journal(root, plan)
        written = _write_plan(root, plan, reporter)
    except BaseException as exc:
        with shielded():
            recover(root)
        count = len(plan.changes)
        note_undone(
            exc,
            f"rolled back the change to {count} file{'s' if count != 1 else ''}: "
            "the project is as it was",
        )
        raise
    _remove_journal(root)
    return written


def _write_plan(root: Path, plan: Plan, reporter: Reporter) -> list[Path]:
    """Write ``plan``'s changes (journalled already); report every file."""
    targets = [(op, safe_target(root, op.path)) for op in plan.ops]
    written = []
    for op, target in targets:
        if op.action in (Action.IDENTICAL, Action.KEEP):
            reporter.wrote(op.action.value, Path(op.path))
            continue
        if op.content is None:
            target.unlink(missing_ok=True)
        else:
            _write_atomically(target, op.content.encode())
        written.append(target)
        reporter.wrote(op.action.value, Path(op.path))
    _prune_empty_parents(root, [t for op, t in targets if op.content is None])
    return written


def _remove_journal(root: Path) -> None:
    """Delete the journal, and ``.scaffold/`` if it held nothing else."""
    journal = _journal_path(root)
    shutil.rmtree(journal)
    if not any(journal.parent.iterdir()):
        journal.parent.rmdir()


def _prune_empty_parents(root: Path, deleted: list[Path]) -> None:
    """Remove the directories that deleting files left empty."""
    for target in deleted:
        for parent in target.parents:
            if parent == root or not parent.is_relative_to(root):
                break
            if not parent.is_dir() or any(parent.iterdir()):
                break
            parent.rmdir()


def process_umask() -> int:
    """The process umask, for files created with the usual permissions."""
    mask = os.umask(0)
    os.umask(mask)
    return mask
