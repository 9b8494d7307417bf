"""inflect, imported on first use only and without its run-time type checks.

inflect 7 decorates its methods with typeguard's ``@typechecked``, which re-parses
and recompiles the whole inflect module once per decorated method, about 1.6 s on
our machines, while ``scaffold add resource`` has a start-up budget of 0.3 s. The
checks only guard against calling inflect with non-strings, which we never do.
"""

from __future__ import annotations

import importlib
import sys
import types
from functools import cache
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    import inflect

__all__ = ["inflect_engine"]


def _no_typecheck(target: Any = None, **_options: Any) -> Any:
    """Stand in for ``typeguard.typechecked`` while inflect is imported."""
    if target is None:
        return _no_typecheck
    return target


def _import_inflect() -> types.ModuleType:
    """Import inflect with typeguard's decorator made a no-op (see module doc)."""
    if "inflect" in sys.modules:
        return sys.modules["inflect"]
    real_typeguard = sys.modules.get("typeguard")
    stub = types.ModuleType("typeguard")
    stub.__dict__["typechecked"] = _no_typecheck
    sys.modules["typeguard"] = stub
    try:
        return importlib.import_module("inflect")
    except ImportError:
        # A future inflect may need more of typeguard: fall back to a plain import.
        for loaded in [m for m in sys.modules if m.partition(".")[0] == "inflect"]:
            del sys.modules[loaded]
    finally:
        if real_typeguard is None:
            del sys.modules["typeguard"]
        else:
            sys.modules["typeguard"] = real_typeguard
    return importlib.import_module("inflect")


@cache
def inflect_engine() -> inflect.engine:
    """The inflect engine that plurals and singulars come from."""
    engine: inflect.engine = _import_inflect().engine()
    return engine
