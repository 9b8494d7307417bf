"""The built wheel carries the templates and works outside the source tree."""

from __future__ import annotations

import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

from scaffold.tools.check import uv_binary

pytestmark = pytest.mark.e2e

ROOT = Path(__file__).resolve().parents[1]


def test_wheel_installs_and_creates_a_project(tmp_path: Path) -> None:
    # Given a wheel built from this checkout (by the build backend the
    # project names, in an isolated build environment)
    uv = uv_binary()
    subprocess.run(
        [uv, "build", "--wheel", "--out-dir", str(tmp_path / "dist"), str(ROOT)],
        check=True,
        capture_output=True,
    )
    (wheel,) = (tmp_path / "dist").glob("fastapi_resource_scaffold-*.whl")
    names = zipfile.ZipFile(wheel).namelist()
    assert "scaffold/templates/project/copier.yml" in names
    assert "scaffold/cli/__init__.py" in names

    # When it is installed into a fresh virtual environment, its modules
    # compiled as pip compiles them (uv installs the same wheel, in seconds
    # where pip takes half a minute)
    venv = tmp_path / "venv"
    subprocess.run(
        [sys.executable, "-m", "venv", "--without-pip", str(venv)], check=True
    )
    python = str(venv / "bin" / "python")
    install = [
        uv,
        "pip",
        "install",
        "--quiet",
        "--compile-bytecode",
        "--python",
        python,
    ]
    subprocess.run([*install, str(wheel)], check=True, capture_output=True)
    compiled = venv.glob("lib/python*/site-packages/scaffold/templates/**/*.pyc")
    assert next(compiled, None) is not None

    # Then its scaffold command, run away from the checkout, creates a project
    work = tmp_path / "work"
    work.mkdir()
    result = subprocess.run(
        [str(venv / "bin" / "scaffold"), "new", "project", "demo", "--no-check"],
        cwd=work,
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    assert (work / "demo" / "app" / "main.py").is_file()
    assert (work / "demo" / ".copier-answers.yml").is_file()
    # And carries nothing of the installation (pip compiles the template's .py)
    strays = [p for p in (work / "demo").rglob("*") if p.suffix == ".pyc"]
    assert strays == []
