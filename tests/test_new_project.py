"""``scaffold new project`` end to end: render, check, serve."""

from __future__ import annotations

import datetime as dt
import json
import os
import signal
import subprocess
import urllib.error
import urllib.request
from pathlib import Path

import pytest

from scaffold.changes.new_project import ProjectRequest, render_project
from scaffold.errors import CheckFailedError
from scaffold.tools.check import (
    project_checks,
    raise_for_failures,
    run_checks,
    run_tool,
    tool_environment,
    uv_binary,
)
from tests.conftest import postgres_database, tree_digest
from tests.e2e import SCAFFOLD, get, run_scaffold, serve
from tests.environments import Prepare

pytestmark = pytest.mark.e2e


@pytest.mark.parametrize("database", ["sqlite", "postgres"])
def test_rendering_is_deterministic(tmp_path: Path, database: str) -> None:
    # Given the same request rendered into two different places
    for parent in ("one", "two"):
        (tmp_path / parent).mkdir()
        render_project(
            ProjectRequest.build(
                name="shop", database=database, parent=tmp_path / parent
            )
        )

    # Then the two trees are byte-identical, but for the secrets of .env
    one = tree_digest(tmp_path / "one" / "shop")
    two = tree_digest(tmp_path / "two" / "shop")
    assert one.pop(".env") != two.pop(".env")
    assert one == two
    assert "app/main.py" in one


def test_answers_are_recorded_without_machine_specific_paths(tmp_path: Path) -> None:
    render_project(ProjectRequest.build(name="shop", id_type="int", parent=tmp_path))

    answers = (tmp_path / "shop" / ".copier-answers.yml").read_text()

    assert "id_type: int" in answers
    assert "database: sqlite" in answers
    assert "scaffold_version:" in answers
    assert str(tmp_path) not in answers
    assert "/templates/" not in answers


def test_no_secrets_or_timestamps_in_generated_files(tmp_path: Path) -> None:
    render_project(ProjectRequest.build(name="shop", parent=tmp_path))
    root = tmp_path / "shop"

    key = (root / ".env").read_text().split("SECRET_KEY=")[1].strip()
    today = dt.date.today()
    render_dates = (today.isoformat(), today.strftime("%Y_%m_%d"))
    for path in root.rglob("*"):
        if path.is_file() and path.name != ".env":
            text = path.read_text()
            # no render date baked in, whatever the year
            assert not any(date in text for date in render_dates), path
            assert str(tmp_path) not in text, path
            assert key not in text, path  # the key is in .env only
    assert (root / ".env.example").is_file()


def test_a_new_project_gets_a_random_signing_key_in_an_ignored_env_file(
    tmp_path: Path,
) -> None:
    # Given two projects rendered with auth
    for name in ("shop", "store"):
        render_project(ProjectRequest.build(name=name, parent=tmp_path))

    # Then each has a .env of its own, readable by its owner only, with a random
    # key long enough for every algorithm
    keys = []
    for name in ("shop", "store"):
        env = tmp_path / name / ".env"
        assert env.stat().st_mode & 0o777 == 0o600
        [key] = [
            line.removeprefix("SECRET_KEY=")
            for line in env.read_text().splitlines()
            if line.startswith("SECRET_KEY=")
        ]
        assert len(key.encode()) >= 64
        keys.append(key)
    assert keys[0] != keys[1]

    # And git ignores it, and scaffold's manifest does not record it
    root = tmp_path / "shop"
    subprocess.run(["git", "init", "-q"], cwd=root, check=True)
    ignored = subprocess.run(
        ["git", "check-ignore", ".env"], cwd=root, capture_output=True, check=False
    )
    assert ignored.returncode == 0
    manifest = json.loads((root / ".scaffold" / "manifest.json").read_text())
    assert ".env.example" in manifest["files"]
    assert ".env" not in manifest["files"]
    assert keys[0] not in json.dumps(manifest)


def test_a_project_without_auth_gets_no_env_file(tmp_path: Path) -> None:
    render_project(ProjectRequest.build(name="shop", auth=False, parent=tmp_path))

    assert not (tmp_path / "shop" / ".env").exists()


def test_interrupted_render_leaves_nothing_behind(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Given a render that is interrupted after Copier wrote part of the project
    import copier

    real_run_copy = copier.run_copy

    def interrupted(src: str, dst: Path, **kwargs: object) -> None:
        real_run_copy(src, dst, **kwargs)
        raise KeyboardInterrupt

    monkeypatch.setattr(copier, "run_copy", interrupted)

    # When the project is rendered
    with pytest.raises(KeyboardInterrupt):
        render_project(ProjectRequest.build(name="shop", parent=tmp_path))

    # Then neither the project nor its staging directory exists
    assert tree_digest(tmp_path) == {}


def test_empty_target_directory_is_used(tmp_path: Path) -> None:
    (tmp_path / "shop").mkdir()

    files = render_project(ProjectRequest.build(name="shop", parent=tmp_path))

    assert Path("app/main.py") in files
    assert sorted(p.name for p in tmp_path.iterdir()) == ["shop"]


def next_steps(stderr: str) -> list[str]:
    """The commands a success message tells the user to run next, in order."""
    _, _, steps = stderr.partition("Next:")
    return [line.strip() for line in steps.splitlines() if line.strip()]


def test_new_project_sqlite_says_what_to_run_next_and_serves(
    tmp_path: Path, install: Prepare
) -> None:
    # Given an empty directory / When a user creates a project (that its
    # checks pass is proven by the README's sample, which test_readme.py
    # replays for real)
    result = run_scaffold("new", "project", "shop", "--no-check", cwd=tmp_path)

    # Then it succeeds and says what to run next: the migration comes before
    # the server
    assert result.returncode == 0, result.stderr
    steps = next_steps(result.stderr)
    assert steps[:3] == [
        "cd shop",
        "uv run alembic upgrade head",
        "uv run uvicorn app.main:app --reload",
    ]

    # And served before that migration, it is alive but not ready, and says why
    project = tmp_path / "shop"
    install(project)
    with serve(project) as base:
        assert get(f"{base}/healthz")[0] == 200
        status, body = get(f"{base}/readyz")
        assert status == 503, body
        assert "uv run alembic upgrade head" in json.loads(body)["detail"]

    # And after it, ready, registering users and answering in the error format
    assert steps[1].split()[0] == "uv"
    arguments = steps[1].split()[1:]
    migrated = run_tool(
        (uv_binary(), *arguments), cwd=project, env=tool_environment(None)
    )
    assert migrated.returncode == 0, migrated.stdout
    with serve(project) as base:
        status, body = get(f"{base}/readyz")
        assert status == 200, body
        registered = post_json(
            f"{base}/api/v1/auth/register",
            {"email": "ada@example.com", "password": "a-long-passphrase"},
        )
        assert registered == 201
        response = get(f"{base}/api/v1/nothing-here")
        assert response[0] == 404
        assert json.loads(response[1])["error_code"] == "NOT_FOUND"


def post_json(url: str, body: object) -> int:
    """POST ``body`` as JSON and return the status code."""
    request = urllib.request.Request(
        url,
        data=json.dumps(body).encode(),
        headers={"Content-Type": "application/json"},
        method="POST",
    )
    try:
        with urllib.request.urlopen(request, timeout=10) as response:
            return int(response.status)
    except urllib.error.HTTPError as error:
        return error.code


def test_new_project_postgres_passes_its_checks_and_serves(
    tmp_path: Path, require_postgres: None
) -> None:
    # Given the local PostgreSQL server and a database for the app
    database_url = postgres_database("scaffold_e2e")
    name = database_url.rsplit("/", 1)[1]  # with SCAFFOLD_TEST_DB_SUFFIX
    subprocess.run(
        [
            "psql",
            "-h",
            "127.0.0.1",
            "-U",
            "postgres",
            "-c",
            f"DROP DATABASE IF EXISTS {name}",
            "-c",
            f"CREATE DATABASE {name}",
        ],
        check=True,
        capture_output=True,
    )
    env = {"DATABASE_URL": database_url}

    # When a postgres project is created (its tests use scaffold_e2e_test)
    result = run_scaffold(
        "new", "project", "pgshop", "--db", "postgres", cwd=tmp_path, env=env
    )

    # Then its checks pass, and against the real server it is ready once the
    # database is migrated (not before)
    assert result.returncode == 0, result.stderr
    project = tmp_path / "pgshop"
    assert "asyncpg" in (project / "pyproject.toml").read_text()
    with serve(project, env) as base:
        assert get(f"{base}/readyz")[0] == 503
    migrated = run_tool(
        (uv_binary(), "run", "alembic", "upgrade", "head"),
        cwd=project,
        env=tool_environment(env),
    )
    assert migrated.returncode == 0, migrated.stdout
    with serve(project, env) as base:
        assert get(f"{base}/readyz")[0] == 200


def test_a_failing_check_names_the_check_and_how_to_rerun(
    tmp_path: Path, install: Prepare
) -> None:
    # Given a project whose code a user broke
    render_project(ProjectRequest.build(name="shop", parent=tmp_path))
    project = tmp_path / "shop"
    main = project / "app" / "main.py"
    main.write_text(main.read_text() + "\n\nunused = undefined_name\n")

    # When scaffold's check runs on it
    install(project)
    results = run_checks(project, project_checks()[:2])

    # Then the failure names the check, the rerun command and the finding
    with pytest.raises(CheckFailedError) as caught:
        raise_for_failures(project, results)
    message = "\n".join(caught.value.problems)
    assert "check 'ruff check' failed" in message
    assert f"cd {project} && uv run ruff check ." in message
    assert "undefined_name" in message


@pytest.mark.parametrize(
    ("stage", "signame", "code"),
    [
        ("Rendering project", "SIGINT", 130),
        ("uv sync", "SIGINT", 130),
        ("uv sync", "SIGTERM", 143),
        ("ruff format", "SIGINT", 130),
    ],
)
def test_an_interrupted_new_project_leaves_no_directory(
    tmp_path: Path, stage: str, signame: str, code: int
) -> None:
    # Given `new project` running, with its progress lines watched (where
    # Python writes no bytecode, uv compiles the new environment's: the
    # interrupted uv sync needs that long install, the later stages need not
    # wait for it)
    env = dict(os.environ)
    if stage != "uv sync":
        env.pop("PYTHONDONTWRITEBYTECODE", None)
    process = subprocess.Popen(
        [SCAFFOLD, "new", "project", "shop"],
        cwd=tmp_path,
        env=env,
        stderr=subprocess.PIPE,
        text=True,
    )
    assert process.stderr is not None
    seen = []
    for line in process.stderr:
        seen.append(line)
        # When the signal arrives while that stage runs
        if stage in line:
            process.send_signal(getattr(signal, signame))
            break
    rest = process.stderr.read()
    process.wait(timeout=120)

    # Then nothing is left behind, the same command can run again, and one
    # line says what was undone
    assert process.returncode == code, "".join(seen) + rest
    assert list(tmp_path.iterdir()) == []
    last = rest.strip().splitlines()[-1]
    assert last.startswith("interrupted"), rest
    if stage != "Rendering project":  # there, it may land before the first file
        assert "removed shop" in last
