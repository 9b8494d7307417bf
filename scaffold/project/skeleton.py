"""The project's own files: everything ``scaffold new project`` writes.

A resource never replaces one of them (``add resource user`` in a project with
auth would otherwise land on the project's ``User`` model, its layers and its
tests). The list is read from the Copier template itself, so it follows the
template as it changes.
"""

from __future__ import annotations

import tomllib
from collections.abc import Iterable, Mapping
from functools import cache
from pathlib import Path, PurePosixPath

import jinja2

from scaffold.project.layout import templates_root
from scaffold.render.environment import bytecode_cache

__all__ = [
    "dependency_names",
    "release_template",
    "render_skeleton",
    "skeleton_paths",
    "skeleton_problems",
]

_SUFFIX = ".jinja"
_SKIPPED = ("__pycache__", ".pyc", ".pyo", ".DS_Store")


@cache
def skeleton_paths(*, auth: bool, jobs: bool = False) -> frozenset[PurePosixPath]:
    """The path of every file a new project of this kind has.

    Args:
        auth: Whether the project was made with auth (users and login).
        jobs: Whether it was made with background jobs.
    """
    root = templates_root() / "project" / "template"
    relatives = []
    for path in sorted(root.rglob("*")):
        relative = path.relative_to(root).as_posix()
        if path.is_file() and not any(part in relative for part in _SKIPPED):
            relatives.append(relative)
    # Most names are plain; the few with Jinja in them go into one template,
    # a line each, compiled once. A name rendered empty stays an empty line.
    templated = "\n".join(name for name in relatives if "{" in name)
    environment = jinja2.Environment(
        loader=jinja2.DictLoader({"skeleton names": templated}),
        autoescape=False,  # noqa: S701 - file names, not HTML
        bytecode_cache=bytecode_cache(),
    )
    rendered = environment.get_template("skeleton names").render(auth=auth, jobs=jobs)
    plain = [name for name in relatives if "{" not in name]
    paths = set()
    for name in [*plain, *rendered.split("\n")]:
        parts = name.removesuffix(_SUFFIX).split("/")
        if all(parts):
            paths.add(PurePosixPath(*parts))
    return frozenset(paths)


@cache
def dependency_names() -> frozenset[str]:
    """The canonical names of the packages a new project depends on directly.

    Read from the project template's ``pyproject.toml``, rendered with every
    option on, for each database (``fastapi``, ``pydantic-settings``...).
    """
    from packaging.requirements import Requirement
    from packaging.utils import canonicalize_name

    template = templates_root() / "project" / "template" / "pyproject.toml.jinja"
    source = jinja2.Environment(autoescape=False).from_string(  # noqa: S701 - TOML
        template.read_text(encoding="utf-8")
    )
    names: set[str] = set()
    for database in ("sqlite", "postgres"):
        answers = {"auth": True, "jobs": True, "database": database}
        data = tomllib.loads(source.render(project_name="x", **answers))
        project = data.get("project", {})
        requirements = [
            *project.get("dependencies", []),
            *(r for g in project.get("optional-dependencies", {}).values() for r in g),
            *(r for g in data.get("dependency-groups", {}).values() for r in g),
        ]
        names.update(canonicalize_name(Requirement(r).name) for r in requirements)
    return frozenset(names)


def skeleton_problems(
    name: str, paths: Iterable[PurePosixPath], *, auth: bool, jobs: bool = False
) -> list[str]:
    """The problem of resource ``name`` if ``paths`` include a project file."""
    own = skeleton_paths(auth=auth, jobs=jobs)
    clashes = [str(path) for path in paths if path in own]
    if not clashes:
        return []
    return [
        f"resource {name!r} would replace the project's own {', '.join(clashes)}, "
        "which scaffold new project wrote; give the resource another name"
    ]


def release_template(version: str) -> Path | None:
    """The frozen project template of released ``version``, if scaffold has it."""
    path = templates_root() / "releases" / version / "project"
    return path if (path / "copier.yml").is_file() else None


def render_skeleton(
    template: Path,
    answers: Mapping[str, object],
    *,
    overrides: Mapping[str, str] | None = None,
) -> dict[PurePosixPath, str]:
    """Every file the Copier template ``template`` renders with ``answers``.

    Only the answers the template asks for are given to it, so an older
    template renders a project that recorded newer answers as it did then.

    Args:
        template: A Copier template (holding ``copier.yml``).
        answers: The project's answers.
        overrides: The project's own files of the template: each name relative
            to ``template`` (``template/app/main.py.jinja``) → its text. They
            replace the template's files of the same name; a name the template
            does not have is left out (``scaffold check`` reports it).
    """
    import shutil
    import tempfile

    import yaml
    from copier import run_copy

    questions = yaml.safe_load((template / "copier.yml").read_text(encoding="utf-8"))
    data = {key: value for key, value in answers.items() if key in questions}
    with tempfile.TemporaryDirectory(prefix="scaffold-skeleton-") as scratch:
        if overrides:
            template = Path(shutil.copytree(template, Path(scratch) / "template"))
            for name, text in overrides.items():
                if (template / name).is_file():
                    (template / name).write_text(text, encoding="utf-8")
        root = Path(scratch) / "project"
        run_copy(
            str(template),
            root,
            data=data,
            defaults=True,
            overwrite=True,
            quiet=True,
            skip_tasks=True,
        )
        return {
            PurePosixPath(path.relative_to(root).as_posix()): path.read_text(
                encoding="utf-8"
            )
            for path in sorted(root.rglob("*"))
            if path.is_file()
        }
