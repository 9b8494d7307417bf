"""The manifest's format version, its migrations, and upgrade steps."""

from __future__ import annotations

import json
from pathlib import Path, PurePosixPath

import pytest

from scaffold.errors import ProjectError
from scaffold.project.manifest import (
    FORMAT,
    MANIFEST_FILE,
    Manifest,
    TemplateRecord,
    read_manifest,
)
from scaffold.project.steps import UpgradeStep, parse_version, run_steps

P = PurePosixPath

#: What 0.1.0 wrote: no format, no skeleton version.
FORMAT_1 = {
    "files": {"app/main.py": "0" * 64},
    "resources": {},
    "scaffold_version": "0.1.0",
}


def write(root: Path, data: object) -> None:
    (root / ".scaffold").mkdir(exist_ok=True)
    (root / MANIFEST_FILE).write_text(json.dumps(data))


def test_a_new_manifest_records_the_current_format() -> None:
    data = json.loads(Manifest().dump())

    assert data["format"] == FORMAT == 3
    assert "skeleton_version" in data


def test_a_format_1_manifest_is_migrated_on_read(tmp_path: Path) -> None:
    write(tmp_path, {**FORMAT_1, "scaffold_version": "0.0.9"})

    manifest = read_manifest(tmp_path)

    assert manifest.format == FORMAT
    assert manifest.skeleton_version == "0.0.9"
    assert manifest.files == FORMAT_1["files"]
    # and the next write stores the current format
    assert json.loads(manifest.dump())["format"] == FORMAT


def test_a_format_2_manifest_reads_with_no_template_recorded(tmp_path: Path) -> None:
    write(tmp_path, {**FORMAT_1, "format": 2, "skeleton_version": "0.2.0"})

    manifest = read_manifest(tmp_path)

    assert manifest.format == FORMAT
    assert manifest.templates == {}
    assert manifest.skeleton_version == "0.2.0"
    record = TemplateRecord(
        template="resource/service.py.jinja", source="override", sha256="1" * 64
    )
    written = json.loads(manifest.with_templates({P("app/x.py"): record}).dump())
    assert written["templates"] == {
        "app/x.py": {
            "template": "resource/service.py.jinja",
            "source": "override",
            "sha256": "1" * 64,
        }
    }
    gone = read_manifest(tmp_path).with_templates({P("app/x.py"): record})
    assert gone.without_files(["app/x.py"]).templates == {}


def test_recording_files_keeps_the_skeleton_version(tmp_path: Path) -> None:
    write(tmp_path, {**FORMAT_1, "scaffold_version": "0.0.9"})

    manifest = read_manifest(tmp_path).with_files({P("app/x.py"): "x = 1\n"})

    assert manifest.skeleton_version == "0.0.9"


@pytest.mark.parametrize("found", [FORMAT + 1, 0, "2"])
def test_a_format_this_version_cannot_read_is_refused(
    tmp_path: Path, found: object
) -> None:
    write(tmp_path, {**FORMAT_1, "format": found})

    with pytest.raises(ProjectError, match="upgrade scaffold"):
        read_manifest(tmp_path)


def test_a_manifest_that_is_not_an_object_is_named(tmp_path: Path) -> None:
    write(tmp_path, [1, 2])

    with pytest.raises(ProjectError, match="restore it from version control"):
        read_manifest(tmp_path)


# --- upgrade steps ------------------------------------------------------------


def test_versions_compare_as_numbers() -> None:
    assert parse_version("0.10.0") > parse_version("0.9.1")
    assert parse_version("1.2.0rc1") == (1, 2, 0)


def test_a_step_runs_only_across_its_release() -> None:
    step = UpgradeStep("0.2.0", moves={"app/a.py": "app/b.py"})

    assert step.applies("0.1.0", "0.2.0")
    assert not step.applies("0.2.0", "0.3.0")
    assert not step.applies("0.0.1", "0.1.9")


def test_steps_move_files_and_rename_whole_words_in_python() -> None:
    steps = [
        UpgradeStep("0.3.0", renames={"get_session": "session_scope"}),
        UpgradeStep("0.2.0", moves={"app/core/db.py": "app/core/database.py"}),
    ]
    files = {
        P("app/core/db.py"): "def get_session(): ...\n",
        P("app/main.py"): "from app.core.database import get_session, get_sessions\n",
        P("README.md"): "get_session\n",
    }

    result, ran = run_steps(files, "0.1.0", "0.3.0", steps)

    assert [step.version for step in ran] == ["0.3.0", "0.2.0"]
    assert result == {
        P("app/core/database.py"): "def session_scope(): ...\n",
        P("app/main.py"): "from app.core.database import session_scope, get_sessions\n",
        P("README.md"): "get_session\n",
    }


def test_no_step_between_equal_versions() -> None:
    files = {P("app/a.py"): "x\n"}
    steps = [UpgradeStep("0.1.0", moves={"app/a.py": "app/b.py"})]

    assert run_steps(files, "0.1.0", "0.1.0", steps) == (files, [])
