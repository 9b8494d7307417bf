"""Normalise generated Python with ruff: sorted imports, canonical format.

Templates are written to produce well-formatted code already; running the
generated files through the project's own ruff configuration makes the result
exactly what ``ruff format --check`` and ``ruff check`` expect, whatever
combination of fields a resource has.
"""

from __future__ import annotations

import tempfile
from collections.abc import Mapping
from pathlib import Path, PurePosixPath

from scaffold.errors import ScaffoldError
from scaffold.tools.check import run_tool
from scaffold.tools.wrap import wrap_long_lines

__all__ = ["format_python", "ruff_binary"]


def ruff_binary() -> str:
    """Locate the ``ruff`` executable that ships with scaffold's ``ruff`` dependency."""
    from ruff.__main__ import find_ruff_bin

    return str(find_ruff_bin())


def format_python(
    files: Mapping[PurePosixPath, str], *, pyproject: str | None = None
) -> dict[PurePosixPath, str]:
    """Sort the imports of and format every ``.py`` file in ``files``.

    Args:
        files: Generated files by their path relative to the project root.
        pyproject: The project's ``pyproject.toml`` text, whose ``[tool.ruff]``
            settings (line length, isort options) apply.

    Returns:
        The same mapping, with every Python file normalised.

    This is also the gate that every generated Python file parses: ruff
    refuses to format invalid Python, and then nothing is written.

    Raises:
        ScaffoldError: ruff could not format a file (a template bug); the
            error names the file and nothing has been written to the project.
    """
    python = {path: text for path, text in files.items() if path.suffix == ".py"}
    if not python:
        return dict(files)
    with tempfile.TemporaryDirectory(prefix="scaffold-format-") as staging:
        root = Path(staging)
        if pyproject is not None:
            (root / "pyproject.toml").write_text(pyproject, encoding="utf-8")
        for path, text in python.items():
            target = root / path
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_text(text, encoding="utf-8")
        names = [path.as_posix() for path in python]
        ruff = ruff_binary()
        steps = (
            ("check", "--fix", "--select", "I", "--exit-zero", "--quiet", "--no-cache"),
            ("format", "--quiet", "--no-cache"),
        )
        for step in steps:
            process = run_tool((ruff, *step, "--", *names), cwd=root, timeout=120)
            if process.returncode != 0:
                raise ScaffoldError(
                    "could not format the generated code (ruff "
                    f"{step[0]}: {process.stdout.strip()}); nothing was written: "
                    "please report this bug"
                )
        formatted = {
            path: wrap_long_lines((root / path).read_text(encoding="utf-8"))
            for path in python
        }
    return {path: formatted.get(path, text) for path, text in files.items()}
