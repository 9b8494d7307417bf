"""The committed example projects: current with the templates, and passing."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import POSTGRES_URL
from tests.e2e import run_scaffold

EXAMPLES = Path(__file__).resolve().parents[1] / "examples"
NAMES = ["minimal", "bookstore", "every-field"]


def test_examples_are_what_the_templates_generate() -> None:
    # Given the committed examples / When they are regenerated from their specs
    result = subprocess.run(
        [sys.executable, str(EXAMPLES / "regenerate.py"), "--check"],
        capture_output=True,
        text=True,
        check=False,
    )

    # Then nothing differs; otherwise the diff and the command to update show
    assert result.returncode == 0, (
        f"the committed examples differ from what scaffold generates:\n"
        f"{result.stdout}\n{result.stderr}"
    )


def test_every_example_has_its_spec_and_project() -> None:
    for name in NAMES:
        assert (EXAMPLES / "specs" / f"{name}.yaml").is_file()
        assert (EXAMPLES / name / "app" / "main.py").is_file()
        assert (EXAMPLES / name / "tests" / "api").is_dir()


@pytest.mark.e2e
@pytest.mark.parametrize("name", NAMES)
def test_example_passes_every_check_on_sqlite(name: str, tmp_path: Path) -> None:
    # Given a copy of the example (checks create .venv; the repo stays clean)
    project = Path(shutil.copytree(EXAMPLES / name, tmp_path / name))

    # When it is checked / Then format, lint, types, tests and migrations pass
    result = run_scaffold("check", cwd=project)
    assert result.returncode == 0, result.stderr


@pytest.mark.e2e
@pytest.mark.postgres
@pytest.mark.parametrize("name", NAMES)
def test_example_passes_every_check_on_postgres(
    name: str, tmp_path: Path, require_postgres: None
) -> None:
    project = Path(shutil.copytree(EXAMPLES / name, tmp_path / name))
    database = f"{POSTGRES_URL}/example_{name.replace('-', '_')}"

    result = run_scaffold("check", "--db-url", database, cwd=project)

    assert result.returncode == 0, result.stderr
