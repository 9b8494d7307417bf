"""``scaffold add resource`` as a user runs it: refusals, output, checks, HTTP."""

from __future__ import annotations

import json
import shutil
import subprocess
import urllib.request
from pathlib import Path

import pytest

from scaffold.changes.add_resource import add_resources
from scaffold.spec import parse_cli_resource
from scaffold.tools.check import tool_environment, uv_binary
from tests.conftest import RenderOnce, postgres_database, tree_digest
from tests.e2e import get, run_scaffold, serve

ROOT = Path(__file__).resolve().parents[1]
EVERY_FIELD_SPEC = ROOT / "examples" / "specs" / "every-field.yaml"
BOOK = [
    "book",
    "title:str(200):unique",
    "isbn:str(13):unique:pattern=^[0-9]{13}$",
    "price:decimal(10,2):min=0",
    "status:enum(draft,published):default=draft",
    "published_on:date?",
    "summary:text?",
]
PINNED_TIME = {"SOURCE_DATE_EPOCH": "1767225600"}  # 2026-01-01T00:00:00Z


@pytest.fixture(scope="session")
def base_project(
    tmp_path_factory: pytest.TempPathFactory, render_once: RenderOnce
) -> Path:
    """A freshly rendered SQLite project, never modified: copy it to use it.

    It has no auth, so its resources are public: these tests are about
    generating resources; ``test_auth.py`` covers resources behind auth.
    """
    return render_once(tmp_path_factory.mktemp("base"), name="shop", auth=False)


def test_adds_every_layer_and_wires_it_in(project: Path) -> None:
    # Given a new project / When the example resource is added
    result = run_scaffold("add", "resource", *BOOK, "--no-check", cwd=project)

    # Then every layer, the migration and the tests exist and are wired in
    assert result.returncode == 0, result.stderr
    for path in (
        "app/models/book.py",
        "app/schemas/book.py",
        "app/repositories/book.py",
        "app/services/book.py",
        "app/api/v1/endpoints/books.py",
        "tests/api/test_books.py",
    ):
        assert (project / path).is_file(), path
    (migration,) = (project / "alembic" / "versions").glob("*_create_books_table.py")
    assert migration.name[:10].replace("_", "").isdigit()
    assert (
        "api_router.include_router(books.router)"
        in (project / "app/api/v1/router.py").read_text()
    )
    assert '"Book"' in (project / "app/models/__init__.py").read_text()
    assert "Added book" in result.stderr


def test_runs_from_a_subdirectory_and_with_project_option(
    project: Path, tmp_path: Path
) -> None:
    inside = run_scaffold(
        "add",
        "resource",
        "tag",
        "name:str(50)",
        "--no-check",
        cwd=project / "app" / "models",
    )
    elsewhere = run_scaffold(
        "add",
        "resource",
        "note",
        "body:text",
        "--no-check",
        "--project",
        str(project),
        cwd=tmp_path,
    )

    assert inside.returncode == 0, inside.stderr
    assert elsewhere.returncode == 0, elsewhere.stderr
    assert (project / "app/models/tag.py").is_file()
    assert (project / "app/models/note.py").is_file()


def test_second_resource_chains_its_migration_onto_the_first(project: Path) -> None:
    run_scaffold("add", "resource", "author", "name:str", "--no-check", cwd=project)
    run_scaffold("add", "resource", *BOOK, "--no-check", cwd=project)

    versions = project / "alembic" / "versions"
    (author,) = versions.glob("*_create_authors_table.py")
    (book,) = versions.glob("*_create_books_table.py")
    author_id = author.read_text().split('revision: str = "')[1].split('"')[0]
    assert f'down_revision: str | Sequence[str] | None = "{author_id}"' in (
        book.read_text()
    )


def test_output_is_byte_identical_for_identical_input(
    base_project: Path, tmp_path: Path
) -> None:
    # Given two copies of the same project
    one = Path(shutil.copytree(base_project, tmp_path / "one"))
    two = Path(shutil.copytree(base_project, tmp_path / "two"))

    # When the same resources are added to both
    for target in (one, two):
        result = run_scaffold(
            "add",
            "resource",
            "--spec",
            str(EVERY_FIELD_SPEC),
            "--no-check",
            cwd=target,
            env=PINNED_TIME,
        )
        assert result.returncode == 0, result.stderr

    # Then the two trees are the same, byte for byte
    assert tree_digest(one) == tree_digest(two)


def test_the_projects_own_template_is_used_before_the_bundled_one(
    project: Path,
) -> None:
    # Given a project with its own service template, a copy of the bundled one
    # with one more line, and a model template that does not exist in scaffold
    bundled = (ROOT / "templates/resource/service.py.jinja").read_text()
    override = project / ".scaffold/templates/resource/service.py.jinja"
    override.parent.mkdir(parents=True)
    override.write_text(
        bundled + "\n\nOVERRIDDEN_FOR = {{ r.class_name | py }}\n", encoding="utf-8"
    )

    # When a resource is added
    result = run_scaffold("add", "resource", *BOOK, "--no-check", cwd=project)

    # Then the service comes from the project's template, the rest from scaffold's
    assert result.returncode == 0, result.stderr
    service = (project / "app/services/book.py").read_text()
    assert service.endswith('\n\nOVERRIDDEN_FOR = "Book"\n')
    assert "class BookService" in service
    model = (project / "app/models/book.py").read_text()
    assert "OVERRIDDEN_FOR" not in model
    assert "class Book(" in model


def test_a_broken_project_template_is_refused_and_nothing_changes(
    project: Path,
) -> None:
    # Given a project whose own service template names something unknown
    override = project / ".scaffold/templates/resource/service.py.jinja"
    override.parent.mkdir(parents=True)
    override.write_text("{{ r.no_such_thing }}\n", encoding="utf-8")
    before = tree_digest(project)

    # When a resource is added
    result = run_scaffold("add", "resource", *BOOK, "--no-check", cwd=project)

    # Then it is refused in one line naming the template, and nothing changed
    assert result.returncode != 0
    assert "template resource/service.py.jinja" in result.stderr
    assert ".scaffold/templates/" in result.stderr
    assert "Traceback" not in result.stderr
    assert tree_digest(project) == before


def test_existing_resource_is_refused_and_nothing_changes(project: Path) -> None:
    run_scaffold("add", "resource", *BOOK, "--no-check", cwd=project)
    before = tree_digest(project)

    result = run_scaffold(
        "add", "resource", "book", "title:str", "--no-check", cwd=project
    )

    assert result.returncode == 2
    assert "resource 'book' already exists" in result.stderr
    assert "Traceback" not in result.stderr
    assert tree_digest(project) == before


def test_every_bad_field_is_reported_at_once_and_nothing_changes(
    project: Path,
) -> None:
    # Given a field list with several different mistakes
    before = tree_digest(project)

    # When it is used
    result = run_scaffold(
        "add",
        "resource",
        "book",
        "title:strng",
        "id:int",
        "price:decimal(2,4)",
        "class:str",
        "status:enum(a,a)",
        "--no-check",
        cwd=project,
    )

    # Then exit code 2, one line per problem, each naming its token
    assert result.returncode == 2
    lines = result.stderr.strip().splitlines()
    assert all(line.startswith("error: ") for line in lines)
    text = result.stderr
    assert "'strng'" in text and "did you mean 'str'" in text
    assert "'id'" in text
    assert "'class'" in text
    assert "'price:decimal(2,4)'" in text and "scale 4 is greater" in text
    assert "'status:enum(a,a)'" in text and "'a' is listed twice" in text
    assert len(lines) == 5
    assert "Traceback" not in text
    assert tree_digest(project) == before


def test_hidden_characters_are_shown(project: Path) -> None:
    result = run_scaffold(
        "add", "resource", "book", "ti\u200btle:str", "--no-check", cwd=project
    )

    assert result.returncode == 2
    assert "\\u200b" in result.stderr


def test_outside_a_project_is_refused(tmp_path: Path) -> None:
    result = run_scaffold("add", "resource", "book", "title:str", cwd=tmp_path)

    assert result.returncode == 2
    assert "not inside a project made by scaffold" in result.stderr
    assert tree_digest(tmp_path) == {}


def test_a_changed_router_is_refused_with_the_lines_to_add(project: Path) -> None:
    router = project / "app/api/v1/router.py"
    router.write_text('"""Mine."""\n\nroutes: list[str] = []\n')
    before = tree_digest(project)

    result = run_scaffold(
        "add", "resource", "book", "title:str", "--no-check", cwd=project
    )

    assert result.returncode == 2
    assert "api_router.include_router(books.router)" in result.stderr
    assert tree_digest(project) == before


def test_spec_schema_is_json_that_validates_the_example_spec() -> None:
    import jsonschema
    import yaml

    result = run_scaffold("spec", "schema", cwd=ROOT)

    assert result.returncode == 0
    schema = json.loads(result.stdout)
    jsonschema.validate(yaml.safe_load(EVERY_FIELD_SPEC.read_text()), schema)


@pytest.mark.e2e
def test_example_resource_passes_its_checks_and_answers_over_http(
    project: Path, tmp_path: Path
) -> None:
    # Given a project with the example resource, checks included
    result = run_scaffold("add", "resource", *BOOK, cwd=project)
    assert result.returncode == 0, result.stderr
    assert "migrations pass" in result.stderr

    # And a migrated database of its own
    env = {"DATABASE_URL": f"sqlite+aiosqlite:///{tmp_path / 'app.db'}"}
    subprocess.run(
        [uv_binary(), "run", "--no-sync", "alembic", "upgrade", "head"],
        cwd=project,
        env=tool_environment(env),
        check=True,
        capture_output=True,
    )

    # When the app is served and used over HTTP
    with serve(project, env) as base:
        url = f"{base}/api/v1/books"
        book = {"title": "Dune", "isbn": "9780441013593", "price": "9.99"}
        status, body = send("POST", url, book)
        assert status == 201, body
        created = json.loads(body)
        assert created["status"] == "draft"

        # Then it answers the documented status codes
        assert get(f"{url}/{created['id']}")[0] == 200
        assert get(f"{url}/00000000-0000-0000-0000-000000000000")[0] == 404
        assert send("POST", url, book)[0] == 409
        assert send("POST", url, {**book, "isbn": "12"})[0] == 422
        assert get(f"{url}?sort=secret")[0] == 422
        listing = json.loads(get(f"{url}?q=dune")[1])
        assert listing["total"] == 1
        assert send("PATCH", f"{url}/{created['id']}", {"price": "5.00"})[0] == 200
        assert send("DELETE", f"{url}/{created['id']}", None)[0] == 204
        assert get(f"{url}/{created['id']}")[0] == 404


# Every field type on SQLite is the every-field example's check
# (test_examples.py): the same spec, in a project of the same options.
@pytest.mark.e2e
@pytest.mark.postgres
def test_every_field_type_passes_its_checks_on_postgres(
    tmp_path: Path, require_postgres: None
) -> None:
    # Given a PostgreSQL project (its tests use the scaffold_every_test database)
    env = {"DATABASE_URL": postgres_database("scaffold_every")}
    created = run_scaffold(
        "new", "project", "every", "--db", "postgres", "--no-check", cwd=tmp_path
    )
    assert created.returncode == 0, created.stderr

    # When the three resources are added with checks
    result = run_scaffold(
        "add",
        "resource",
        "--spec",
        str(EVERY_FIELD_SPEC),
        cwd=tmp_path / "every",
        env=env,
    )

    # Then lint, types, tests and the migration round trip pass on PostgreSQL
    assert result.returncode == 0, result.stderr
    for check in ("ruff check", "mypy", "pytest"):
        assert f"✓ {check}" in result.stderr
    # (on PostgreSQL the project's own tests/test_migrations.py runs the round
    # trip on its *_test database; the SQLite round trip check does not run)
    assert "alembic round trip" not in result.stderr


def send(method: str, url: str, payload: object) -> tuple[int, bytes]:
    """Send ``payload`` as JSON and return the status code and body."""
    data = None if payload is None else json.dumps(payload).encode()
    request = urllib.request.Request(
        url, data=data, method=method, headers={"Content-Type": "application/json"}
    )
    try:
        with urllib.request.urlopen(request, timeout=10) as response:
            return response.status, response.read()
    except urllib.error.HTTPError as error:
        return error.code, error.read()


@pytest.mark.e2e
def test_check_reports_a_lint_failure_as_json_with_its_exit_code(
    project: Path,
) -> None:
    # Given a project where a user left an unused import
    main = project / "app" / "main.py"
    source = main.read_text()
    first_import = "from collections.abc import AsyncIterator\n"
    assert first_import in source
    main.write_text(source.replace(first_import, "import os\n" + first_import))

    # When it is checked for CI
    result = run_scaffold("check", "--json", cwd=project)

    # Then the lint check failed, with exit code 4, and the others ran too
    assert result.returncode == 4, result.stderr
    report = json.loads(result.stdout)
    verdicts = {check["name"]: check["ok"] for check in report["checks"]}
    assert verdicts["ruff check"] is False
    assert verdicts["pytest"] is True
    assert verdicts["alembic round trip"] is True
    failed = next(check for check in report["checks"] if not check["ok"])
    assert "F401" in failed["output"]
    assert failed["command"] == "uv run ruff check ."


def test_check_outside_a_project_is_refused(tmp_path: Path) -> None:
    result = run_scaffold("check", str(tmp_path), cwd=tmp_path)

    assert result.returncode == 2
    assert "not inside a project made by scaffold" in result.stderr


def test_dry_run_shows_actions_and_diffs_and_changes_nothing(project: Path) -> None:
    # Given a project
    before = tree_digest(project)

    # When a resource is added with --dry-run
    result = run_scaffold("add", "resource", *BOOK, "--dry-run", cwd=project)

    # Then every file's action and diff is shown, and nothing was written
    assert result.returncode == 0, result.stderr
    out = result.stdout
    assert "   create app/models/book.py" in out
    assert "   modify app/api/v1/router.py" in out
    assert "+++ b/app/models/book.py" in out
    assert "+class Book(TimestampMixin, Base):" in out
    assert "+api_router.include_router(books.router)" in out
    assert "\x1b[" not in out  # plain text when piped
    assert tree_digest(project) == before


def test_dry_run_json_lists_every_file(project: Path) -> None:
    before = tree_digest(project)

    result = run_scaffold("add", "resource", *BOOK, "--dry-run", "--json", cwd=project)

    assert result.returncode == 0, result.stderr
    files = {entry["path"]: entry for entry in json.loads(result.stdout)["files"]}
    assert files["app/models/book.py"]["action"] == "create"
    assert files["app/models/__init__.py"]["action"] == "modify"
    assert '+__all__ = ["Base", "Book"]' in files["app/models/__init__.py"]["diff"]
    assert tree_digest(project) == before


def test_json_without_dry_run_is_refused(project: Path) -> None:
    before = tree_digest(project)

    result = run_scaffold("add", "resource", *BOOK, "--json", cwd=project)

    assert result.returncode == 2
    assert "use it together with --dry-run" in result.stderr
    assert tree_digest(project) == before


def test_migrations_use_millisecond_timestamps_where_the_project_has_them(
    project: Path,
) -> None:
    # Given a current project, and a copy made before UtcNow() existed
    older = project.parent / "older"
    shutil.copytree(project, older)
    database = older / "app/core/database.py"
    database.write_text(database.read_text().replace("class UtcNow(", "class Now("))

    # When the same resource is added to both
    for root in (project, older):
        add_resources(
            [parse_cli_resource("post", ["title:str"])], project=root, check=False
        )

    # Then the current one's migration defaults to UtcNow(), the older one's
    # keeps CURRENT_TIMESTAMP instead of importing what it does not have
    (new,) = (project / "alembic/versions").glob("*_create_posts_table.py")
    (old,) = (older / "alembic/versions").glob("*_create_posts_table.py")
    assert "server_default=UtcNow()" in new.read_text()
    assert "UtcNow" not in old.read_text()
    assert 'server_default=sa.text("CURRENT_TIMESTAMP")' in old.read_text()
