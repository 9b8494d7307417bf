"""``scaffold upgrade`` for the project's template overrides.

An override ejected from a bundled template that has changed since is merged
three-way: the base is the bundled text at eject time (kept under
``.scaffold/base/templates/``), ours the project's override, theirs the
bundled text now. The merged text renders the skeleton and the resources of
the same upgrade; the manifest then records the new bundled text's hash, and
its text becomes the next merge's base.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath

from scaffold.changes.regenerate import merge
from scaffold.engine.plan import Action, FileOp
from scaffold.project.layout import OVERRIDES_DIR
from scaffold.project.manifest import Manifest, digest
from scaffold.project.overrides import (
    bundled_templates,
    override_base_path,
    project_overrides,
)

__all__ = ["OverrideMerge", "merge_overrides"]

P = PurePosixPath


@dataclass
class OverrideMerge:
    """The project's overrides after an upgrade.

    Attributes:
        texts: Every override's text (name → text), merged where it was merged.
        ops: The writes of the merged overrides and their new bases.
        hashes: The bundled hash to record for each merged override.
        notes: What the user must be told.
    """

    texts: dict[str, str] = field(default_factory=dict)
    ops: list[FileOp] = field(default_factory=list)
    hashes: dict[str, str] = field(default_factory=dict)
    notes: list[str] = field(default_factory=list)

    def recorded(self, manifest: Manifest) -> Manifest:
        """``manifest`` with the merged overrides' new bundled hashes."""
        for name, sha in self.hashes.items():
            manifest = manifest.with_override(name, sha)
        return manifest


def merge_overrides(root: Path, manifest: Manifest) -> OverrideMerge:
    """Merge the bundled templates' changes into the project's overrides."""
    result = OverrideMerge()
    bundled = bundled_templates()
    for name, path in project_overrides(root).items():
        ours = path.read_text(encoding="utf-8")
        result.texts[name] = ours
        recorded = manifest.overrides.get(name)
        if name not in bundled or recorded is None:
            continue
        theirs = bundled[name].read_text(encoding="utf-8")
        if digest(theirs) == recorded:
            continue
        target = P(OVERRIDES_DIR) / name
        base_file = root / override_base_path(name)
        if not base_file.is_file():
            result.notes.append(
                f"{target}: the bundled template changed, but its text at eject "
                f"time was not kept; merge by hand (scaffold templates diff {name})"
            )
            continue
        base = base_file.read_text(encoding="utf-8")
        if ours == base:
            text, action = theirs, Action.UPDATE
        else:
            text, conflicted = merge(base, ours, theirs)
            action = Action.CONFLICT if conflicted else Action.MERGE
        if text == ours:
            action = Action.IDENTICAL
        if action is not Action.CONFLICT:
            result.texts[name] = text
        result.hashes[name] = digest(theirs)
        result.ops.append(FileOp(target, text, action, ours))
        result.ops.append(FileOp(override_base_path(name), theirs, Action.UPDATE, base))
        result.notes.append(f"merged the bundled template's changes into {target}")
    return result
