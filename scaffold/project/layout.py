"""Where scaffold's templates are, installed or in a source checkout."""

from __future__ import annotations

from functools import cache
from pathlib import Path

from scaffold.errors import ScaffoldError

__all__ = ["templates_root"]

_PACKAGE = Path(__file__).resolve().parent.parent


@cache
def templates_root() -> Path:
    """The directory holding ``project/`` (Copier) and ``resource/`` (Jinja).

    A wheel ships the templates inside the package (``scaffold/templates``); an
    editable install or a source checkout reads them from the repository's
    top-level ``templates/``.

    Raises:
        ScaffoldError: Neither place holds the templates (a broken install).
    """
    for candidate in (_PACKAGE / "templates", _PACKAGE.parent / "templates"):
        if (candidate / "project" / "copier.yml").is_file():
            return candidate
    raise ScaffoldError(
        f"scaffold's templates are missing from {_PACKAGE}; reinstall it with "
        "pip install --force-reinstall fastapi-resource-scaffold"
    )
