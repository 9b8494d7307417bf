"""The migration graph: chain-ordered names, heads, merge and rebase."""

from __future__ import annotations

import datetime as dt
import itertools
import json
import subprocess
from pathlib import Path
from pathlib import PurePosixPath as P

import pytest

from scaffold.changes.history import plan_merge, plan_rebase
from scaffold.edit.wiring import (
    MODELS_FILE,
    ROUTER_FILE,
    register_model,
    register_router,
)
from scaffold.errors import ProjectError
from scaffold.migrations.graph import read_graph
from scaffold.migrations.revision import new_revision
from scaffold.project.manifest import read_manifest
from scaffold.tools.check import history_check
from scaffold.tools.format import format_python
from tests.conftest import tree_digest
from tests.e2e import run_scaffold

PINNED = {"SOURCE_DATE_EPOCH": "1767225600"}  # 2026-01-01T00:00:00Z
WHEN = dt.datetime(2026, 1, 31, 14, 5, tzinfo=dt.UTC)


def revision_file(revision: str, down: object) -> str:
    return f'revision = "{revision}"\ndown_revision = {down!r}\n'


def versions(project: Path) -> dict[str, str]:
    return {
        path.name: path.read_text()
        for path in sorted((project / "alembic/versions").glob("*.py"))
    }


def git(project: Path, *args: str) -> str:
    return subprocess.run(
        ["git", "-c", "user.name=t", "-c", "user.email=t@example.com", *args],
        cwd=project,
        check=True,
        capture_output=True,
        text=True,
    ).stdout


# --- names in chain order -----------------------------------------------------


def test_a_revision_sorts_after_its_parent_made_in_the_same_minute() -> None:
    first = new_revision("books", down_revision=None, when=WHEN)

    second = new_revision(
        "authors", down_revision=first.revision, when=WHEN, after=first.filename
    )

    assert first.filename == "2026_01_31_1405_create_books_table.py"
    assert second.filename == "2026_01_31_1406_create_authors_table.py"
    assert second.create_date == "2026-01-31 14:06:00+00:00"


def test_a_revision_sorts_after_a_parent_from_the_future() -> None:
    # Given a parent named later than now (another machine's clock, a pin)
    parent = "2026_02_01_0000_create_users_table.py"

    revision = new_revision("books", down_revision="p", when=WHEN, after=parent)

    assert revision.filename == "2026_02_01_0001_create_books_table.py"


def test_a_later_revision_keeps_its_own_time() -> None:
    revision = new_revision(
        "books", down_revision="p", when=WHEN, after="2026_01_01_0000_x.py"
    )

    assert revision.filename == "2026_01_31_1405_create_books_table.py"


def test_resources_added_at_once_sort_in_chain_order(project: Path) -> None:
    # Given a pinned clock (the same minute for every revision)
    result = run_scaffold(
        "add", "resource", "author", "name:str", "--no-check", cwd=project, env=PINNED
    )
    assert result.returncode == 0, result.stderr
    result = run_scaffold(
        "add", "resource", "book", "title:str", "--no-check", cwd=project, env=PINNED
    )
    assert result.returncode == 0, result.stderr

    # Then file-name order is chain order: each file follows the one before
    graph = read_graph(versions(project))
    names = sorted(node.filename for node in graph.nodes.values())
    by_name = {node.filename: node for node in graph.nodes.values()}
    for earlier, later in itertools.pairwise(names):
        assert by_name[later].parents == (by_name[earlier].revision,)
    assert names[-1].endswith("_create_books_table.py")


# --- the graph's problems -----------------------------------------------------


def test_two_heads_are_a_problem_naming_both_files_and_the_fix() -> None:
    graph = read_graph(
        {
            "1_a.py": revision_file("a", None),
            "2_b.py": revision_file("b", "a"),
            "3_c.py": revision_file("c", "a"),
        }
    )

    (problem,) = graph.problems()

    assert "2 heads (2_b.py, 3_c.py)" in problem
    assert "scaffold migrations merge" in problem


def test_a_missing_parent_is_a_problem_naming_the_file() -> None:
    graph = read_graph({"2_b.py": revision_file("b", "gone")})

    (problem,) = graph.problems()

    assert problem.startswith("alembic/versions/2_b.py follows revision 'gone'")
    assert "restore" in problem


def test_a_line_and_a_joined_history_have_no_problem() -> None:
    graph = read_graph(
        {
            "1_a.py": revision_file("a", None),
            "2_b.py": revision_file("b", "a"),
            "3_c.py": revision_file("c", "a"),
            "4_m.py": revision_file("m", ("b", "c")),
        }
    )

    assert graph.problems() == []
    assert graph.heads == ["m"]


def test_history_check_fails_with_the_problem(project: Path) -> None:
    (project / "alembic/versions/9_x.py").write_text(revision_file("x", "nope"))

    result = history_check(project)

    assert not result.ok
    assert result.check.kind == "migrations"
    assert "9_x.py follows revision 'nope'" in result.output


def test_history_check_passes_a_new_project(project: Path) -> None:
    assert history_check(project).ok


# --- merge --------------------------------------------------------------------


def union_manifests(project: Path) -> None:
    """Resolve the manifest as a user would: both branches' records kept."""
    ours = json.loads(git(project, "show", "HEAD:.scaffold/manifest.json"))
    theirs = json.loads(git(project, "show", "authors:.scaffold/manifest.json"))
    for key in ("files", "resources"):
        ours[key] = dict(sorted({**ours[key], **theirs[key]}.items()))
    text = json.dumps(ours, indent=2, sort_keys=True, ensure_ascii=False) + "\n"
    (project / ".scaffold/manifest.json").write_text(text)


def forked(project: Path) -> tuple[str, str]:
    """Two branches of ``project`` each add a resource; they are merged."""
    git(project, "init", "-q", "-b", "main")
    git(project, "add", "-A")
    git(project, "commit", "-qm", "new project")
    git(project, "checkout", "-qb", "authors")
    added = run_scaffold(
        "add", "resource", "author", "name:str", "--no-check", cwd=project
    )
    assert added.returncode == 0, added.stderr
    git(project, "add", "-A")
    git(project, "commit", "-qm", "authors")
    git(project, "checkout", "-q", "main")
    added = run_scaffold(
        "add", "resource", "book", "title:str", "--no-check", cwd=project
    )
    assert added.returncode == 0, added.stderr
    git(project, "add", "-A")
    git(project, "commit", "-qm", "books")
    merged = subprocess.run(
        ["git", "-c", "user.name=t", "-c", "user.email=t@example.com", "merge",
         "-q", "--no-edit", "authors"],
        cwd=project, capture_output=True, text=True, check=False,
    )  # fmt: skip
    if merged.returncode != 0:  # the router and model registry: wire both in
        git(project, "checkout", "--ours", ROUTER_FILE, MODELS_FILE)
        router = register_router((project / ROUTER_FILE).read_text(), "authors")
        models = register_model((project / MODELS_FILE).read_text(), "author", "Author")
        wired = format_python(
            {P(ROUTER_FILE): router, P(MODELS_FILE): models},
            pyproject=(project / "pyproject.toml").read_text(),
        )
        for path, text in wired.items():
            (project / path).write_text(text)
        union_manifests(project)
        git(project, "add", "-A")
        git(project, "commit", "-qm", "merge authors")
    heads = read_graph(versions(project)).heads
    assert len(heads) == 2
    return heads[0], heads[1]


def test_merge_joins_two_heads_with_a_file_named_after_them(project: Path) -> None:
    first, second = forked(project)

    plan, summary = plan_merge(versions(project), read_manifest(project))

    (created,) = [op for op in plan.ops if op.path.parent.name == "versions"]
    assert created.content is not None
    graph = read_graph({**versions(project), created.path.name: created.content})
    assert graph.problems() == []
    assert set(graph.nodes[graph.heads[0]].parents) == {first, second}
    assert created.path.name.endswith("_merge_2_heads.py")
    assert sorted(versions(project))[-1] < created.path.name
    assert "joining" in summary
    # the same heads give the same file, whoever merges them, whenever
    again, _ = plan_merge(versions(project), read_manifest(project))
    assert again.ops[0] == created


def test_merge_reuses_an_existing_merge_of_the_same_heads(project: Path) -> None:
    forked(project)
    plan, _ = plan_merge(versions(project), read_manifest(project))
    op = plan.ops[0]
    assert op.content is not None
    (project / op.path).write_text(op.content)

    again, summary = plan_merge(versions(project), read_manifest(project))

    assert again.ops == ()
    assert "one head" in summary


def test_merge_refuses_a_missing_parent(project: Path) -> None:
    (project / "alembic/versions/9_x.py").write_text(revision_file("x", "nope"))

    with pytest.raises(ProjectError, match=r"9_x\.py follows revision 'nope'"):
        plan_merge(versions(project), read_manifest(project))


# --- rebase -------------------------------------------------------------------


def test_rebase_moves_scaffolds_unapplied_revision_onto_the_other_head(
    project: Path,
) -> None:
    forked(project)
    revisions = versions(project)

    plan, summary = plan_rebase(revisions, read_manifest(project), applied=set())

    after = dict(revisions)
    for op in plan.ops:
        if op.path.parent.name == "versions":
            if op.content is None:
                del after[op.path.name]
            else:
                after[op.path.name] = op.content
    graph = read_graph(after)
    assert graph.problems() == []
    names = sorted(after)
    by_name = {node.filename: node for node in graph.nodes.values()}
    for earlier, later in itertools.pairwise(names):
        assert by_name[later].parents == (by_name[earlier].revision,)
    assert "re-chained" in summary
    manifest_op = plan.ops[-1]
    assert manifest_op.content is not None
    records = json.loads(manifest_op.content)["resources"]
    for name in ("author", "book"):
        record = records[name]
        assert Path(record["migration"]).name in after
        assert (
            graph.nodes[record["revision"]].filename == Path(record["migration"]).name
        )


def test_rebase_refuses_when_both_branches_are_applied(project: Path) -> None:
    first, second = forked(project)

    with pytest.raises(ProjectError, match="scaffold migrations merge"):
        plan_rebase(versions(project), read_manifest(project), {first, second})


def test_rebase_moves_the_unapplied_branch_only(project: Path) -> None:
    first, second = forked(project)
    graph = read_graph(versions(project))

    plan, _ = plan_rebase(versions(project), read_manifest(project), {second})

    deleted = [op.path.name for op in plan.ops if op.content is None]
    assert deleted == [graph.filename(first)]


# --- end to end ---------------------------------------------------------------


@pytest.mark.e2e
def test_two_branches_merged_check_reports_two_heads_and_merge_fixes_it(
    project: Path,
) -> None:
    # Given two git branches that each added a resource, merged
    forked(project)

    # When the project is checked
    checked = run_scaffold("check", cwd=project)

    # Then the two heads are reported with the fix, as a migrations failure
    assert checked.returncode == 7, checked.stderr
    assert "2 heads" in checked.stderr
    assert "scaffold migrations merge" in checked.stderr

    # When they are merged, the checks pass
    merged = run_scaffold("migrations", "merge", cwd=project)
    assert merged.returncode == 0, merged.stderr
    assert "pass" in merged.stderr
    assert read_graph(versions(project)).problems() == []


def test_rebase_refuses_applied_revisions_and_writes_nothing(project: Path) -> None:
    # Given two heads, both applied in the project's database (as its own
    # interpreter reports alembic_version)
    first, second = forked(project)
    python = project / ".venv/bin/python"
    python.parent.mkdir(parents=True)
    python.write_text(f"#!/bin/sh\necho {first}\necho {second}\n")
    python.chmod(0o755)
    before = tree_digest(project)

    # When the revisions are to be re-chained
    result = run_scaffold("migrations", "rebase", "--no-check", cwd=project)

    # Then it refuses in one line with the fix, and nothing changed
    assert result.returncode == 2
    assert "applied in the project's database" in result.stderr
    assert "scaffold migrations merge" in result.stderr
    assert tree_digest(project) == before


def test_rebase_refuses_when_the_database_cannot_be_read(project: Path) -> None:
    forked(project)
    before = tree_digest(project)

    result = run_scaffold("migrations", "rebase", "--no-check", cwd=project)

    assert result.returncode == 2
    assert "cannot tell which revisions" in result.stderr
    assert tree_digest(project) == before


def test_merge_command_writes_the_merge_revision(project: Path) -> None:
    forked(project)

    result = run_scaffold("migrations", "merge", "--no-check", cwd=project)

    assert result.returncode == 0, result.stderr
    assert "Wrote alembic/versions/" in result.stderr
    assert read_graph(versions(project)).problems() == []
    manifest = read_manifest(project)
    (merge,) = [name for name in versions(project) if "_merge_" in name]
    assert f"alembic/versions/{merge}" in manifest.files
