"""``scaffold templates``: a project's own copies of bundled templates.

A project overrides a bundled template (a resource template, a job template,
or a file of the project skeleton) by placing a file at the same relative path
under ``.scaffold/templates/``: ``resource/service.py.jinja``, say.
``eject`` copies the bundled template there and records the bundled text's
SHA-256 in the manifest, so that ``status`` can tell each override apart: up
to date, stale (the bundled template changed since it was ejected), or
orphaned (it matches no bundled template: an error, never silently ignored).
"""

from __future__ import annotations

import difflib
from dataclasses import dataclass
from enum import StrEnum
from pathlib import Path, PurePosixPath

from scaffold.changes.transaction import carry_out, guard
from scaffold.engine.apply import ensure_no_journal
from scaffold.engine.plan import Action, FileOp, Plan, write_op
from scaffold.errors import UsageError
from scaffold.project.answers import find_project
from scaffold.project.layout import MANIFEST_FILE, STATE_DIR, templates_root
from scaffold.project.manifest import digest, read_manifest

__all__ = [
    "OVERRIDES_DIR",
    "OverrideState",
    "OverrideStatus",
    "bundled_templates",
    "eject_template",
    "override_diff",
    "override_status",
    "plan_eject",
]

P = PurePosixPath
OVERRIDES_DIR = f"{STATE_DIR}/templates"
#: The bundled template folders a project may override.
_KINDS = ("resource", "job", "project/template")
_SKIPPED = ("__pycache__", ".pyc", ".DS_Store")


def bundled_templates() -> dict[str, Path]:
    """Every bundled template a project may override: its name → its file."""
    root = templates_root()
    found = {}
    for kind in _KINDS:
        for path in sorted((root / kind).rglob("*")):
            name = path.relative_to(root).as_posix()
            if path.is_file() and not any(part in name for part in _SKIPPED):
                found[name] = path
    return found


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
                f"compare with: scaffold templates diff {self.name}"
            )
        if self.state is OverrideState.UNRECORDED:
            return (
                f"{where} was not ejected by scaffold, so whether it is stale "
                "cannot be told; eject it again (after moving it away) to record it"
            )
        return None


def _find(project: Path) -> Path:
    root = find_project(project)
    ensure_no_journal(root)
    return root


def _known(name: str) -> Path:
    bundled = bundled_templates()
    path = bundled.get(name)
    if path is None:
        close = difflib.get_close_matches(name, bundled, n=1)
        hint = f"; did you mean {close[0]!r}?" if close else ""
        raise UsageError(
            f"no bundled template {name!r}{hint} (list them with: scaffold "
            "templates list)"
        )
    return path


def plan_eject(root: Path, name: str) -> Plan:
    """Plan copying bundled template ``name`` into the project; write nothing.

    Raises:
        UsageError: No such bundled template, or it is overridden already.
    """
    source = _known(name).read_text(encoding="utf-8")
    target = P(OVERRIDES_DIR) / name
    if (root / target).exists():
        raise UsageError(
            f"{target} exists already; edit it, or remove it to eject {name} again"
        )
    manifest = read_manifest(root)
    before = (root / MANIFEST_FILE).read_text(encoding="utf-8")
    updated = manifest.with_override(name, digest(source))
    return Plan(
        (
            FileOp(target, source, Action.CREATE),
            write_op(P(MANIFEST_FILE), updated.dump(), before),
        )
    )


def eject_template(
    name: str, *, project: Path, dry_run: bool = False, allow_dirty: bool = False
) -> tuple[Path, Plan]:
    """Copy bundled template ``name`` to ``.scaffold/templates/`` and record it."""
    root = _find(project)
    plan = guard(root, plan_eject(root, name), allow_dirty=allow_dirty)
    if not dry_run:
        carry_out(root, plan, check=False)
    return root, plan


def override_status(project: Path) -> tuple[Path, list[OverrideStatus]]:
    """Every override of the project, with its state."""
    root = _find(project)
    overrides = root / OVERRIDES_DIR
    recorded = read_manifest(root).overrides
    bundled = bundled_templates()
    found = []
    for path in sorted(overrides.rglob("*")) if overrides.is_dir() else []:
        if not path.is_file():
            continue
        name = path.relative_to(overrides).as_posix()
        if name not in bundled:
            state = OverrideState.ORPHANED
        elif name not in recorded:
            state = OverrideState.UNRECORDED
        elif digest(bundled[name].read_bytes()) != recorded[name]:
            state = OverrideState.STALE
        else:
            state = OverrideState.UP_TO_DATE
        found.append(OverrideStatus(name, state))
    return root, found


def override_diff(name: str, *, project: Path) -> str:
    """A unified diff from the bundled template ``name`` to the project's.

    Raises:
        UsageError: No such bundled template, or the project does not override it.
    """
    root = _find(project)
    bundled = _known(name)
    override = root / OVERRIDES_DIR / name
    if not override.is_file():
        raise UsageError(
            f"{OVERRIDES_DIR}/{name} does not exist; eject it first with: "
            f"scaffold templates eject {name}"
        )
    return "".join(
        difflib.unified_diff(
            bundled.read_text(encoding="utf-8").splitlines(keepends=True),
            override.read_text(encoding="utf-8").splitlines(keepends=True),
            f"bundled/{name}",
            f"{OVERRIDES_DIR}/{name}",
        )
    )
