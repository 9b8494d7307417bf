"""The migration round trip of a generated project, in one process.

Upgrading to head, checking for drift, downgrading to base and upgrading again
used to start four ``alembic`` processes, each paying the interpreter's and the
application's import time. :data:`ROUND_TRIP_SCRIPT` runs the same four steps
through Alembic's command API in one process started with the project's own
interpreter (``uv run python -c``); it imports nothing of scaffold, which is
not installed there.
"""

from __future__ import annotations

__all__ = ["ROUND_TRIP_RERUN", "ROUND_TRIP_SCRIPT", "ROUND_TRIP_STEPS"]

#: The steps in the order they run, as a user types them.
ROUND_TRIP_STEPS = (
    "alembic upgrade head",
    "alembic check",
    "alembic downgrade base",
    "alembic upgrade head",
)

#: What a user types to run the round trip by hand.
ROUND_TRIP_RERUN = " && ".join(f"uv run {step}" for step in ROUND_TRIP_STEPS)

#: Run in the project's directory; exits 1 at the first step that fails, after
#: naming it (Python prints the error's traceback below).
ROUND_TRIP_SCRIPT = """\
from alembic import command
from alembic.config import Config

config = Config("alembic.ini")
steps = [
    ("alembic upgrade head", lambda: command.upgrade(config, "head")),
    ("alembic check", lambda: command.check(config)),
    ("alembic downgrade base", lambda: command.downgrade(config, "base")),
    ("alembic upgrade head", lambda: command.upgrade(config, "head")),
]
for name, step in steps:
    print(name, flush=True)
    try:
        step()
    except BaseException:
        print(f"{name} failed", flush=True)
        raise
print("migration round trip passed")
"""
