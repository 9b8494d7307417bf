"""The project's own files: everything ``scaffold new project`` writes.

A resource never replaces one of them (``add resource user`` in a project with
auth would otherwise land on the project's ``User`` model, its layers and its
tests). The list is read from the Copier template itself, so it follows the
template as it changes.
"""

from __future__ import annotations

from collections.abc import Iterable
from functools import cache
from pathlib import PurePosixPath

import jinja2

from scaffold.project.layout import templates_root

__all__ = ["skeleton_paths", "skeleton_problems"]

_SUFFIX = ".jinja"
_SKIPPED = ("__pycache__", ".pyc", ".pyo", ".DS_Store")


@cache
def skeleton_paths(*, auth: bool) -> frozenset[PurePosixPath]:
    """The path of every file a new project of this kind has.

    Args:
        auth: Whether the project was made with auth (users and login).
    """
    root = templates_root() / "project" / "template"
    environment = jinja2.Environment(autoescape=False)  # noqa: S701 - file names
    paths = set()
    for path in root.rglob("*"):
        relative = path.relative_to(root).as_posix()
        if not path.is_file() or any(part in relative for part in _SKIPPED):
            continue
        name = environment.from_string(relative).render(auth=auth)
        if name.endswith(_SUFFIX):
            name = name.removesuffix(_SUFFIX)
        parts = name.split("/")
        if all(parts):
            paths.add(PurePosixPath(name))
    return frozenset(paths)


def skeleton_problems(
    name: str, paths: Iterable[PurePosixPath], *, auth: bool
) -> list[str]:
    """The problem of resource ``name`` if ``paths`` include a project file."""
    own = skeleton_paths(auth=auth)
    clashes = [str(path) for path in paths if path in own]
    if not clashes:
        return []
    return [
        f"resource {name!r} would replace the project's own {', '.join(clashes)}, "
        "which scaffold new project wrote; give the resource another name"
    ]
