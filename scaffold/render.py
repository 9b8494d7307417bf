"""The Jinja environment of the resource templates.

Strict (an unknown name is an error, never an empty string), deterministic,
and every constant reaches the generated source through a literal filter.
"""

from __future__ import annotations

from functools import cache
from typing import Any

import jinja2

from scaffold.errors import ScaffoldError
from scaffold.paths import templates_root
from scaffold.view import py_literal

__all__ = ["render_template"]


@cache
def _environment() -> jinja2.Environment:
    environment = jinja2.Environment(
        loader=jinja2.FileSystemLoader(templates_root() / "resource"),
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
