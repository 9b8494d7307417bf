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
from pathlib import Path, PurePosixPath

from scaffold.changes.transaction import carry_out, guard
from scaffold.engine.apply import ensure_no_journal
from scaffold.engine.plan import Action, FileOp, Plan, write_op
from scaffold.errors import UsageError
from scaffold.project.answers import find_project, raw_answers
from scaffold.project.layout import MANIFEST_FILE, OVERRIDES_DIR
from scaffold.project.manifest import digest, read_manifest
from scaffold.project.overrides import (
    OverrideState,
    OverrideStatus,
    bundled_templates,
    override_base_path,
    override_states,
)
from scaffold.render.override_check import Failure, check_overrides

__all__ = [
    "OVERRIDES_DIR",
    "OverrideState",
    "OverrideStatus",
    "bundled_templates",
    "check_templates",
    "eject_template",
    "override_diff",
    "override_status",
    "plan_eject",
]

P = PurePosixPath


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


def _text(root: Path, name: str) -> str | None:
    path = root / override_base_path(name)
    return path.read_text(encoding="utf-8") if path.is_file() else None


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
            write_op(override_base_path(name), source, _text(root, name)),
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
    return root, override_states(root, read_manifest(root))


def check_templates(project: Path) -> tuple[Path, list[Failure]]:
    """Render every override of the project against fixture resources.

    Returns:
        The project's root, and every failure (none when all render and parse).
    """
    root = _find(project)
    return root, check_overrides(root, raw_answers(root))


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
