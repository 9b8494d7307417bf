"""How constants and imported names are spelled in generated source."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from decimal import Decimal

__all__ = ["Names", "py_literal", "with_article"]


def py_literal(value: object) -> str:
    """Python source for a constant: a default or a test value, never code."""
    if isinstance(value, str) and "\\" in value and _raw_safe(value):
        return f'r"{value}"'
    if isinstance(value, Decimal):
        return f'Decimal("{value}")'
    if isinstance(value, dt.datetime):
        return repr(value).replace("datetime.timezone.utc", "UTC")
    return repr(value)


def with_article(noun: str) -> str:
    """The noun with its indefinite article: ``a book``, ``an author``."""
    article = "an" if noun[:1] in "aeiou" else "a"
    return f"{article} {noun}"


def _raw_safe(text: str) -> bool:
    """Whether ``r"text"`` spells ``text`` exactly (and stays on one line)."""
    return text.isprintable() and '"' not in text and not text.endswith("\\")


class Names:
    """Spell imported names so that no field name shadows them.

    A field may be called ``date`` or ``datetime``; in a module with such a
    field the ``datetime`` module is imported as ``dt`` and used qualified.
    """

    def __init__(self, field_names: Iterable[str]) -> None:
        taken = set(field_names)
        self.qualified = bool(taken & {"date", "datetime", "time", "dt"})
        self.alias = "_dt" if "dt" in taken else "dt"

    def datetime_name(self, name: str) -> str:
        return f"{self.alias}.{name}" if self.qualified else name
