"""A project's own templates under ``.scaffold/templates/``, and their state.

An override's name is its path relative to ``.scaffold/templates/``, which is
the name the template loader looks it up by (``resource/service.py.jinja``)
and its path relative to scaffold's bundled ``templates/``. A file of the
project skeleton is overridden as ``project/template/<its template path>``.

Everything here only reads: it tells each override apart (up to date, stale,
unrecorded, orphaned) and where its merge base is kept.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from enum import StrEnum
from pathlib import Path, PurePosixPath

from scaffold.project.layout import (
    BASE_DIR,
    OVERRIDES_DIR,
    resource_paths,
    templates_root,
)
from scaffold.project.manifest import Manifest, TemplateRecord, digest

__all__ = [
    "OverrideState",
    "OverrideStatus",
    "bundled_templates",
    "override_base_path",
    "override_states",
    "project_overrides",
    "resource_templates",
    "skeleton_overrides",
    "skeleton_templates",
    "template_records",
]

P = PurePosixPath
#: The bundled template folders a project may override.
SKELETON = "project/template"
KINDS = ("resource", "job", SKELETON)
_SKIPPED = ("__pycache__", ".pyc", ".DS_Store")
#: A Copier condition in a template's file name: ``{% if auth %}auth.py{% endif %}``.
_CONDITION = re.compile(r"\{% if \w+ %\}(.*?)\{% endif %\}")


def bundled_templates() -> dict[str, Path]:
    """Every bundled template a project may override: its name → its file."""
    root = templates_root()
    found = {}
    for kind in KINDS:
        for path in sorted((root / kind).rglob("*")):
            name = path.relative_to(root).as_posix()
            if path.is_file() and not any(part in name for part in _SKIPPED):
                found[name] = path
    return found


def override_base_path(name: str) -> PurePosixPath:
    """Where the bundled text of template ``name`` at eject time is kept.

    It is the base of the three-way merge ``scaffold upgrade`` does when the
    bundled template changes.
    """
    return P(BASE_DIR) / "templates" / name


def project_overrides(root: Path) -> dict[str, Path]:
    """Every file under the project's ``.scaffold/templates/``: name → file."""
    overrides = root / OVERRIDES_DIR
    if not overrides.is_dir():
        return {}
    return {
        path.relative_to(overrides).as_posix(): path
        for path in sorted(overrides.rglob("*"))
        if path.is_file()
    }


def skeleton_overrides(texts: Mapping[str, str]) -> dict[str, str]:
    """The overrides (name → text) of skeleton files, named relative to the
    project template (``template/app/main.py.jinja``), as Copier sees them.
    """
    prefix = f"{SKELETON}/"
    return {
        name.removeprefix("project/"): text
        for name, text in texts.items()
        if name.startswith(prefix)
    }


def template_records(
    root: Path,
    templates: Mapping[PurePosixPath, str],
    pending: Mapping[str, str] | None = None,
) -> dict[PurePosixPath, TemplateRecord]:
    """Which template renders each file of ``templates`` (file → template name)
    in the project at ``root``: its override, or the bundled one.

    Args:
        root: The project.
        templates: Each generated file → the name of its template.
        pending: Override texts that replace the project's files of those
            names (``scaffold upgrade`` renders with the merged overrides).
    """
    pending = pending or {}
    records = {}
    for path, name in templates.items():
        own = root / OVERRIDES_DIR / name
        if name in pending:
            record = TemplateRecord(
                template=name, source="override", sha256=digest(pending[name])
            )
        elif own.is_file():
            record = TemplateRecord(
                template=name, source="override", sha256=digest(own.read_bytes())
            )
        else:
            bundled = (templates_root() / name).read_bytes()
            record = TemplateRecord(
                template=name, source="bundled", sha256=digest(bundled)
            )
        records[path] = record
    return records


def resource_templates(manifest: Manifest) -> dict[PurePosixPath, str]:
    """Each file of the manifest's resources → the name of its template."""
    return {
        path: f"resource/{name}"
        for record in manifest.resources.values()
        for name, path in resource_paths(
            record.spec.names.module, record.spec.names.plural
        ).items()
    }


def skeleton_templates(
    files: Iterable[PurePosixPath],
) -> dict[PurePosixPath, str]:
    """Each of ``files`` that the project template renders → its template's name.

    A template's name is its path under the templates root with Copier's
    conditions written out
    (``project/template/app/{% if auth %}auth.py{% endif %}``); the file it
    renders drops them and its ``.jinja`` suffix.
    """
    wanted = set(files)
    root = templates_root() / SKELETON
    names = {}
    for template in sorted(root.rglob("*")):
        if not template.is_file():
            continue
        relative = template.relative_to(root).as_posix()
        rendered = _CONDITION.sub(r"\1", relative).removesuffix(".jinja")
        if P(rendered) in wanted:
            names[P(rendered)] = f"{SKELETON}/{relative}"
    return names


class OverrideState(StrEnum):
    """How an override compares with the bundled template it overrides."""

    UP_TO_DATE = "up to date"
    STALE = "stale"
    UNRECORDED = "unrecorded"
    ORPHANED = "orphaned"


@dataclass(frozen=True)
class OverrideStatus:
    """One override: its template name and its state."""

    name: str
    state: OverrideState

    @property
    def problem(self) -> str | None:
        """What is wrong with it and how to fix it, if anything is."""
        where = f"{OVERRIDES_DIR}/{self.name}"
        if self.state is OverrideState.ORPHANED:
            return (
                f"{where} overrides no bundled template (see: scaffold templates "
                "list); rename it to a bundled template's name, or remove it"
            )
        if self.state is OverrideState.STALE:
            return (
                f"{where}: the bundled template changed since it was ejected; "
                "merge the change into it with: scaffold upgrade (compare with: "
                f"scaffold templates diff {self.name})"
            )
        if self.state is OverrideState.UNRECORDED:
            return (
                f"{where} was not ejected by scaffold, so whether it is stale "
                "cannot be told; eject it again (after moving it away) to record it"
            )
        return None


def override_states(root: Path, manifest: Manifest) -> list[OverrideStatus]:
    """Every override of the project at ``root``, with its state."""
    bundled = bundled_templates()
    found = []
    for name in project_overrides(root):
        if name not in bundled:
            state = OverrideState.ORPHANED
        elif name not in manifest.overrides:
            state = OverrideState.UNRECORDED
        elif digest(bundled[name].read_bytes()) != manifest.overrides[name]:
            state = OverrideState.STALE
        else:
            state = OverrideState.UP_TO_DATE
        found.append(OverrideStatus(name, state))
    return found
