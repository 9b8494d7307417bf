"""The Jinja environment of the resource templates.

Strict (an unknown name is an error, never an empty string), deterministic,
and every constant reaches the generated source through a literal filter.
"""

from __future__ import annotations

import os
from functools import cache
from pathlib import Path
from typing import Any

import jinja2

from scaffold.errors import ScaffoldError
from scaffold.project.layout import templates_root
from scaffold.render.literals import py_literal

__all__ = ["render_template"]


def _bytecode_cache() -> jinja2.BytecodeCache | None:
    """Jinja's cache of compiled templates, in the user's cache directory.

    Compiling the templates is most of the work of a small ``add resource``;
    the cache is keyed by each template's source, so an edited template is
    compiled afresh. Without a writable cache directory, nothing is cached.
    """
    base = os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache"
    directory = Path(base) / "scaffold" / "jinja"
    try:
        directory.mkdir(parents=True, exist_ok=True)
    except OSError:
        return None
    return jinja2.FileSystemBytecodeCache(str(directory))


@cache
def _environment() -> jinja2.Environment:
    environment = jinja2.Environment(
        loader=jinja2.FileSystemLoader(templates_root() / "resource"),
        bytecode_cache=_bytecode_cache(),
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
        autoescape=False,  # noqa: S701 - the output is Python source, not HTML
    )
    environment.filters["py"] = py_literal
    environment.filters["pyjson"] = repr
    return environment


def render_template(name: str, **context: Any) -> str:
    """Render resource template ``name`` with ``context``.

    Raises:
        ScaffoldError: The template is missing or uses an unknown name (a bug
            in scaffold's templates, reported with the template and line).
    """
    try:
        return _environment().get_template(name).render(**context)
    except jinja2.TemplateError as exc:
        where = getattr(exc, "lineno", None)
        line = f", line {where}" if where else ""
        raise ScaffoldError(
            f"template {name}{line} failed: {exc}; nothing was written: "
            "please report this bug"
        ) from exc
