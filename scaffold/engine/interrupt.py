"""Ctrl-C and SIGTERM: stop at once, undo, and say in one line what was undone.

Both signals raise :class:`Interrupted` in the main thread (Typer would turn a
``KeyboardInterrupt`` into a silent exit). Whatever a command undoes on the
way out (a rolled-back change, a half-made project) it records as a note on
the exception with :func:`note_undone`; :func:`interrupted_message` turns
those notes into the one line the user sees.
"""

from __future__ import annotations

import contextlib
import signal
import threading
from collections.abc import Iterator
from types import FrameType
from typing import NoReturn

from scaffold.errors import Interrupted

__all__ = [
    "Interrupted",
    "install_handlers",
    "interrupted_message",
    "note_undone",
    "shielded",
]


def _raise_interrupted(signum: int, frame: FrameType | None) -> NoReturn:
    raise Interrupted(signum)


def install_handlers() -> None:
    """Raise :class:`Interrupted` on SIGINT and SIGTERM from now on."""
    for signum in (signal.SIGINT, signal.SIGTERM):
        signal.signal(signum, _raise_interrupted)


@contextlib.contextmanager
def shielded() -> Iterator[None]:
    """Ignore SIGINT and SIGTERM while undoing, so that a second Ctrl-C cannot
    cut a rollback short; the previous handlers come back afterwards.
    """
    if threading.current_thread() is not threading.main_thread():
        yield
        return
    signals = (signal.SIGINT, signal.SIGTERM)
    previous = [signal.signal(signum, signal.SIG_IGN) for signum in signals]
    try:
        yield
    finally:
        for signum, handler in zip(signals, previous, strict=True):
            signal.signal(signum, handler)


def note_undone(exc: BaseException, what: str) -> None:
    """Record on ``exc`` what was undone because of it, e.g. ``rolled back 9 files``."""
    exc.add_note(what)


def interrupted_message(exc: Interrupted) -> str:
    """The one line an interrupted command ends with."""
    notes = getattr(exc, "__notes__", [])
    undone = "; ".join(notes) if notes else "nothing was left half-written"
    return f"interrupted by {exc.cause}; {undone}"
