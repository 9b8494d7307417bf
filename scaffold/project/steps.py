"""Changes between releases that a text merge cannot see.

A release that moves a generated file, or renames a symbol the user's code
may use, declares an :class:`UpgradeStep`. ``scaffold upgrade`` runs every
step between the version that rendered the project and the installed one
(oldest first) over the user's files and the merge bases alike, before the
three-way merge: the moved file is then merged at its new place, and the
renamed symbol no longer shows as a conflict.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import PurePosixPath

__all__ = ["STEPS", "UpgradeStep", "parse_version", "run_steps"]

P = PurePosixPath


def parse_version(version: str) -> tuple[int, ...]:
    """``"0.10.2"`` → ``(0, 10, 2)``; anything after a non-digit is ignored."""
    parts = []
    for part in version.split("."):
        digits = re.match(r"\d+", part)
        if digits is None:
            break
        parts.append(int(digits.group()))
    return tuple(parts)


@dataclass(frozen=True)
class UpgradeStep:
    """What one release changed that needs more than a text merge.

    Attributes:
        version: The first release with the change.
        moves: Old project path → new project path.
        renames: Old name → new name, replaced as whole words in Python files.
    """

    version: str
    moves: Mapping[str, str] = field(default_factory=dict)
    renames: Mapping[str, str] = field(default_factory=dict)

    def applies(self, old: str, new: str) -> bool:
        """Whether an upgrade from ``old`` to ``new`` crosses this release."""
        return parse_version(old) < parse_version(self.version) <= parse_version(new)

    def run(self, files: Mapping[P, str]) -> dict[P, str]:
        """``files`` (path → text) with this step's moves and renames made."""
        moved = {
            P(self.moves.get(str(path), str(path))): text
            for path, text in files.items()
        }
        if not self.renames:
            return moved
        pattern = re.compile(
            r"\b(" + "|".join(map(re.escape, sorted(self.renames))) + r")\b"
        )
        return {
            path: pattern.sub(lambda match: self.renames[match.group()], text)
            if path.suffix == ".py"
            else text
            for path, text in moved.items()
        }


#: Every release's steps, oldest first. None yet: 0.1.0's layout still holds.
STEPS: tuple[UpgradeStep, ...] = ()


def run_steps(
    files: Mapping[P, str],
    old: str,
    new: str,
    steps: Sequence[UpgradeStep] = STEPS,
) -> tuple[dict[P, str], list[UpgradeStep]]:
    """Run the steps between ``old`` and ``new`` over ``files``.

    Returns:
        The files after the steps, and the steps that ran.
    """
    ran = [step for step in steps if step.applies(old, new)]
    result = dict(files)
    for step in sorted(ran, key=lambda step: parse_version(step.version)):
        result = step.run(result)
    return result, ran
