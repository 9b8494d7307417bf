"""The revisions a release ships for projects upgraded from it.

``templates/releases/VERSION/upgrade/NAME.py.jinja`` takes the skeleton's own
tables of a project made by VERSION to the installed version's schema. It is
rendered with the project's answers and ``m`` (the new revision: id, parent,
date); a template that renders to blank text does not apply to the project.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from functools import partial

import jinja2

from scaffold.migrations.revision import Revision
from scaffold.project.layout import templates_root
from scaffold.render.literals import py_literal

__all__ = ["release_revisions", "release_versions"]


def _render(
    template: jinja2.Template, answers: Mapping[str, object], revision: Revision
) -> str:
    return template.render(**answers, m=revision)


def release_revisions(
    version: str, answers: Mapping[str, object]
) -> list[tuple[str, Callable[[Revision], str]]]:
    """Each upgrade revision of release ``version``: its name, and its renderer.

    Returns:
        ``(stem, render)`` pairs in name order; ``render(revision)`` is the
        file's text (blank when it does not apply to the project).
    """
    folder = templates_root() / "releases" / version / "upgrade"
    if not folder.is_dir():
        return []
    environment = jinja2.Environment(
        loader=jinja2.FileSystemLoader(folder),
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
        autoescape=False,  # noqa: S701 - the output is Python source, not HTML
    )
    environment.filters["py"] = py_literal
    return [
        (
            path.name.removesuffix(".py.jinja"),
            partial(_render, environment.get_template(path.name), answers),
        )
        for path in sorted(folder.glob("*.py.jinja"))
    ]


def release_versions() -> list[str]:
    """The releases that ship upgrade revisions, oldest first."""
    from scaffold.project.steps import parse_version

    releases = templates_root() / "releases"
    found = [path.parent.name for path in releases.glob("*/upgrade")]
    return sorted(found, key=parse_version)
