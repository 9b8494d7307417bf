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
from collections.abc import Callable, Iterator, Mapping
from contextlib import contextmanager
from functools import cache
from pathlib import Path
from typing import Any, cast

import jinja2

from scaffold.errors import ScaffoldError
from scaffold.project.layout import overrides_dir, templates_root
from scaffold.render.literals import py_literal

__all__ = [
    "ProjectLoader",
    "bytecode_cache",
    "environment",
    "pending_overrides",
    "render",
    "render_macro",
    "render_template",
    "template_loader",
]


@cache
def bytecode_cache() -> jinja2.BytecodeCache | None:
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


class ProjectLoader(jinja2.BaseLoader):
    """A project's templates first, then the bundled ones.

    A bundled template the environment has compiled counts as out of date as
    soon as the project gets its own, so an override added while a process
    runs is used from the next render on.
    """

    def __init__(self, project: Path | None) -> None:
        #: Texts that stand in for the project's files while a change that
        #: rewrites them (``scaffold upgrade``) renders with their new text.
        self.pending: dict[str, str] = {}
        self.overrides = None if project is None else overrides_dir(project)
        self.bundled = jinja2.FileSystemLoader(templates_root())
        self.own = (
            None if self.overrides is None else jinja2.FileSystemLoader(self.overrides)
        )

    def get_source(
        self, environment: jinja2.Environment, template: str
    ) -> tuple[str, str | None, Callable[[], bool] | None]:
        if template in self.pending:
            return self.pending[template], None, lambda: False
        source, filename, uptodate = self._find(environment, template)

        def fresh() -> bool:
            return (uptodate is None or uptodate()) and template not in self.pending

        return source, filename, fresh

    def _find(
        self, environment: jinja2.Environment, template: str
    ) -> tuple[str, str | None, Callable[[], bool] | None]:
        if self.own is not None:
            try:
                return self.own.get_source(environment, template)
            except jinja2.TemplateNotFound:
                pass
        source, filename, uptodate = self.bundled.get_source(environment, template)
        if self.overrides is None:
            return source, filename, uptodate
        shadow = self.overrides / template

        def fresh() -> bool:
            return (uptodate is None or uptodate()) and not shadow.exists()

        return source, filename, fresh

    def list_templates(self) -> list[str]:
        own = [] if self.own is None else self.own.list_templates()
        return sorted({*own, *self.bundled.list_templates()})


def template_loader(project: Path | None) -> ProjectLoader:
    """The template search path of ``project``: its overrides, then the bundled.

    Template names are relative to ``templates/``: ``resource/model.py.jinja``,
    ``job/job.py.jinja``. With ``project`` None, only the bundled templates.
    """
    return ProjectLoader(project)


@cache
def _environment(project: Path | None) -> jinja2.Environment:
    result = jinja2.Environment(
        loader=template_loader(project),
        bytecode_cache=bytecode_cache(),
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
        autoescape=False,  # noqa: S701 - the output is Python source, not HTML
    )
    result.filters["py"] = py_literal
    result.filters["pyjson"] = repr
    return result


@contextmanager
def pending_overrides(project: Path, texts: Mapping[str, str]) -> Iterator[None]:
    """Render the project's overrides ``texts`` (name → text) instead of its
    files of those names, inside the ``with`` block.
    """
    loader = cast(ProjectLoader, environment(project).loader)
    loader.pending = dict(texts)
    try:
        yield
    finally:
        loader.pending = {}


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
