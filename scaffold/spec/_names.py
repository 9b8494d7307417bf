"""Rules for field names: ASCII snake_case that clashes with nothing generated."""

from __future__ import annotations

import builtins
import keyword
import unicodedata

from scaffold.spec._reserved import RESERVED_FIELDS, RESERVED_PREFIXES
from scaffold.spec.naming import (
    MAX_IDENTIFIER_BYTES,
    describe_non_ascii,
    is_snake_case,
    to_snake,
)

__all__ = ["ALLOWED_BUILTINS", "field_name_problems", "fold"]

ALLOWED_BUILTINS = frozenset(
    {
        "type", "format", "filter", "hash", "input", "license", "copyright",
        "credits", "range", "round", "zip", "map", "next", "open", "help",
        "vars", "slice", "min", "max", "sum",
    }
)  # fmt: skip
"""Builtins accepted as field names: too common in real models to refuse (a
book's format, a course's credits, an address's zip), and harmless as
attributes, since no generated class body uses them; generated functions use
``FieldSpec.param_name`` (``type_``)."""

_BUILTINS = (
    frozenset(name for name in dir(builtins) if not name.startswith("_"))
    - ALLOWED_BUILTINS
)


def fold(name: str) -> str:
    """The key two names must not share: NFKC-normalised and case-folded."""
    return unicodedata.normalize("NFKC", name).casefold()


def _shape_problem(name: str) -> str | None:
    if is_snake_case(name):
        return None
    rule = (
        "use lowercase letters, digits and single underscores, starting with a letter"
    )
    if name.startswith("_"):
        return (
            "starts with an underscore, which generated code keeps for private "
            f"names; {rule}"
        )
    if name[0].isdigit():
        return f"starts with a digit; {rule}"
    suggestion = to_snake(name).strip("_")
    while "__" in suggestion:
        suggestion = suggestion.replace("__", "_")
    if is_snake_case(suggestion):
        return f"is not snake_case; {rule}; did you mean {suggestion!r}?"
    return f"is not a valid name; {rule}"


def field_name_problems(name: str, *, prefix: str | None = None) -> list[str]:
    """Return every problem with a field name (empty when it is fine).

    Args:
        name: The field name as written.
        prefix: The resource's snake_case name, used to suggest a renaming
            (``book_class`` for ``class``).
    """
    shown = f"field name {name!r}"
    if not name:
        return ["field name is empty; write name:type, e.g. 'title:str'"]
    non_ascii = describe_non_ascii(name)
    if non_ascii:
        return [f"{shown} {non_ascii}"]
    shape = _shape_problem(name)
    if shape:
        return [f"{shown} {shape}"]
    rename = f"e.g. {prefix + '_' + name!r}" if prefix else "another name"
    problems: list[str] = []
    if name in RESERVED_FIELDS:
        problems.append(f"{shown} {RESERVED_FIELDS[name]}")
    elif keyword.iskeyword(name):
        problems.append(f"{shown} is a Python keyword; use {rename}")
    elif name in _BUILTINS:
        problems.append(
            f"{shown} would shadow the Python builtin {name!r}; use {rename}"
        )
    for reserved, why in RESERVED_PREFIXES.items():
        if name.startswith(reserved):
            problems.append(f"{shown}: {why}; use {rename}")
    if len(name) > MAX_IDENTIFIER_BYTES:
        problems.append(
            f"{shown} has {len(name)} characters, past PostgreSQL's limit of "
            f"{MAX_IDENTIFIER_BYTES} for column names; shorten it"
        )
    return problems
