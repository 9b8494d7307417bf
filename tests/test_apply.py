"""Planning and applying file operations: every file or none."""

from __future__ import annotations

import shutil
from pathlib import Path, PurePosixPath

import pytest

from scaffold.engine import apply as apply_module
from scaffold.engine.apply import apply_plan, journal_session, recover, safe_target
from scaffold.engine.events import RecordingReporter
from scaffold.engine.plan import Action, Plan, plan_files
from scaffold.errors import ProjectError, ScaffoldError
from scaffold.project.layout import JOURNAL_DIR
from scaffold.tools.format import format_python
from tests.conftest import tree_digest

P = PurePosixPath


def project(tmp_path: Path) -> Path:
    """A small project with a shared file that the plan edits."""
    root = tmp_path / "project"
    (root / "app" / "api").mkdir(parents=True)
    (root / "app" / "api" / "router.py").write_text("routes = []\n")
    (root / "README.md").write_text("# mine\n")
    return root


def three_file_plan(root: Path) -> Plan:
    rendered = {
        P("app/models/book.py"): "class Book:\n    pass\n",
        P("app/api/router.py"): "routes = ['books']\n",
        P("tests/api/test_books.py"): "def test_books() -> None:\n    pass\n",
        P("README.md"): "# mine\n",
    }
    existing = {path: _read(root / path) for path in rendered}
    return plan_files(rendered, existing, may_modify=[P("app/api/router.py")])


def _read(path: Path) -> str | None:
    return path.read_text() if path.exists() else None


def test_plan_classifies_each_file(tmp_path: Path) -> None:
    plan = three_file_plan(project(tmp_path))

    actions = {str(op.path): op.action for op in plan.ops}

    assert actions == {
        "app/models/book.py": Action.CREATE,
        "app/api/router.py": Action.MODIFY,
        "tests/api/test_books.py": Action.CREATE,
        "README.md": Action.IDENTICAL,
    }
    assert len(plan.changes) == 3


def test_plan_refuses_to_overwrite_a_file_it_may_not_edit() -> None:
    with pytest.raises(
        ScaffoldError,
        match=r"app/models/book\.py was modified since scaffold generated it",
    ):
        plan_files(
            {P("app/models/book.py"): "new\n"},
            {P("app/models/book.py"): "user's own model\n"},
        )


def test_apply_writes_every_change_and_reports_it(tmp_path: Path) -> None:
    root = project(tmp_path)
    reporter = RecordingReporter()

    apply_plan(root, three_file_plan(root), reporter=reporter)

    assert (root / "app/models/book.py").read_text() == "class Book:\n    pass\n"
    assert (root / "app/api/router.py").read_text() == "routes = ['books']\n"
    assert ("wrote", "identical", "README.md") in reporter.events
    assert not list(root.rglob("*.tmp"))


# Write 1 is the journal itself; writes 2 to 4 are the plan's three files.
@pytest.mark.parametrize("failing_write", [1, 2, 3, 4])
def test_a_failure_at_any_write_leaves_the_project_unchanged(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, failing_write: int
) -> None:
    # Given a project and a plan of three writes, the Nth of which fails
    root = project(tmp_path)
    plan = three_file_plan(root)
    before = tree_digest(root)
    real_write = apply_module._write_atomically
    calls = 0

    def flaky(target: Path, data: bytes, mode: int | None = None) -> None:
        nonlocal calls
        calls += 1
        if calls == failing_write:
            raise OSError(28, "No space left on device")
        real_write(target, data, mode)

    monkeypatch.setattr(apply_module, "_write_atomically", flaky)

    # When the plan is applied
    with pytest.raises(OSError, match="No space left"):
        apply_plan(root, plan)

    # Then every file and directory is exactly as before
    assert tree_digest(root) == before


def test_an_interrupt_mid_write_rolls_back(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    root = project(tmp_path)
    plan = three_file_plan(root)
    before = tree_digest(root)
    real_write = apply_module._write_atomically
    calls = 0

    def interrupted(target: Path, data: bytes, mode: int | None = None) -> None:
        nonlocal calls
        calls += 1
        real_write(target, data, mode)
        if calls == 3:
            raise KeyboardInterrupt

    monkeypatch.setattr(apply_module, "_write_atomically", interrupted)

    with pytest.raises(KeyboardInterrupt):
        apply_plan(root, plan)

    assert tree_digest(root) == before


def test_invalid_python_is_refused_before_any_write() -> None:
    # Given generated files one of which is not valid Python
    files = {P("app/ok.py"): "x = 1\n", P("app/broken.py"): "def (:\n"}

    # When they are formatted, the step before any write / Then it refuses
    with pytest.raises(ScaffoldError, match="could not format the generated code"):
        format_python(files)


def test_generated_python_is_sorted_and_formatted() -> None:
    files = {
        P(
            "app/a.py"
        ): "from app.x import b\nimport os\nfrom app.x import a\nx  =  [1,2]\n",
        P("README.md"): "not  python\n",
    }

    result = format_python(
        files, pyproject='[tool.ruff.lint.isort]\nknown-first-party = ["app"]\n'
    )

    assert (
        result[P("app/a.py")] == "import os\n\nfrom app.x import a, b\n\nx = [1, 2]\n"
    )
    assert result[P("README.md")] == "not  python\n"


def test_a_symlink_out_of_the_project_is_refused(tmp_path: Path) -> None:
    # Given a directory in the project that links outside it
    root = project(tmp_path)
    outside = tmp_path / "outside"
    outside.mkdir()
    (root / "app" / "models").symlink_to(outside)
    before = tree_digest(tmp_path)
    plan = plan_files({P("app/models/book.py"): "x = 1\n"}, {})

    # When a plan writes through it / Then it is refused and nothing changes
    with pytest.raises(ProjectError, match="outside the project"):
        apply_plan(root, plan)
    assert tree_digest(tmp_path) == before


@pytest.mark.parametrize("path", ["../escape.py", "/etc/passwd", "a/../../b.py"])
def test_paths_that_leave_the_project_are_refused(tmp_path: Path, path: str) -> None:
    with pytest.raises(ProjectError, match="outside the project"):
        safe_target(tmp_path, path)


def test_existing_permissions_are_kept(tmp_path: Path) -> None:
    root = project(tmp_path)
    router = root / "app/api/router.py"
    router.chmod(0o640)

    apply_plan(root, three_file_plan(root))

    assert router.stat().st_mode & 0o777 == 0o640


def second_plan(root: Path) -> Plan:
    """A plan that edits again a file the first plan wrote, and adds one."""
    rendered = {
        P("app/api/router.py"): "routes = ['books', 'tags']\n",
        P("app/models/tag.py"): "class Tag:\n    pass\n",
    }
    existing = {path: _read(root / path) for path in rendered}
    return plan_files(rendered, existing, may_modify=[P("app/api/router.py")])


def test_a_failure_in_a_session_undoes_every_plan_applied_in_it(
    tmp_path: Path,
) -> None:
    # Given two plans applied in one session, the second after the first
    root = project(tmp_path)
    before = tree_digest(root)

    # When something fails after both are written
    with pytest.raises(ProjectError, match="later step"), journal_session(root):
        apply_plan(root, three_file_plan(root))
        apply_plan(root, second_plan(root))
        assert (root / "app/models/tag.py").is_file()
        raise ProjectError("a later step failed")

    # Then both are undone: the router has its text from before the first
    assert tree_digest(root) == before
    assert (root / "app/api/router.py").read_text() == "routes = []\n"


def test_a_kept_error_keeps_the_writes_and_a_kill_leaves_one_journal(
    tmp_path: Path,
) -> None:
    root = project(tmp_path)
    before = tree_digest(root)

    # A kept error (a merge conflict, say) keeps what was written
    with pytest.raises(ProjectError), journal_session(root, keep=(ProjectError,)):
        apply_plan(root, three_file_plan(root))
        raise ProjectError("conflict markers written")
    assert (root / "app/models/book.py").is_file()
    assert not (root / JOURNAL_DIR).exists()

    # A run killed inside a session leaves one journal; recover undoes it all
    restore = tree_digest(root)
    left = tmp_path / "left-by-the-kill"
    with journal_session(root):
        apply_plan(root, second_plan(root))
        apply_plan(root, second_plan(root))  # nothing left to change
        shutil.copytree(root / JOURNAL_DIR, left)
    shutil.copytree(left, root / JOURNAL_DIR)
    with pytest.raises(ProjectError, match="scaffold recover"):
        apply_plan(root, second_plan(root))
    recover(root)
    assert tree_digest(root) == restore != before
