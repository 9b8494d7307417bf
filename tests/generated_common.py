"""The generated projects' ``app/schemas/common.py``, imported from the templates.

The input types of generated schemas (``IsoDate``, ``DecimalText``, ``Email``...)
live there; tests that validate like a generated schema use the real ones.
"""

from __future__ import annotations

import importlib.util
from functools import cache
from types import ModuleType
from typing import Any

from scaffold.project.layout import templates_root


@cache
def generated_common() -> ModuleType:
    """The template's ``common.py``, imported once (it is not a Jinja template)."""
    path = templates_root() / "project" / "template" / "app" / "schemas" / "common.py"
    spec = importlib.util.spec_from_file_location("generated_common", path)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def common_names() -> dict[str, Any]:
    """The public names of :func:`generated_common`, as a namespace."""
    module = generated_common()
    return {name: getattr(module, name) for name in dir(module) if name[:1].isupper()}
