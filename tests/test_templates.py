"""``scaffold templates``: list, eject, status and diff of overrides."""

from __future__ import annotations

import json
from pathlib import Path

from scaffold.changes.templates import OVERRIDES_DIR, bundled_templates
from scaffold.project.manifest import digest, read_manifest
from tests.conftest import tree_digest
from tests.e2e import run_scaffold

SERVICE = "resource/service.py.jinja"


def test_list_names_the_bundled_templates_and_marks_overrides(project: Path) -> None:
    (project / OVERRIDES_DIR / "resource").mkdir(parents=True)
    (project / OVERRIDES_DIR / SERVICE).write_text("x\n")

    result = run_scaffold("templates", "list", cwd=project)

    assert result.returncode == 0, result.stderr
    lines = result.stdout.splitlines()
    assert f"* {SERVICE}" in lines
    assert "  resource/model.py.jinja" in lines
    assert "  project/template/app/main.py.jinja" in lines
    assert len(lines) == len(bundled_templates())


def test_eject_copies_the_template_and_records_its_hash(project: Path) -> None:
    result = run_scaffold("templates", "eject", SERVICE, cwd=project)

    assert result.returncode == 0, result.stderr
    bundled = bundled_templates()[SERVICE].read_text()
    assert (project / OVERRIDES_DIR / SERVICE).read_text() == bundled
    assert read_manifest(project).overrides == {SERVICE: digest(bundled)}
    # and keeps the bundled text as the base of a later upgrade's merge
    assert (project / ".scaffold/base/templates" / SERVICE).read_text() == bundled
    status = run_scaffold("templates", "status", cwd=project)
    assert status.returncode == 0
    assert status.stdout.split() == ["up", "to", "date", SERVICE]


def test_eject_refuses_an_unknown_name_with_a_suggestion(project: Path) -> None:
    before = tree_digest(project)

    result = run_scaffold("templates", "eject", "resource/servce.py.jinja", cwd=project)

    assert result.returncode == 2
    assert f"did you mean {SERVICE!r}" in result.stderr
    assert tree_digest(project) == before


def test_eject_refuses_to_replace_an_override(project: Path) -> None:
    assert run_scaffold("templates", "eject", SERVICE, cwd=project).returncode == 0
    (project / OVERRIDES_DIR / SERVICE).write_text("mine\n")

    result = run_scaffold("templates", "eject", SERVICE, cwd=project)

    assert result.returncode == 2
    assert (project / OVERRIDES_DIR / SERVICE).read_text() == "mine\n"


def test_status_reports_stale_and_orphaned_overrides(project: Path) -> None:
    # Given an override ejected from an older bundled template, and one that
    # matches no bundled template
    assert run_scaffold("templates", "eject", SERVICE, cwd=project).returncode == 0
    manifest_path = project / ".scaffold/manifest.json"
    manifest = json.loads(manifest_path.read_text())
    manifest["overrides"][SERVICE] = "0" * 64
    manifest_path.write_text(json.dumps(manifest))
    (project / OVERRIDES_DIR / "resource/servise.py.jinja").write_text("x\n")

    result = run_scaffold("templates", "status", cwd=project)

    # Then both are named with their fix, and the orphan fails the command
    assert result.returncode == 1
    assert f"      stale {SERVICE}" in result.stdout
    assert "   orphaned resource/servise.py.jinja" in result.stdout
    assert "overrides no bundled template" in result.stderr
    assert f"scaffold templates diff {SERVICE}" in result.stderr


def test_diff_shows_the_users_change(project: Path) -> None:
    assert run_scaffold("templates", "eject", SERVICE, cwd=project).returncode == 0
    override = project / OVERRIDES_DIR / SERVICE
    override.write_text(override.read_text() + "# ours\n")

    result = run_scaffold("templates", "diff", SERVICE, cwd=project)

    assert result.returncode == 0, result.stderr
    assert f"+++ {OVERRIDES_DIR}/{SERVICE}" in result.stdout
    assert "+# ours" in result.stdout


def test_diff_of_a_template_not_ejected_says_how(project: Path) -> None:
    result = run_scaffold("templates", "diff", SERVICE, cwd=project)

    assert result.returncode == 2
    assert f"scaffold templates eject {SERVICE}" in result.stderr


def test_every_skeleton_file_records_the_template_that_rendered_it(
    project: Path,
) -> None:
    # Given a new project (its skeleton only)
    manifest = read_manifest(project)

    # Then each generated file names its bundled template, with that
    # template's hash, conditions of its file name included
    assert set(manifest.templates) == set(manifest.files)
    bundled = bundled_templates()
    for path, record in manifest.templates.items():
        assert record.source == "bundled", path
        assert record.template in bundled, path
        assert record.sha256 == digest(bundled[record.template].read_bytes()), path
    auth = manifest.templates["app/services/auth.py"].template
    assert auth == "project/template/app/services/{% if auth %}auth.py{% endif %}"
    assert manifest.templates["app/main.py"].template.endswith("main.py.jinja")
