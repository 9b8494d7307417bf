"""Authentication in generated projects: ``--auth``/``--no-auth``, ``--auth``
and ``--owned`` on resources, the refusals, and the generated checks passing.
"""

from __future__ import annotations

import json
import shutil
import urllib.request
from pathlib import Path

import pytest

from scaffold.changes.new_project import ProjectRequest
from scaffold.project.answers import read_answers
from scaffold.tools.check import (
    run_tool,
    tool_environment,
    uv_binary,
)
from tests.conftest import RenderOnce, tree_digest
from tests.e2e import run_scaffold, serve
from tests.environments import Prepare

AUTH_FILES = [
    "app/core/security.py",
    "app/core/rate_limit.py",
    "app/core/passwords.py",
    "app/create_admin.py",
    "app/models/user.py",
    "app/models/refresh_token.py",
    "app/api/v1/endpoints/auth.py",
    "app/api/v1/endpoints/users.py",
    "alembic/versions/2026_01_01_0000_create_users_table.py",
    "alembic/versions/2026_01_01_0001_create_api_keys_table.py",
    "app/models/api_key.py",
    "app/api/v1/endpoints/api_keys.py",
    "tests/api/test_api_keys.py",
    "tests/api/test_auth.py",
    "tests/api/test_users.py",
    "tests/api/test_auth_abuse.py",
    "tests/test_rate_limit.py",
]


@pytest.fixture(scope="module")
def rendered(
    tmp_path_factory: pytest.TempPathFactory, render_once: RenderOnce
) -> dict[bool, Path]:
    """A project rendered (not checked) with and without auth."""
    parent = tmp_path_factory.mktemp("rendered")
    return {
        auth: render_once(parent, name="with-auth" if auth else "no-auth", auth=auth)
        for auth in (True, False)
    }


def copy_of(project: Path, tmp_path: Path) -> Path:
    """A copy of ``project`` a test may change."""
    return Path(shutil.copytree(project, tmp_path / project.name))


def test_auth_is_on_by_default() -> None:
    assert ProjectRequest(name="shop").auth is True


@pytest.mark.parametrize("auth", [True, False])
def test_the_auth_answer_is_recorded_and_read_back(
    rendered: dict[bool, Path], auth: bool
) -> None:
    assert read_answers(rendered[auth]).auth is auth


@pytest.mark.parametrize("path", AUTH_FILES)
def test_auth_files_exist_only_with_auth(rendered: dict[bool, Path], path: str) -> None:
    assert (rendered[True] / path).is_file()
    assert not (rendered[False] / path).exists()


def test_no_auth_project_has_no_trace_of_auth(rendered: dict[bool, Path]) -> None:
    # Given a project made with --no-auth
    project = rendered[False]

    # When its sources and dependencies are read
    text = "\n".join(
        path.read_text(encoding="utf-8")
        for pattern in ("app/**/*.py", "tests/**/*.py", "pyproject.toml")
        for path in project.glob(pattern)
    )

    # Then nothing of auth is there
    for word in ("pyjwt", "pwdlib", "limits", "SECRET_KEY", "CurrentUser", "users"):
        assert word not in text


def test_projects_from_before_auth_read_back_without_auth(tmp_path: Path) -> None:
    # Given an answers file written before the auth question existed
    (tmp_path / ".copier-answers.yml").write_text("database: sqlite\nid_type: uuid\n")

    # When it is read / Then the project has no auth
    assert read_answers(tmp_path).auth is False


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--auth", "user"], "needs users (auth 'user')"),
        (["--auth", "admin"], "needs users (auth 'admin')"),
        (["--owned"], "needs users (owned)"),
        (["--read", "user"], "needs users (read 'user')"),
        (["--write", "admin"], "needs users (write 'admin')"),
    ],
)
def test_access_rules_are_refused_in_a_project_without_auth(
    rendered: dict[bool, Path], tmp_path: Path, args: list[str], message: str
) -> None:
    # Given a project made with --no-auth
    project = copy_of(rendered[False], tmp_path)
    before = tree_digest(project)

    # When a resource asks for users
    result = run_scaffold(
        "add", "resource", "note", "title:str", *args, "--no-check", "-q", cwd=project
    )

    # Then one line names the problem and the fix, exit 2, nothing written
    assert result.returncode == 2, result.stderr
    assert result.stderr.count("\n") == 1
    assert message in result.stderr
    assert "drop --owned, --read, --write and --auth" in result.stderr
    assert "Traceback" not in result.stderr
    assert tree_digest(project) == before


@pytest.mark.parametrize("auth", ["none", "admin"])
def test_owned_needs_auth_user(
    rendered: dict[bool, Path], tmp_path: Path, auth: str
) -> None:
    project = copy_of(rendered[True], tmp_path)
    before = tree_digest(project)

    result = run_scaffold(
        "add", "resource", "note", "title:str", "--owned", "--auth", auth,
        "--no-check", cwd=project,
    )  # fmt: skip

    assert result.returncode == 2
    assert f"which auth {auth!r} does not fit" in result.stderr
    assert tree_digest(project) == before


def test_owned_resource_cannot_declare_its_own_owner_field(
    rendered: dict[bool, Path], tmp_path: Path
) -> None:
    project = copy_of(rendered[True], tmp_path)

    result = run_scaffold(
        "add", "resource", "note", "owner_id:int", "--owned", "--no-check",
        cwd=project,
    )  # fmt: skip

    assert result.returncode == 2
    assert "'owner_id' is reserved for owner scoping" in result.stderr


def test_cli_access_options_are_refused_with_a_spec_file(
    rendered: dict[bool, Path], tmp_path: Path
) -> None:
    spec = tmp_path / "notes.yaml"
    spec.write_text("resources: [{name: note, fields: {title: str}}]\n")

    result = run_scaffold(
        "add", "resource", "--spec", str(spec), "--owned", "--no-check",
        cwd=rendered[True],
    )  # fmt: skip

    assert result.returncode == 2
    assert "with --spec, set them per resource in the file" in result.stderr


def test_spec_file_sets_access_per_resource(
    rendered: dict[bool, Path], tmp_path: Path
) -> None:
    # Given a spec with an owned resource and an admin-only one
    project = copy_of(rendered[True], tmp_path)
    spec = tmp_path / "spec.yaml"
    spec.write_text(
        "resources:\n"
        "  - {name: note, fields: {title: str}, owned: true}\n"
        "  - {name: tag, fields: {name: str}, auth: admin}\n"
        "  - {name: post, fields: {title: str}, auth: none}\n"
        "  - {name: memo, fields: {title: str}, read: public, write: user}\n"
    )

    # When the resources are generated
    result = run_scaffold(
        "add", "resource", "--spec", str(spec), "--no-check", cwd=project
    )

    # Then each router checks what its resource asked for
    assert result.returncode == 0, result.stderr
    endpoints = project / "app" / "api" / "v1" / "endpoints"
    notes = (endpoints / "notes.py").read_text()
    assert notes.count("dependencies=[Depends(get_current_user)]") == 6
    assert "NoteService(session, caller)" in notes
    tags = (endpoints / "tags.py").read_text()
    assert tags.count("dependencies=[Depends(require_admin)]") == 6
    assert "dependencies" not in (endpoints / "posts.py").read_text()
    memos = (endpoints / "memos.py").read_text()
    assert memos.count("dependencies=[Depends(get_current_user)]") == 4


def test_spec_file_refuses_an_unknown_access_rule(tmp_path: Path) -> None:
    spec = tmp_path / "spec.yaml"
    spec.write_text("resources: [{name: note, fields: {title: str}, auth: guest}]\n")

    result = run_scaffold("spec", "schema", cwd=tmp_path)
    schema = json.loads(result.stdout)
    refused = run_scaffold(
        "add", "resource", "--spec", str(spec), "--no-check", cwd=tmp_path
    )

    resource = schema["$defs"]["ResourceEntry"]["properties"]
    assert {"auth", "owned"} <= resource.keys()
    assert refused.returncode == 2
    assert "resources[0].auth" in refused.stderr


def generate_owned_project(parent: Path) -> Path:
    """``new project`` (auth) plus an owned note, without running checks."""
    new = run_scaffold("new", "project", "notebook", "--no-check", "-q", cwd=parent)
    assert new.returncode == 0, new.stderr
    project = parent / "notebook"
    added = run_scaffold(
        "add", "resource", "note", "title:str(200)", "body:text?", "--owned",
        "--no-check", "-q", cwd=project,
    )  # fmt: skip
    assert added.returncode == 0, added.stderr
    return project


# An owned resource's checks on SQLite and PostgreSQL are those of the
# bookstore example's reviews (owned: true), run by tests/test_examples.py.


def call(
    method: str, url: str, *, json_body: object = None, form: str | None = None,
    token: str | None = None,
) -> tuple[int, dict[str, object]]:  # fmt: skip
    """Send one request as a client would; return the status and JSON body."""
    headers = {"Authorization": f"Bearer {token}"} if token else {}
    data = None
    if json_body is not None:
        data = json.dumps(json_body).encode()
        headers["Content-Type"] = "application/json"
    elif form is not None:
        data = form.encode()
        headers["Content-Type"] = "application/x-www-form-urlencoded"
    request = urllib.request.Request(url, data=data, headers=headers, method=method)
    try:
        with urllib.request.urlopen(request, timeout=10) as response:
            body = response.read()
            return response.status, json.loads(body) if body else {}
    except urllib.error.HTTPError as error:
        return error.code, json.loads(error.read())


@pytest.mark.e2e
def test_a_session_over_http_keeps_each_users_notes_to_themself(
    tmp_path: Path, install: Prepare
) -> None:
    # Given the owned-notes project, migrated and served
    project = generate_owned_project(tmp_path)
    env = {"DATABASE_URL": f"sqlite+aiosqlite:///{tmp_path / 'http.db'}"}
    install(project, env=env)
    migrated = run_tool(
        (uv_binary(), "run", "--no-sync", "alembic", "upgrade", "head"),
        cwd=project,
        env=tool_environment(env),
    )
    assert migrated.returncode == 0, migrated.stdout

    with serve(project, env) as base:
        api = f"{base}/api/v1"
        tokens = {}
        # When two people register and log in
        for email in ("ada@example.com", "bob@example.com"):
            account = {"email": email, "password": "a-long-passphrase"}
            status, _ = call("POST", f"{api}/auth/register", json_body=account)
            assert status == 201
            status, body = call(
                "POST",
                f"{api}/auth/login",
                form=f"username={email}&password=a-long-passphrase",
            )
            assert status == 200, body
            assert body["token_type"] == "bearer"  # noqa: S105 - not a password
            tokens[email] = str(body["access_token"])
        ada, bob = tokens["ada@example.com"], tokens["bob@example.com"]

        # And Ada writes a note
        status, note = call(
            "POST", f"{api}/notes", json_body={"title": "Mine"}, token=ada
        )
        assert status == 201, note
        url = f"{api}/notes/{note['id']}"

        # Then Ada reads it, Bob gets 404 and an empty list, strangers 401
        assert call("GET", url, token=ada)[0] == 200
        status, body = call("GET", url, token=bob)
        assert (status, body["error_code"]) == (404, "NOT_FOUND")
        assert call("GET", f"{api}/notes", token=bob)[1]["total"] == 0
        assert call("DELETE", url, token=bob)[0] == 404
        assert call("GET", url)[0] == 401
        assert call("GET", url, token=ada)[0] == 200

        # And the first administrator, made from the command line, sees both users
        made = run_tool(
            (uv_binary(), "run", "--no-sync", "python", "-m", "app.create_admin",
             "root@example.com"),
            cwd=project,
            env=tool_environment({**env, "ADMIN_PASSWORD": "root-passphrase"}),
        )  # fmt: skip
        assert made.returncode == 0, made.stdout
        status, body = call(
            "POST",
            f"{api}/auth/login",
            form="username=root@example.com&password=root-passphrase",
        )
        assert status == 200, body
        status, users = call("GET", f"{api}/users", token=str(body["access_token"]))
        assert status == 200, users
        assert users["total"] == 3
        assert call("GET", f"{api}/users", token=ada)[0] == 403
