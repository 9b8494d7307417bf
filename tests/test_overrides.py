"""Template overrides end to end: check, scaffold check, rendering and upgrade."""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest

from scaffold.changes import upgrade as upgrade_module
from scaffold.changes.add_resource import add_resources
from scaffold.changes.regenerate import regenerate_resources
from scaffold.changes.templates import OverrideState, eject_template, override_status
from scaffold.changes.upgrade import upgrade_project
from scaffold.errors import MergeConflictError
from scaffold.project import overrides as overrides_module
from scaffold.project import skeleton as skeleton_module
from scaffold.project.layout import OVERRIDES_DIR
from scaffold.project.manifest import digest, read_manifest
from scaffold.render import environment as render_module
from scaffold.render import override_check as check_module
from scaffold.spec import parse_cli_resource
from scaffold.tools import check as tools_check
from scaffold.tools.check import EXIT_CODES, check_project, exit_code_for
from scaffold.tools.prechecks import overrides_check
from tests.e2e import run_scaffold

ROOT = Path(__file__).resolve().parents[1]
SERVICE = "resource/service.py.jinja"
MAIN = "project/template/app/main.py.jinja"

#: A method the team adds to every service, before its list method.
ANCHOR = "    async def list("
METHOD = '''    def describe(self) -> str:
        """What this service looks after."""
        return "{{ r.doc_plural }}"

'''


def _eject(project: Path, name: str) -> Path:
    eject_template(name, project=project, allow_dirty=True)
    return project / OVERRIDES_DIR / name


def _add_method(override: Path) -> None:
    text = override.read_text()
    assert ANCHOR in text
    override.write_text(text.replace(ANCHOR, METHOD + ANCHOR, 1))


# -- templates check -------------------------------------------------------------


def test_check_passes_an_override_that_renders_and_parses(project: Path) -> None:
    _add_method(_eject(project, SERVICE))

    result = run_scaffold("templates", "check", cwd=project)

    assert result.returncode == 0, result.stderr
    assert "every override renders and parses" in result.stdout


def test_check_names_the_line_of_a_misspelt_variable(project: Path) -> None:
    # Given an override whose line 10 names a variable the templates lack
    override = _eject(project, SERVICE)
    lines = override.read_text().splitlines(keepends=True)
    assert "{{ r.doc_plural }}" in lines[9]
    lines[9] = lines[9].replace("r.doc_plural", "r.doc_plurl")
    override.write_text("".join(lines))

    result = run_scaffold("templates", "check", cwd=project)

    # Then the check fails, naming the override's file and line
    assert result.returncode == 1
    assert f"{OVERRIDES_DIR}/{SERVICE}, line 10:" in result.stderr
    assert "doc_plurl" in result.stderr
    assert "Traceback" not in result.stderr


def test_check_maps_output_that_does_not_parse_to_the_template_line(
    project: Path,
) -> None:
    override = _eject(project, SERVICE)
    text = override.read_text()
    line = text.splitlines().index("class {{ r.class_name }}Service:") + 1
    override.write_text(text.replace("}}Service:", "}}Service", 1))

    result = run_scaffold("templates", "check", cwd=project)

    assert result.returncode == 1
    assert f"{OVERRIDES_DIR}/{SERVICE}, line {line}:" in result.stderr
    assert "does not parse" in result.stderr


def test_check_renders_skeleton_overrides_with_the_projects_answers(
    project: Path,
) -> None:
    override = _eject(project, MAIN)
    text = override.read_text()
    line = text.splitlines().index("{% if jobs %}") + 1
    override.write_text(text.replace("{% if jobs %}", "{% if jbos %}", 1))

    failures = check_module.check_overrides(project, {"project_name": "shop"})

    assert [(f.template, f.line) for f in failures] == [(MAIN, line)]
    assert "jbos" in failures[0].message


# -- scaffold check and orphans -----------------------------------------------


def test_an_orphaned_override_fails_scaffold_check(
    project: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Given an override whose name matches no bundled template
    orphan = project / OVERRIDES_DIR / "resource/servise.py.jinja"
    orphan.parent.mkdir(parents=True)
    orphan.write_text("x\n")
    # (the project's own tools are not what this test is about)
    monkeypatch.setattr(tools_check, "prepare_environment", lambda *a, **k: None)
    monkeypatch.setattr(tools_check, "run_checks", lambda *a, **k: [])

    results = check_project(project)

    # Then the check fails, first, with its own exit code and a one-line fix
    failed = [result for result in results if not result.ok]
    assert failed[0].check.name == "template overrides"
    assert exit_code_for(results) == EXIT_CODES["templates"] == 8
    assert failed[0].output.count("\n") == 0
    assert "overrides no bundled template" in failed[0].output
    assert "rename it" in failed[0].output
    orphan.unlink()
    assert overrides_check(project).ok


# -- the scenario ---------------------------------------------------------


@pytest.fixture
def changed_templates(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> Iterator[Path]:
    """A copy of the bundled templates, which the test edits, used everywhere."""
    templates = Path(shutil.copytree(ROOT / "templates", tmp_path / "bundled"))
    for module in (
        render_module,
        overrides_module,
        skeleton_module,
        upgrade_module,
        check_module,
    ):
        monkeypatch.setattr(module, "templates_root", lambda: templates)
    render_module._environment.cache_clear()
    yield templates
    render_module._environment.cache_clear()


def test_a_service_override_is_used_kept_current_and_merged_on_upgrade(
    project: Path, changed_templates: Path
) -> None:
    # Given a book resource, then an override of the service template that
    # adds a method to every service
    add_resources(
        [parse_cli_resource("book", ["title:str"])], project=project, check=False
    )
    override = _eject(project, SERVICE)
    _add_method(override)

    # When a resource is added, and the existing one regenerated
    add_resources(
        [parse_cli_resource("author", ["name:str"])], project=project, check=False
    )
    regenerate_resources(["book"], project=project, check=False)

    # Then both services have the team's method
    for module, plural in (("author", "authors"), ("book", "books")):
        service = (project / f"app/services/{module}.py").read_text()
        assert "def describe(self) -> str:" in service
        assert f'return "{plural}"' in service
    # And the manifest records the override as the service's template
    record = read_manifest(project).templates["app/services/author.py"]
    assert (record.source, record.sha256) == ("override", digest(override.read_bytes()))
    model = read_manifest(project).templates["app/models/author.py"]
    assert (model.template, model.source) == ("resource/model.py.jinja", "bundled")

    # When the bundled service template changes
    bundled = changed_templates / SERVICE
    bundled.write_text(
        bundled.read_text().replace(
            '"""', '"""Upstream: every change goes through the service.\n\n', 1
        )
    )

    # Then status reports the override stale
    _, states = override_status(project)
    assert [(s.name, s.state) for s in states] == [(SERVICE, OverrideState.STALE)]

    # When the project is upgraded
    result = upgrade_project(project=project, allow_dirty=True, check=False)

    # Then the bundled change is merged into the override, the team's method kept
    merged = override.read_text()
    assert "Upstream: every change goes through the service." in merged
    assert "def describe(self) -> str:" in merged
    actions = {str(op.path): op.action.value for op in result.plan.ops}
    assert actions[f"{OVERRIDES_DIR}/{SERVICE}"] == "merge"
    # And the resources are rendered with the merged override
    for module in ("author", "book"):
        service = (project / f"app/services/{module}.py").read_text()
        assert "Upstream: every change goes through the service." in service
        assert "def describe(self) -> str:" in service
    # And the override is up to date, its new base is the bundled text
    manifest = read_manifest(project)
    assert manifest.overrides[SERVICE] == digest(bundled.read_text())
    assert manifest.templates["app/services/book.py"].sha256 == digest(merged)
    _, states = override_status(project)
    assert [s.state for s in states] == [OverrideState.UP_TO_DATE]
    base = project / ".scaffold/base/templates" / SERVICE
    assert base.read_text() == bundled.read_text()

    # And a second upgrade changes nothing
    again = upgrade_project(project=project, allow_dirty=True, check=False)
    assert not again.plan.changes


def test_upgrade_leaves_markers_in_an_override_both_sides_changed(
    project: Path, changed_templates: Path
) -> None:
    override = _eject(project, SERVICE)
    first = override.read_text().splitlines()[0]
    override.write_text(override.read_text().replace(first, '"""Ours."""', 1))
    bundled = changed_templates / SERVICE
    bundled.write_text(bundled.read_text().replace(first, '"""Theirs."""', 1))

    with pytest.raises(MergeConflictError, match="markers") as raised:
        upgrade_project(project=project, allow_dirty=True, check=False)

    assert raised.value.exit_code == 1
    text = override.read_text()
    assert "<<<<<<< yours" in text
    assert '"""Ours."""' in text
    assert '"""Theirs."""' in text
    # and, once the markers are resolved, the override counts as up to date
    assert read_manifest(project).overrides[SERVICE] == digest(bundled.read_text())


def test_upgrade_renders_the_skeleton_with_the_projects_override(
    project: Path,
) -> None:
    # Given an override of the skeleton's main module with a team comment
    override = _eject(project, MAIN)
    override.write_text("# Team header.\n" + override.read_text())

    # When the project is upgraded
    upgrade_project(project=project, allow_dirty=True, check=False)

    # Then the project's main module has the team's header (it was unedited)
    assert (project / "app/main.py").read_text().startswith("# Team header.\n")
