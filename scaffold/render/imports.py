"""The imports of a generated module, collected as data and rendered once.

The view adds what each decision needs (``imports.add("decimal",
"Decimal")`` because a field is a decimal); the template prints
:meth:`Imports.lines`: one line per module, names merged and sorted, modules
grouped as isort groups them (standard library, third party, the project).
"""

from __future__ import annotations

import sys
from collections.abc import Iterable, Iterator

from scaffold.render.literals import Names

__all__ = ["Imports"]

#: Top-level packages of a generated project (its first-party imports).
_PROJECT_PACKAGES = frozenset({"app", "tests"})


def _group(module: str) -> int:
    top = module.partition(".")[0]
    if top in sys.stdlib_module_names:
        return 0
    return 2 if top in _PROJECT_PACKAGES else 1


class Imports:
    """What one generated module imports: module → names, and plain modules."""

    def __init__(self) -> None:
        self._names: dict[str, set[str]] = {}
        self._modules: set[str] = set()

    def add(self, module: str, *names: str) -> None:
        """Import ``names`` from ``module``; with no names, ``import module``."""
        if names:
            self._names.setdefault(module, set()).update(names)
        else:
            self._modules.add(module)

    def add_datetime(self, spelling: Names, names: Iterable[str]) -> None:
        """Import ``names`` of :mod:`datetime` as ``spelling`` spells them.

        In a module where a field shadows them, the module itself is imported
        under an alias (``import datetime as dt``) and the names are qualified.
        """
        wanted = set(names)
        if not wanted:
            return
        if spelling.qualified:
            self._modules.add(f"datetime as {spelling.alias}")
        else:
            self.add("datetime", *wanted)

    def __bool__(self) -> bool:
        return bool(self._names or self._modules)

    def lines(self) -> list[str]:
        """The import statements, grouped and sorted, groups apart by a blank line."""
        statements = [
            (_group(module), module, f"import {module}") for module in self._modules
        ] + [
            (_group(module), module, f"from {module} import {', '.join(sorted(names))}")
            for module, names in self._names.items()
        ]
        lines: list[str] = []
        previous = None
        for group, _, line in sorted(statements):
            if previous is not None and group != previous:
                lines.append("")
            lines.append(line)
            previous = group
        return lines

    def __iter__(self) -> Iterator[str]:
        return iter(self.lines())
