"""The committed example projects: current with the templates, and passing."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
import urllib.parse
import urllib.request
from collections.abc import Callable
from pathlib import Path

import pytest
import yaml

from scaffold.project.answers import read_answers
from scaffold.tools.check import (
    run_tool,
    tool_environment,
    uv_binary,
)
from tests.conftest import postgres_database
from tests.e2e import run_scaffold, serve
from tests.environments import Prepare

SCHEMATHESIS = str(Path(sys.executable).parent / "schemathesis")
CONTRACT_CHECKS = (
    "not_a_server_error,status_code_conformance,"
    "content_type_conformance,response_schema_conformance"
)

EXAMPLES = Path(__file__).resolve().parents[1] / "examples"
NAMES = ["minimal", "bookstore", "every-field"]
FUZZ_USER = {"email": "fuzz@example.com", "password": "fuzzing-passphrase"}


def sign_up(base: str) -> str:
    """Register and log in a user of the served example; return its access token."""
    register = urllib.request.Request(
        f"{base}/api/v1/auth/register",
        data=json.dumps(FUZZ_USER).encode(),
        headers={"Content-Type": "application/json"},
    )
    with urllib.request.urlopen(register, timeout=10) as response:
        assert response.status == 201
    form = {"username": FUZZ_USER["email"], "password": FUZZ_USER["password"]}
    login = urllib.request.Request(
        f"{base}/api/v1/auth/login", data=urllib.parse.urlencode(form).encode()
    )
    with urllib.request.urlopen(login, timeout=10) as response:
        token: str = json.load(response)["access_token"]
    return token


@pytest.mark.e2e
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


#: Each example's tests run on one xdist worker, so they share its environment.
EXAMPLE_PARAMS = [
    pytest.param(name, marks=pytest.mark.xdist_group(f"example-{name}"))
    for name in NAMES
]


@pytest.fixture(scope="session")
def example_projects(
    tmp_path_factory: pytest.TempPathFactory, install: Prepare
) -> Callable[[str], Path]:
    """Give each example's copy, with its environment installed once per session.

    The SQLite check, the PostgreSQL check and the fuzzing of one example all
    use one copy (checks create .venv and caches there; the repo stays clean),
    so ``uv sync`` runs once per example and mypy's cache is warm after the
    first check.
    """
    copies: dict[str, Path] = {}

    def copy(name: str) -> Path:
        if name not in copies:
            parent = tmp_path_factory.mktemp(f"example-{name}")
            project = Path(shutil.copytree(EXAMPLES / name, parent / name))
            install(project)
            copies[name] = project
        return copies[name]

    return copy


@pytest.mark.parametrize("name", NAMES)
def test_every_example_carries_a_lock_file_that_matches_it(name: str) -> None:
    # Given an example / When uv checks its lock file against its pyproject.toml
    assert (EXAMPLES / name / "uv.lock").is_file()
    result = run_tool(
        (uv_binary(), "lock", "--check"), cwd=EXAMPLES / name, env=tool_environment()
    )

    # Then it is current: the example's CI can install with `uv sync --locked`
    assert result.returncode == 0, result.stdout


def workflow_test_options(project: Path) -> str:
    """The options the example's CI workflow gives pytest in its check job."""
    workflow = yaml.safe_load((project / ".github/workflows/ci.yml").read_text())
    (command,) = [
        step["run"]
        for step in workflow["jobs"]["check"]["steps"]
        if step.get("run", "").startswith("uv run --no-sync pytest")
    ]
    return str(command).removeprefix("uv run --no-sync pytest").strip()


def test_every_example_workflow_gates_coverage_at_90_percent() -> None:
    for name in NAMES:
        assert workflow_test_options(EXAMPLES / name) == "--cov --cov-fail-under=90"


@pytest.mark.e2e
@pytest.mark.parametrize("name", EXAMPLE_PARAMS)
def test_example_passes_every_check_on_sqlite_and_its_coverage_gate(
    name: str, example_projects: Callable[[str], Path]
) -> None:
    # Given a copy of the example with its environment
    project = example_projects(name)
    coverage_data = project / ".coverage"
    coverage_data.unlink(missing_ok=True)

    # When it is checked, its tests given the options its CI workflow gives
    # them (one run of the tests serves both: they take most of the time)
    options = {"PYTEST_ADDOPTS": workflow_test_options(project)}
    result = run_scaffold("check", cwd=project, env=options)

    # Then format, lint, types, tests and migrations pass, and the tests cover
    # at least 90 % of the application (below it, pytest-cov fails the tests)
    assert result.returncode == 0, result.stderr
    assert coverage_data.is_file(), "the coverage options were not in effect"


@pytest.mark.e2e
@pytest.mark.postgres
@pytest.mark.parametrize("name", EXAMPLE_PARAMS)
def test_example_passes_every_check_on_postgres(
    name: str, example_projects: Callable[[str], Path], require_postgres: None
) -> None:
    project = example_projects(name)
    database = postgres_database(f"example_{name.replace('-', '_')}")

    result = run_scaffold("check", "--db-url", database, cwd=project)

    assert result.returncode == 0, result.stderr


@pytest.mark.e2e
@pytest.mark.parametrize("name", EXAMPLE_PARAMS)
def test_schemathesis_finds_no_server_error_or_schema_violation(
    name: str, example_projects: Callable[[str], Path], tmp_path: Path
) -> None:
    # Given the example, served on loopback with a migrated database
    project = example_projects(name)
    env = {"DATABASE_URL": f"sqlite+aiosqlite:///{tmp_path / 'fuzz.db'}"}
    migrated = run_tool(
        (uv_binary(), "run", "--no-sync", "alembic", "upgrade", "head"),
        cwd=project,
        env=tool_environment(env),
    )
    assert migrated.returncode == 0, migrated.stdout

    # When Schemathesis drives every operation from the OpenAPI schema, as a
    # signed-in user where the example has users, so protected routes are reached
    with serve(project, env) as base:
        headers = []
        if read_answers(project).auth:
            headers = ["--header", f"Authorization: Bearer {sign_up(base)}"]
        result = subprocess.run(
            [
                SCHEMATHESIS, "run", f"{base}/openapi.json",
                "--checks", CONTRACT_CHECKS,
                "--max-examples", "10",
                "--seed", "20260101",
                *headers,
            ],
            capture_output=True,
            text=True,
            timeout=600,
            check=False,
        )  # fmt: skip

    # Then it finds no 500 and no response that contradicts the schema
    assert result.returncode == 0, result.stdout[-6000:]
