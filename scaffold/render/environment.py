"""The Jinja environment every rendering command uses, one per project.

Strict (an unknown name is an error, never an empty string), deterministic,
and every constant reaches the generated source through a literal filter.

Templates are found through a chain: first the project's own
``.scaffold/templates/`` (the same relative paths as scaffold's bundled
``templates/``, e.g. ``resource/service.py.jinja``), then the bundled
templates. A project without that directory renders exactly the bundled ones.
"""

from __future__ import annotations

import os
from functools import cache
from pathlib import Path
from typing import Any

import jinja2

from scaffold.errors import ScaffoldError
from scaffold.project.layout import overrides_dir, templates_root
from scaffold.render.literals import py_literal

__all__ = [
    "environment",
    "render",
    "render_macro",
    "render_template",
    "template_loader",
]


def _bytecode_cache() -> jinja2.BytecodeCache | None:
    """Jinja's cache of compiled templates, in the user's cache directory.

    Compiling the templates is most of the work of a small ``add resource``;
    the cache is keyed by each template's name, file and source, so an edited
    or overridden template is compiled afresh. Without a writable cache
    directory, nothing is cached.
    """
    base = os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache"
    directory = Path(base) / "scaffold" / "jinja"
    try:
        directory.mkdir(parents=True, exist_ok=True)
    except OSError:
        return None
    return jinja2.FileSystemBytecodeCache(str(directory))


def template_loader(project: Path | None) -> jinja2.ChoiceLoader:
    """The template search path of ``project``: its overrides, then the bundled.

    Template names are relative to ``templates/``: ``resource/model.py.jinja``,
    ``job/job.py.jinja``. With ``project`` None, only the bundled templates.
    """
    loaders: list[jinja2.BaseLoader] = []
    if project is not None:
        loaders.append(jinja2.FileSystemLoader(overrides_dir(project)))
    loaders.append(jinja2.FileSystemLoader(templates_root()))
    return jinja2.ChoiceLoader(loaders)


@cache
def _environment(project: Path | None) -> jinja2.Environment:
    result = jinja2.Environment(
        loader=template_loader(project),
        bytecode_cache=_bytecode_cache(),
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
        autoescape=False,  # noqa: S701 - the output is Python source, not HTML
    )
    result.filters["py"] = py_literal
    result.filters["pyjson"] = repr
    return result


def environment(project: Path | None = None) -> jinja2.Environment:
    """The environment of ``project`` (built once per project and process).

    Args:
        project: The project's root directory, whose ``.scaffold/templates/``
            is searched first; None for the bundled templates only.
    """
    return _environment(None if project is None else project.resolve())


def render(name: str, /, *, project: Path | None = None, **context: Any) -> str:
    """Render template ``name`` (relative to ``templates/``) with ``context``.

    Raises:
        ScaffoldError: The template is missing or uses an unknown name (a bug
            in scaffold's templates or in the project's override, reported
            with the template's file and line).
    """
    try:
        return environment(project).get_template(name).render(**context)
    except jinja2.TemplateError as exc:
        where = getattr(exc, "lineno", None)
        line = f", line {where}" if where else ""
        raise ScaffoldError(
            f"template {name}{line} failed: {exc}; nothing was written: "
            "fix it if it is the project's own (under .scaffold/templates/), "
            "else please report this bug"
        ) from exc


def render_macro(
    name: str, macro: str, /, *args: Any, project: Path | None = None
) -> str:
    """Call ``macro`` of template ``name`` (e.g. ``resource/_macros.jinja``).

    For the code that scaffold edits into an existing file: its shape comes
    from the same macro the templates print.

    Raises:
        ScaffoldError: See :func:`render`.
    """
    try:
        module = environment(project).get_template(name).module
        return str(getattr(module, macro)(*args))
    except jinja2.TemplateError as exc:
        raise ScaffoldError(
            f"template {name}, macro {macro} failed: {exc}; nothing was written: "
            "fix it if it is the project's own (under .scaffold/templates/), "
            "else please report this bug"
        ) from exc


def render_template(
    name: str, /, *, project: Path | None = None, **context: Any
) -> str:
    """Render resource template ``name`` (e.g. ``model.py.jinja``).

    Raises:
        ScaffoldError: See :func:`render`.
    """
    return render(f"resource/{name}", project=project, **context)
