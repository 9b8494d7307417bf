"""The git-ignored ``.env`` a new project starts with: its own random secrets.

It is written beside the rendered template, not by it: the template's output
stays deterministic and recorded in the manifest, while each project gets a
signing key nobody else has.
"""

from __future__ import annotations

import secrets
from pathlib import Path

__all__ = ["LOCAL_ENV_FILE", "write_local_env"]

LOCAL_ENV_FILE = ".env"
SECRET_KEY_BYTES = 64
"""Long enough for every algorithm the project offers, HS512 included."""


def local_env_text() -> str:
    """The text of a new ``.env``: a fresh random ``SECRET_KEY``."""
    key = secrets.token_urlsafe(SECRET_KEY_BYTES)
    return (
        "# Local settings and secrets of this checkout; git ignores this file.\n"
        "# Every setting is described in .env.example.\n"
        f"SECRET_KEY={key}\n"
    )


def write_local_env(project: Path) -> Path:
    """Write ``.env`` with a random ``SECRET_KEY`` into ``project``.

    Readable by the owner only, since it holds a secret.

    Args:
        project: The project directory, which has no ``.env`` yet.

    Returns:
        The path written.
    """
    path = project / LOCAL_ENV_FILE
    path.touch(mode=0o600, exist_ok=False)
    path.write_text(local_env_text(), encoding="utf-8")
    return path
