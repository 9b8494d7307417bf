"""Never losing a user's work: manifest, status, regenerate, remove, recover.

Every scenario asserts the project's tree hash before and after: a refused,
failed, interrupted or dry run changes nothing, and a removal after an
addition gives back the tree from before the addition.
"""

from __future__ import annotations

import json
import re
import shutil
import signal
import subprocess
import sys
import textwrap
from collections.abc import Iterator
from pathlib import Path

import pytest

from scaffold.changes.add_resource import add_resources, preview_resources
from scaffold.changes.regenerate import MergeConflictError, regenerate_resources
from scaffold.engine import apply as apply_module
from scaffold.engine.apply import apply_plan
from scaffold.project.access import with_rules
from scaffold.project.layout import JOURNAL_DIR, MANIFEST_FILE
from scaffold.project.manifest import FileState, file_states, read_manifest
from scaffold.render import environment as render_module
from scaffold.spec import ResourceSpec, parse_cli_resource
from scaffold.tools.check import tool_environment, uv_binary
from tests.conftest import tree_digest
from tests.e2e import run_scaffold
from tests.environments import Prepare

BOOK = ["book", "title:str(200)", "price:decimal(10,2):min=0"]
SERVICE = "app/services/book.py"
ENDPOINTS = "app/api/v1/endpoints/books.py"
ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture(scope="module")
def base_with_book(
    base_project: Path, tmp_path_factory: pytest.TempPathFactory
) -> Path:
    """The base project with the book resource added (no checks run)."""
    project = Path(shutil.copytree(base_project, tmp_path_factory.mktemp("b") / "shop"))
    add_resources([parse_cli_resource(BOOK[0], BOOK[1:])], project=project, check=False)
    return project


@pytest.fixture
def with_book(base_with_book: Path, tmp_path: Path) -> Path:
    """A private copy of the project with the book resource."""
    return Path(shutil.copytree(base_with_book, tmp_path / "shop"))


def book() -> list[ResourceSpec]:
    """The spec of the book resource, as the command line gives it."""
    return [parse_cli_resource(BOOK[0], BOOK[1:])]


# -- the manifest and status -------------------------------------------------


def test_new_project_records_every_file_it_generated(project: Path) -> None:
    manifest = read_manifest(project)

    on_disk = {
        path.relative_to(project).as_posix()
        for path in project.rglob("*")
        if path.is_file() and path.relative_to(project).parts[0] != ".scaffold"
    }
    # Every rendered file; not .env (its random key is no template output) nor
    # uv.lock (uv resolves it; `uv lock --check` keeps it honest, not a hash)
    assert set(manifest.files) == on_disk - {".env", "uv.lock"}
    assert {".env", "uv.lock"} <= on_disk
    assert manifest.resources == {}
    assert set(file_states(project, manifest).values()) == {FileState.UNMODIFIED}


def test_add_records_the_spec_files_and_base_copies(with_book: Path) -> None:
    manifest = read_manifest(with_book)

    record = manifest.resources["book"]
    assert record.spec == with_rules(book()[0], project_auth=True)
    assert (record.spec.read, record.spec.write) == ("user", "admin")
    assert SERVICE in record.files
    assert record.migration in manifest.files
    for path in record.files:
        base = with_book / ".scaffold" / "base" / path
        assert base.read_text() == (with_book / path).read_text()


def test_status_lists_modified_and_missing_files(with_book: Path) -> None:
    (with_book / SERVICE).write_text("# mine now\n")
    (with_book / "app/core/logging.py").unlink()

    result = run_scaffold("status", "--json", cwd=with_book)

    assert result.returncode == 0, result.stderr
    states = {entry["path"]: entry for entry in json.loads(result.stdout)["files"]}
    assert states[SERVICE] == {"path": SERVICE, "state": "modified", "resource": "book"}
    assert states["app/core/logging.py"]["state"] == "missing"
    assert states["app/models/book.py"]["state"] == "unmodified"
    plain = run_scaffold("status", cwd=with_book)
    assert f"modified    {SERVICE}" in plain.stdout
    assert "unmodified  app/models/book.py" in plain.stdout
    assert "1 modified, 1 missing" in plain.stderr
    changed = run_scaffold("status", "--changed", cwd=with_book)
    assert SERVICE in changed.stdout
    assert "app/models/book.py" not in changed.stdout


def test_status_reports_unresolved_conflict_markers_as_a_conflict(
    with_book: Path,
) -> None:
    # Given a file that a regeneration left with conflict markers
    service = with_book / SERVICE
    service.write_text(
        "<<<<<<< yours\nmine = 1\n=======\nmine = 2\n>>>>>>> scaffold 0.1.0\n"
    )

    # When the status is asked for, as JSON and as a table
    result = run_scaffold("status", "--json", cwd=with_book)
    plain = run_scaffold("status", "--changed", cwd=with_book)

    # Then the file is a conflict to resolve, not merely modified
    states = {entry["path"]: entry for entry in json.loads(result.stdout)["files"]}
    assert states[SERVICE]["state"] == "conflict"
    assert re.search(rf"conflict\s+{SERVICE}", plain.stdout), plain.stdout
    assert "1 conflict" in plain.stderr


# -- stage, then commit -------------------------------------------------------


def test_a_failure_at_every_write_of_a_real_change_leaves_the_tree_unchanged(
    project: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Given the plan of adding a resource: many files, some edited in place
    root, plan = preview_resources(book(), project=project)
    writes = len(plan.changes) + 1  # and the journal
    assert writes > 10
    before = tree_digest(project)
    real_write = apply_module._write_atomically

    for failing in range(1, writes + 1):
        calls = 0

        def flaky(target: Path, data: bytes, mode: int | None = None) -> None:
            nonlocal calls
            calls += 1
            if calls == failing:  # noqa: B023 - read during this iteration
                raise OSError(28, "No space left on device")
            real_write(target, data, mode)

        monkeypatch.setattr(apply_module, "_write_atomically", flaky)
        # When write number `failing` fails
        with pytest.raises(OSError, match="No space left"):
            apply_plan(root, plan)
        # Then every file and directory is as before
        assert tree_digest(project) == before, f"write {failing} left traces"


_INTERRUPT = textwrap.dedent(
    """
    import os, signal, sys
    from scaffold import cli
    from scaffold.engine import apply

    real = apply._write_atomically
    deliver = getattr(signal, sys.argv[1])
    calls = 0

    def write(target, data, mode=None):
        global calls
        calls += 1
        real(target, data, mode)
        if calls == 4:
            os.kill(os.getpid(), deliver)

    apply._write_atomically = write
    sys.argv = ["scaffold", *sys.argv[2:]]
    cli.main()
    """
)


def _run_interrupted(signame: str, project: Path) -> subprocess.CompletedProcess[str]:
    """``scaffold add resource`` receiving ``signame`` after its fourth write."""
    return subprocess.run(
        [sys.executable, "-c", _INTERRUPT, signame, "add", "resource", *BOOK,
         "--no-check"],
        cwd=project,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )  # fmt: skip


_INTERRUPT_IN_A_WRITE = textwrap.dedent(
    """
    import os, signal, sys, tempfile
    from scaffold import cli

    real = tempfile.mkstemp
    deliver = getattr(signal, sys.argv[1])
    calls = 0

    def mkstemp(*args, **kwargs):
        global calls
        calls += 1
        made = real(*args, **kwargs)
        if calls == 4:
            os.kill(os.getpid(), deliver)
        return made

    tempfile.mkstemp = mkstemp
    sys.argv = ["scaffold", *sys.argv[2:]]
    cli.main()
    """
)


@pytest.mark.parametrize(("signame", "code"), [("SIGINT", 130), ("SIGTERM", 143)])
def test_an_interrupt_inside_a_write_leaves_no_temporary_file(
    project: Path, signame: str, code: int
) -> None:
    # Given a project
    before = tree_digest(project)

    # When the signal lands just after a temporary file was created
    result = subprocess.run(
        [sys.executable, "-c", _INTERRUPT_IN_A_WRITE, signame, "add", "resource",
         *BOOK, "--no-check"],
        cwd=project, capture_output=True, text=True, timeout=120, check=False,
    )  # fmt: skip

    # Then the rollback removes it with everything else, and says so in a line
    assert result.returncode == code, result.stderr
    assert not [path.name for path in project.rglob("*.tmp")]
    assert tree_digest(project) == before
    last = result.stderr.strip().splitlines()[-1]
    assert last.startswith("interrupted"), result.stderr
    assert "rolled back" in last


@pytest.mark.parametrize(("signame", "code"), [("SIGINT", 130), ("SIGTERM", 143)])
def test_an_interrupt_mid_run_rolls_back(
    project: Path, signame: str, code: int
) -> None:
    before = tree_digest(project)

    result = _run_interrupted(signame, project)

    assert result.returncode == code, result.stderr
    assert "Traceback" not in result.stderr
    assert tree_digest(project) == before
    lines = result.stderr.strip().splitlines()
    assert lines[-1].startswith("interrupted"), result.stderr
    assert "rolled back" in lines[-1]


def test_after_a_hard_kill_the_next_run_refuses_and_recover_restores(
    project: Path,
) -> None:
    # Given a run killed outright after some writes
    before = tree_digest(project)
    killed = _run_interrupted("SIGKILL", project)
    assert killed.returncode == -signal.SIGKILL
    assert (project / JOURNAL_DIR).is_dir()
    half_written = tree_digest(project)
    assert half_written != before

    # When the user runs scaffold again / Then it refuses and names the fix
    again = run_scaffold("add", "resource", *BOOK, "--no-check", cwd=project)
    assert again.returncode == 2
    assert "run 'scaffold recover'" in again.stderr
    assert tree_digest(project) == half_written

    # And status warns about it
    assert "scaffold recover" in run_scaffold("status", cwd=project).stderr

    # And recover --dry-run lists the files and changes nothing
    preview = run_scaffold("recover", "--dry-run", cwd=project)
    assert preview.returncode == 0, preview.stderr
    assert "app/api/v1/router.py would be restored" in preview.stderr
    assert tree_digest(project) == half_written

    # And recover puts every file back as it was
    recovered = run_scaffold("recover", cwd=project)
    assert recovered.returncode == 0, recovered.stderr
    assert tree_digest(project) == before
    assert "Nothing to recover" in run_scaffold("recover", cwd=project).stderr


def test_a_symlink_out_of_the_project_is_refused(project: Path, tmp_path: Path) -> None:
    outside = tmp_path / "elsewhere"
    outside.mkdir()
    shutil.rmtree(project / "app" / "services")
    (project / "app" / "services").symlink_to(outside, target_is_directory=True)
    before = tree_digest(project)

    result = run_scaffold("add", "resource", *BOOK, "--no-check", cwd=project)

    assert result.returncode == 2
    assert "outside the project" in result.stderr
    assert tree_digest(project) == before
    assert list(outside.iterdir()) == []


# -- conflicts ---------------------------------------------------------------


def test_a_file_in_the_way_is_a_conflict_and_nothing_changes(project: Path) -> None:
    (project / "app/models/book.py").write_text("# my own book model\n")
    before = tree_digest(project)

    result = run_scaffold("add", "resource", *BOOK, "--no-check", cwd=project)

    assert result.returncode == 2
    assert "app/models/book.py was modified since scaffold generated it" in (
        result.stderr
    )
    assert "--force" in result.stderr
    assert "Traceback" not in result.stderr
    assert tree_digest(project) == before


def test_force_overwrites_and_keeps_a_backup(project: Path) -> None:
    (project / "app/models/book.py").write_text("# my own book model\n")

    result = run_scaffold(
        "add", "resource", *BOOK, "--no-check", "--force", cwd=project,
        env={"SOURCE_DATE_EPOCH": "1767225600"},
    )  # fmt: skip

    assert result.returncode == 0, result.stderr
    assert "class Book(" in (project / "app/models/book.py").read_text()
    backup = project / ".scaffold/backup/20260101-000000/app/models/book.py"
    assert backup.read_text() == "# my own book model\n"


def test_adding_an_existing_resource_points_to_regenerate(with_book: Path) -> None:
    before = tree_digest(with_book)

    result = run_scaffold("add", "resource", *BOOK, "--no-check", cwd=with_book)

    assert result.returncode == 2
    assert "run: scaffold regenerate book" in result.stderr
    assert tree_digest(with_book) == before


def test_adding_a_field_to_an_existing_resource_points_to_add_field(
    with_book: Path,
) -> None:
    # Given a project with the book resource
    before = tree_digest(with_book)

    # When the user adds it again with one more field
    result = run_scaffold(
        "add", "resource", *BOOK, "isbn:str(13)", "--no-check", cwd=with_book
    )

    # Then the refusal names the new field and the command that adds it,
    # not regenerate (which renders the recorded fields only)
    assert result.returncode == 2
    assert "to add field isbn, run: scaffold add field book" in result.stderr
    assert "scaffold regenerate" not in result.stderr
    assert len(result.stderr.strip().splitlines()) == 2  # stage line + error
    assert tree_digest(with_book) == before


def test_regenerate_with_nothing_to_change_skips_the_checks(with_book: Path) -> None:
    # Given a resource just generated by the installed templates
    before = tree_digest(with_book)

    # When it is regenerated, checks on
    result = run_scaffold("regenerate", "book", cwd=with_book)

    # Then nothing is written and no check runs (no uv sync, no pytest)
    assert result.returncode == 0, result.stderr
    assert "nothing to change" in result.stderr
    assert "pytest" not in result.stderr
    assert "uv sync" not in result.stderr
    assert tree_digest(with_book) == before


# -- git awareness -------------------------------------------------------------


def _git(project: Path, *args: str) -> None:
    subprocess.run(
        ["git", "-c", "user.name=t", "-c", "user.email=t@example.com", *args],
        cwd=project,
        check=True,
        capture_output=True,
    )


def test_uncommitted_changes_are_left_alone_unless_allowed(project: Path) -> None:
    _git(project, "init", "-q")
    _git(project, "add", "-A")
    _git(project, "commit", "-qm", "new project")
    router = project / "app/api/v1/router.py"
    router.write_text(router.read_text() + "# my note\n")
    before = tree_digest(project)

    refused = run_scaffold("add", "resource", *BOOK, "--no-check", cwd=project)

    assert refused.returncode == 2
    assert "app/api/v1/router.py has uncommitted changes" in refused.stderr
    assert "app/models/__init__.py" not in refused.stderr  # committed: fine
    assert tree_digest(project) == before

    allowed = run_scaffold(
        "add", "resource", *BOOK, "--no-check", "--allow-dirty", cwd=project
    )
    assert allowed.returncode == 0, allowed.stderr
    assert "# my note" in router.read_text()
    assert "books.router" in router.read_text()


def test_a_clean_work_tree_is_no_obstacle(project: Path) -> None:
    _git(project, "init", "-q")
    _git(project, "add", "-A")
    _git(project, "commit", "-qm", "new project")

    result = run_scaffold("add", "resource", *BOOK, "--no-check", cwd=project)

    assert result.returncode == 0, result.stderr


def test_scaffolds_own_uncommitted_changes_need_no_commit(project: Path) -> None:
    # Given a committed project, then a resource added and not committed
    _git(project, "init", "-q")
    _git(project, "add", "-A")
    _git(project, "commit", "-qm", "new project")
    first = run_scaffold(
        "add", "resource", "post", "title:str", "--no-check", cwd=project
    )
    assert first.returncode == 0, first.stderr

    # When the next resources change the router, the model registry and the
    # post model that scaffold itself wrote and nobody has committed
    for args in (["tag", "name:str"], ["comment", "body:text", "post:ref"]):
        result = run_scaffold("add", "resource", *args, "--no-check", cwd=project)

        # Then that is no obstacle: only a user's edits need --allow-dirty
        assert result.returncode == 0, result.stderr
    assert "comments" in (project / "app/models/post.py").read_text()


@pytest.mark.parametrize("json_output", [False, True])
def test_dry_run_reports_the_refusal_the_real_run_would_make(
    project: Path, json_output: bool
) -> None:
    # Given a committed project whose router the user edited and not committed
    _git(project, "init", "-q")
    _git(project, "add", "-A")
    _git(project, "commit", "-qm", "new project")
    router = project / "app/api/v1/router.py"
    router.write_text(router.read_text() + "# my note\n")
    before = tree_digest(project)

    # When the change is tried as a dry run
    extra = ["--json"] if json_output else []
    dry = run_scaffold(
        "add", "resource", *BOOK, "--no-check", "--dry-run", *extra, cwd=project
    )

    # Then it refuses as the real run would, and writes nothing
    assert dry.returncode == 2, dry.stdout + dry.stderr
    assert "app/api/v1/router.py has uncommitted changes" in dry.stderr
    assert tree_digest(project) == before
    allowed = run_scaffold(
        "add", "resource", *BOOK, "--dry-run", "--allow-dirty", cwd=project
    )
    assert allowed.returncode == 0, allowed.stderr


# -- dry runs ----------------------------------------------------------------


def test_new_project_dry_run_lists_every_file_and_writes_nothing(
    tmp_path: Path,
) -> None:
    before = tree_digest(tmp_path)

    result = run_scaffold("new", "project", "shop", "--dry-run", "--json", cwd=tmp_path)

    assert result.returncode == 0, result.stderr
    files = {entry["path"]: entry for entry in json.loads(result.stdout)["files"]}
    assert files["shop/app/main.py"]["action"] == "create"
    assert files["shop/.scaffold/manifest.json"]["diff"].startswith("--- /dev/null")
    assert tree_digest(tmp_path) == before


@pytest.mark.parametrize(
    "command", [["regenerate", "book"], ["remove", "resource", "book"]]
)
def test_dry_run_of_regenerate_and_remove_writes_nothing(
    with_book: Path, command: list[str]
) -> None:
    (with_book / SERVICE).write_text((with_book / SERVICE).read_text() + "# mine\n")
    before = tree_digest(with_book)

    result = run_scaffold(*command, "--dry-run", cwd=with_book)

    assert result.returncode == 0, result.stderr
    assert SERVICE in result.stdout
    assert tree_digest(with_book) == before


# -- regeneration ---------------------------------------------------------------


@pytest.fixture
def changed_templates(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> Iterator[Path]:
    """A copy of the templates that the test edits, used for rendering."""
    templates = Path(shutil.copytree(ROOT / "templates", tmp_path / "templates"))
    monkeypatch.setattr(render_module, "templates_root", lambda: templates)
    render_module._environment.cache_clear()
    yield templates
    render_module._environment.cache_clear()


def _edit_template(templates: Path, name: str, old: str, new: str) -> None:
    path = templates / "resource" / name
    text = path.read_text()
    assert old in text, f"{old!r} is not in {name}"
    path.write_text(text.replace(old, new, 1))


USER_METHOD = '''
    async def count_cheap(self) -> int:
        """A method the user added."""
        return 0
'''


@pytest.mark.e2e
def test_regenerate_keeps_the_users_edits_and_applies_the_template_change(
    with_book: Path, changed_templates: Path
) -> None:
    # Given the user added a method to the service and a route comment to the
    # router module
    service = with_book / SERVICE
    service.write_text(service.read_text() + USER_METHOD)
    endpoints = with_book / ENDPOINTS
    endpoints.write_text(
        endpoints.read_text().replace(
            "\nrouter = APIRouter(",
            "\n# Routes of the shop's catalogue.\nrouter = APIRouter(",
            1,
        )
    )
    # And a template changed since the resource was generated
    _edit_template(
        changed_templates,
        "service.py.jinja",
        '"""',
        '"""Template change: this line is new in the service module.\n\n',
    )
    _edit_template(
        changed_templates,
        "repository.py.jinja",
        '"""',
        '"""Template change: this line is new in the repository module.\n\n',
    )

    # When the resource is regenerated, with its checks
    result = regenerate_resources(["book"], project=with_book)

    # Then the user's edits are kept, the template change is applied
    text = service.read_text()
    assert "async def count_cheap(self) -> int:" in text
    assert "Template change: this line is new in the service module." in text
    assert "# Routes of the shop's catalogue." in endpoints.read_text()
    assert "Template change" in (with_book / "app/repositories/book.py").read_text()
    actions = {str(op.path): op.action.value for op in result.plan.ops}
    assert actions[SERVICE] == "merge"
    assert actions["app/repositories/book.py"] == "update"
    assert actions[ENDPOINTS] == "keep"
    # And the project's checks passed
    assert result.checks and all(check.ok for check in result.checks)
    # And the new rendering is the base of the next merge
    base = with_book / ".scaffold/base" / SERVICE
    assert "Template change" in base.read_text()
    assert "count_cheap" not in base.read_text()


def test_a_true_conflict_writes_markers_exits_1_and_loses_nothing(
    with_book: Path, changed_templates: Path
) -> None:
    # Given the user and a template change both rewrote the module docstring,
    # and the user also added a method
    service = with_book / SERVICE
    original = service.read_text()
    first_line = original.splitlines()[0]
    service.write_text(
        original.replace(first_line, '"""Book rules, as our team wrote them."""', 1)
        + USER_METHOD
    )
    _edit_template(
        changed_templates,
        "service.py.jinja",
        '"""',
        '"""Rewritten: ',
    )
    models_before = (with_book / "app/models/book.py").read_bytes()

    # When the resource is regenerated
    with pytest.raises(MergeConflictError) as caught:
        regenerate_resources(["book"], project=with_book, check=False)

    # Then the file holds standard markers around both versions, exit code 1
    assert caught.value.exit_code == 1
    assert SERVICE in caught.value.problems[0]
    text = service.read_text()
    assert "<<<<<<< yours\n" in text
    assert '"""Book rules, as our team wrote them."""' in text
    assert "=======\n" in text
    assert ">>>>>>> scaffold" in text
    assert '"""Rewritten: ' in text
    # And nothing else of the user's is lost
    assert "async def count_cheap(self) -> int:" in text
    assert (with_book / "app/models/book.py").read_bytes() == models_before


def test_regenerate_force_overwrites_with_a_backup(with_book: Path) -> None:
    service = with_book / SERVICE
    generated = service.read_text()
    service.write_text(generated + USER_METHOD)

    result = run_scaffold(
        "regenerate", "book", "--force", "--no-check", cwd=with_book,
        env={"SOURCE_DATE_EPOCH": "1767225600"},
    )  # fmt: skip

    assert result.returncode == 0, result.stderr
    assert service.read_text() == generated
    backup = with_book / ".scaffold/backup/20260101-000000" / SERVICE
    assert backup.read_text() == generated + USER_METHOD


def test_regenerate_with_unchanged_templates_changes_nothing(with_book: Path) -> None:
    before = tree_digest(with_book)

    result = run_scaffold("regenerate", "books", "--no-check", cwd=with_book)

    assert result.returncode == 0, result.stderr
    assert tree_digest(with_book) == before


# -- removal -----------------------------------------------------------------


def test_remove_after_add_gives_back_the_original_tree(project: Path) -> None:
    before = tree_digest(project)
    added = run_scaffold("add", "resource", *BOOK, "--no-check", cwd=project)
    assert added.returncode == 0, added.stderr

    removed = run_scaffold("remove", "resource", "book", "--no-check", cwd=project)

    assert removed.returncode == 0, removed.stderr
    # No database could be seen, so the head revision was deleted, with a note
    assert "no database could be checked" in removed.stderr
    assert tree_digest(project) == before


def test_remove_keeps_modified_files_unless_forced(with_book: Path) -> None:
    service = with_book / SERVICE
    service.write_text(service.read_text() + USER_METHOD)

    kept = run_scaffold("remove", "resource", "book", "--no-check", cwd=with_book)

    assert kept.returncode == 0, kept.stderr
    assert f"kept {SERVICE}" in kept.stderr
    assert "count_cheap" in service.read_text()
    assert not (with_book / "app/models/book.py").exists()
    assert "book" not in read_manifest(with_book).resources


def test_remove_force_deletes_modified_files_after_a_backup(with_book: Path) -> None:
    service = with_book / SERVICE
    service.write_text(service.read_text() + USER_METHOD)
    edited = service.read_text()

    result = run_scaffold(
        "remove", "resource", "book", "--force", "--no-check", cwd=with_book,
        env={"SOURCE_DATE_EPOCH": "1767225600"},
    )  # fmt: skip

    assert result.returncode == 0, result.stderr
    assert not service.exists()
    backup = with_book / ".scaffold/backup/20260101-000000" / SERVICE
    assert backup.read_text() == edited


def test_remove_of_a_resource_that_is_not_the_head_writes_a_drop_revision(
    with_book: Path,
) -> None:
    # Given a second resource added after the book
    added = run_scaffold(
        "add", "resource", "author", "name:str", "--no-check", cwd=with_book
    )
    assert added.returncode == 0, added.stderr

    # When the book is removed
    result = run_scaffold(
        "remove", "resource", "book", "--no-check", cwd=with_book,
        env={"SOURCE_DATE_EPOCH": "1767225600"},
    )  # fmt: skip

    # Then a new revision drops its table, loudly, and the old one stays
    assert result.returncode == 0, result.stderr
    assert "DESTRUCTIVE" in result.stderr
    versions = sorted(p.name for p in (with_book / "alembic/versions").glob("*.py"))
    assert any(name.endswith("_create_books_table.py") for name in versions)
    drop = next(name for name in versions if name.endswith("_drop_books_table.py"))
    source = (with_book / "alembic/versions" / drop).read_text()
    assert 'op.drop_table("books")' in source.split("def downgrade")[0]
    assert 'op.create_table(\n        "books"' in source.split("def downgrade")[1]


@pytest.mark.e2e
def test_remove_of_an_applied_head_writes_a_drop_revision_that_migrates(
    with_book: Path, install: Prepare
) -> None:
    # Given the project's environment, and its SQLite database at the head
    env = tool_environment()
    uv = uv_binary()
    install(with_book)
    alembic = [uv, "run", "--no-sync", "alembic"]
    subprocess.run([*alembic, "upgrade", "head"], cwd=with_book, env=env, check=True)
    assert (with_book / "app.db").is_file()

    # When the book is removed
    result = run_scaffold("remove", "resource", "book", "--no-check", cwd=with_book)

    # Then its revision is kept and a drop revision follows it
    assert result.returncode == 0, result.stderr
    assert "is applied in the project's database" in result.stderr
    names = [p.name for p in (with_book / "alembic/versions").glob("*.py")]
    assert any(name.endswith("_drop_books_table.py") for name in names)
    # And the drop migrates both ways on that database
    for step in (["upgrade", "head"], ["downgrade", "-1"], ["upgrade", "head"]):
        run = subprocess.run(
            [*alembic, *step], cwd=with_book, env=env, capture_output=True, text=True,
            check=False,
        )  # fmt: skip
        assert run.returncode == 0, run.stdout + run.stderr
    tables = subprocess.run(
        [uv, "run", "--no-sync", "python", "-c",
         "import sqlite3; print(sqlite3.connect('app.db').execute("
         "\"select name from sqlite_master where type='table'\").fetchall())"],
        cwd=with_book, env=env, capture_output=True, text=True, check=True,
    ).stdout  # fmt: skip
    assert "books" not in tables
    assert "alembic_version" in tables


# -- bad input ---------------------------------------------------------------


@pytest.mark.parametrize(
    ("command", "message"),
    [
        (["regenerate", "novel"], "no resource 'novel' in .scaffold/manifest.json"),
        (["remove", "resource", "novel"], "no resource 'novel'"),
        (["regenerate", "book", "--json"], "--json shows a plan"),
    ],
)
def test_bad_input_is_one_line_exit_2_and_changes_nothing(
    with_book: Path, command: list[str], message: str
) -> None:
    before = tree_digest(with_book)

    result = run_scaffold(*command, cwd=with_book)

    assert result.returncode == 2
    assert message in result.stderr
    assert "Traceback" not in result.stderr
    assert tree_digest(with_book) == before


@pytest.mark.parametrize("command", [["status"], ["recover"], ["regenerate", "book"]])
def test_outside_a_project_is_refused(tmp_path: Path, command: list[str]) -> None:
    result = run_scaffold(*command, cwd=tmp_path)

    assert result.returncode == 2
    assert "is not inside a project made by scaffold" in result.stderr
    assert list(tmp_path.iterdir()) == []


def test_an_unreadable_manifest_is_named(with_book: Path) -> None:
    (with_book / MANIFEST_FILE).write_text("{not json")
    before = tree_digest(with_book)

    result = run_scaffold("status", cwd=with_book)

    assert result.returncode == 2
    assert f"cannot read {MANIFEST_FILE}" in result.stderr
    assert tree_digest(with_book) == before


def test_recorded_specs_survive_the_round_trip(with_book: Path) -> None:
    # The manifest is JSON a reviewer can read, and loads back to the same spec
    data = json.loads((with_book / MANIFEST_FILE).read_text())
    assert data["resources"]["book"]["spec"]["names"]["singular"] == "book"
    recorded = read_manifest(with_book).resources["book"].spec
    assert recorded == with_rules(book()[0], project_auth=True)
