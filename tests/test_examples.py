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
from tests.conftest import POSTGRES_URL, postgres_database
from tests.e2e import run_scaffold, serve
from tests.environments import Prepare

SCHEMATHESIS = str(Path(sys.executable).parent / "schemathesis")
#: Every check, every phase: the examples, the coverage of each schema's edges,
#: random fuzzing, and the stateful phase that follows the OpenAPI links.
CHECKS = "all"
PHASES = "examples,coverage,fuzzing,stateful"

EXAMPLES = Path(__file__).resolve().parents[1] / "examples"
NAMES = ["minimal", "bookstore", "every-field"]
ADMIN = {"email": "fuzz-admin@example.com", "password": "fuzzing-passphrase"}
#: The served example's settings while fuzzed: no rate limits (the fuzzer
#: sends hundreds of requests a second, which would answer 429 and leave the
#: logic behind them untested) and cheap password hashes.
FUZZ_SETTINGS = {
    "RATE_LIMIT_ENABLED": "false",
    "PASSWORD_HASH_TIME_COST": "1",
    "PASSWORD_HASH_MEMORY_COST": "1024",
    "PASSWORD_HASH_PARALLELISM": "1",
}


def make_admin(project: Path, env: dict[str, str]) -> None:
    """Create the example's administrator as its README says, with the CLI."""
    result = run_tool(
        (uv_binary(), "run", "--no-sync", "python", "-m", "app.create_admin",
         ADMIN["email"]),
        cwd=project,
        env=tool_environment({**env, "ADMIN_PASSWORD": ADMIN["password"]}),
    )  # fmt: skip
    assert result.returncode == 0, result.stdout


def log_in(base: str) -> str:
    """Log the administrator in to the served example; return its access token."""
    form = {"username": ADMIN["email"], "password": ADMIN["password"]}
    login = urllib.request.Request(
        f"{base}/api/v1/auth/login", data=urllib.parse.urlencode(form).encode()
    )
    with urllib.request.urlopen(login, timeout=10) as response:
        token: str = json.load(response)["access_token"]
    return token


def documented_statuses(base: str) -> dict[str, list[str]]:
    """The statuses each operation may answer to valid requests, beyond 2XX.

    Those whose request bodies hold references (``*_id``, ``*_ids``) and the
    cursor-paged lists (a ``cursor`` query parameter) add 422: an id or a
    cursor may name nothing. The changes of a versioned row (a required
    ``If-Match`` header) add 412 and 428: a tag that is not the current one.
    """
    with urllib.request.urlopen(f"{base}/openapi.json", timeout=10) as response:
        document = json.load(response)
    schemas = document["components"]["schemas"]
    found: dict[str, list[str]] = {}
    for path in document["paths"].values():
        for operation in path.values():
            extra = []
            parameters = operation.get("parameters", [])
            if any(parameter["name"] == "cursor" for parameter in parameters):
                extra.append("422")
            content = operation.get("requestBody", {}).get("content", {})
            ref = content.get("application/json", {}).get("schema", {}).get("$ref")
            if ref is not None:
                properties = schemas[ref.rsplit("/", 1)[-1]].get("properties", {})
                if any(name.endswith(("_id", "_ids")) for name in properties):
                    extra.append("422")
            if any(
                parameter["name"] == "If-Match" and parameter.get("required")
                for parameter in parameters
            ):
                extra.extend(["412", "428"])
            if extra:
                found[operation["operationId"]] = sorted(set(extra))
    return found


def fuzz_config(directory: Path, statuses: dict[str, list[str]]) -> Path:
    """Schemathesis's configuration: the documented exceptions, narrowly.

    An id in a body that names no row answers 422 (``missing_reference``), as
    the README documents; Schemathesis generates random ids, which name no row,
    and would count that 422 as a valid request refused. Likewise a list's
    ``cursor`` is opaque: a string the schema allows but this list never
    returned answers 422 (the README's cursor paragraph). And a change of a
    versioned row answers 412 to an ``If-Match`` that is not the row's current
    ``ETag`` and 428 without one (RFC 9110 and RFC 6585, as the README's
    versioning paragraph documents): any string the schema allows is not a
    current tag. So for those operations, and for ``positive_data_acceptance``
    (and ``missing_required_header``: 428) only, those are expected statuses
    too. Every other check and operation is as Schemathesis has it.
    """
    config = directory / "schemathesis.toml"
    blocks = []
    for operation_id, extra in statuses.items():
        accepted = ", ".join(
            f'"{s}"' for s in ["2XX", "401", "403", "404", "409", *extra]
        )
        block = (
            f'[[operations]]\ninclude-operation-id = "{operation_id}"\n'
            f"checks.positive_data_acceptance.expected-statuses = [{accepted}]\n"
        )
        if "428" in extra:
            block += (
                "checks.missing_required_header.expected-statuses = "
                '["400", "401", "403", "406", "415", "422", "428"]\n'
            )
        blocks.append(block)
    config.write_text("\n".join(blocks))
    return config


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
        options = workflow_test_options(EXAMPLES / name)
        assert options == "-n auto --cov --cov-fail-under=90"


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
    # Given an example and a PostgreSQL database for it
    project = example_projects(name)
    database = postgres_database(f"example_{name.replace('-', '_')}")

    workers = 2 if name == "bookstore" else 1
    per_worker = [f"{database.rsplit('/', 1)[1]}_gw{n}_test" for n in range(workers)]
    for stale in per_worker:
        psql(f'DROP DATABASE IF EXISTS "{stale}" WITH (FORCE)')

    # When it is checked, the bookstore's tests in two processes
    result = run_scaffold(
        "check", "--db-url", database, cwd=project,
        env={"SCAFFOLD_TEST_WORKERS": str(workers)},
    )  # fmt: skip

    # Then every check passes; two processes used a database each
    assert result.returncode == 0, result.stderr
    if workers > 1:
        names = set(psql("SELECT datname FROM pg_database").split())
        assert set(per_worker) <= names


def psql(sql: str) -> str:
    """Run ``sql`` on the local PostgreSQL server's ``postgres`` database."""
    server = urllib.parse.urlsplit(POSTGRES_URL)
    result = subprocess.run(
        ["psql", "-h", server.hostname or "127.0.0.1", "-p", str(server.port or 5432),
         "-U", server.username or "postgres", "-d", "postgres", "-Atc", sql],
        capture_output=True, text=True, check=True,
    )  # fmt: skip
    return result.stdout


@pytest.mark.e2e
@pytest.mark.parametrize("name", EXAMPLE_PARAMS)
def test_schemathesis_with_every_check_and_phase_finds_no_failure(
    name: str, example_projects: Callable[[str], Path], tmp_path: Path
) -> None:
    # Given the example, served on loopback with a migrated database, and its
    # administrator where it has users, so that every operation is reached
    project = example_projects(name)
    env = {
        "DATABASE_URL": f"sqlite+aiosqlite:///{tmp_path / 'fuzz.db'}",
        **FUZZ_SETTINGS,
    }
    migrated = run_tool(
        (uv_binary(), "run", "--no-sync", "alembic", "upgrade", "head"),
        cwd=project,
        env=tool_environment(env),
    )
    assert migrated.returncode == 0, migrated.stdout
    auth = read_answers(project).auth
    if auth:
        make_admin(project, env)

    # When Schemathesis runs every check in every phase, stateful included
    with serve(project, env) as base:
        headers = ["--header", f"Authorization: Bearer {log_in(base)}"] if auth else []
        config = fuzz_config(tmp_path, documented_statuses(base))
        result = subprocess.run(
            [
                SCHEMATHESIS, "--config-file", str(config), "run",
                f"{base}/openapi.json",
                "--checks", CHECKS,
                "--phases", PHASES,
                "--max-examples", "5",
                "--seed", "20260101",
                "--workers", "1",
                "--no-color",
                *headers,
            ],
            capture_output=True,
            text=True,
            timeout=600,
            check=False,
        )  # fmt: skip

    # Then it finds no failure: no 500, no answer that contradicts the schema,
    # nothing the schema forbids accepted, nothing it allows refused
    assert result.returncode == 0, result.stdout[-8000:]
    assert "Stateful" in result.stdout


#: The client generator the suite tries the examples' OpenAPI documents with,
#: run by uv in an environment of its own (its Typer pin is older than ours).
OPENAPI_PYTHON_CLIENT = "openapi-python-client==0.29.1"
#: Writes the application's OpenAPI document to the file named by argv[1].
EXPORT_OPENAPI = (
    "import json, pathlib, sys; from app.main import create_app; "
    "pathlib.Path(sys.argv[1]).write_text(json.dumps(create_app().openapi()))"
)


@pytest.mark.e2e
@pytest.mark.parametrize("name", EXAMPLE_PARAMS)
def test_a_python_client_generated_from_the_openapi_document_has_every_operation(
    name: str, example_projects: Callable[[str], Path], tmp_path: Path
) -> None:
    # Given the example's OpenAPI document
    project = example_projects(name)
    document = tmp_path / "openapi.json"
    exported = run_tool(
        (uv_binary(), "run", "--no-sync", "python", "-c", EXPORT_OPENAPI,
         str(document)),
        cwd=project,
        env=tool_environment({"LOG_LEVEL": "WARNING"}),
    )  # fmt: skip
    assert exported.returncode == 0, exported.stdout
    (tmp_path / "client.yaml").write_text("post_hooks: []\n")

    # When openapi-python-client generates a client from it
    generated = run_tool(
        (uv_binary(), "tool", "run", "--from", OPENAPI_PYTHON_CLIENT,
         "openapi-python-client", "generate", "--path", str(document),
         "--output-path", str(tmp_path / "client"),
         "--config", str(tmp_path / "client.yaml")),
        cwd=tmp_path,
        env=tool_environment(),
    )  # fmt: skip

    # Then it warns of nothing, and every operation has its function
    assert generated.returncode == 0, generated.stdout
    assert "Warning" not in generated.stdout, generated.stdout
    operations = {
        operation["operationId"].replace("-", "_")
        for path in json.loads(document.read_text())["paths"].values()
        for operation in path.values()
    }
    modules = {
        module.stem
        for module in (tmp_path / "client").glob("*/api/*/*.py")
        if module.stem != "__init__"
    }
    assert modules == operations
