"""Strings that match a field's pattern, drawn from the regex's own parse tree."""

from __future__ import annotations

import re
import re._constants as sre_constants
import re._parser as sre_parser
import string
from collections.abc import Callable
from typing import Any

__all__ = ["from_regex"]


def from_regex(pattern: str, seed: int) -> str | None:
    """A string matching ``pattern``, varied by ``seed``; None if unsupported."""
    try:
        parsed = sre_parser.parse(pattern)
    except re.error:
        return None
    counter = [seed]

    def pick(options: int) -> int:
        choice = counter[0] % options
        counter[0] //= options
        counter[0] += choice * 7 + 3
        return choice

    def emit(items: Any) -> str | None:
        out = []
        for op, argument in items:
            piece = emit_one(op, argument)
            if piece is None:
                return None
            out.append(piece)
        return "".join(out)

    def emit_one(op: Any, argument: Any) -> str | None:
        if op is sre_constants.LITERAL:
            return chr(argument)
        if op in (sre_constants.AT, sre_constants.NOT_LITERAL):
            return (
                "" if op is sre_constants.AT else ("a" if argument != ord("a") else "b")
            )
        if op is sre_constants.ANY:
            return "abcdefghij"[pick(10)]
        if op is sre_constants.IN:
            return _from_class(argument, pick)
        if op is sre_constants.BRANCH:
            branches = argument[1]
            return emit(branches[pick(len(branches))])
        if op is sre_constants.SUBPATTERN:
            return emit(argument[-1])
        if op in (sre_constants.MAX_REPEAT, sre_constants.MIN_REPEAT):
            low, high, body = argument
            high = low + 15 if high is sre_constants.MAXREPEAT else high
            count = low + pick(high - low + 1) if high > low else low
            parts = [emit(body) for _ in range(count)]
            return None if None in parts else "".join(p for p in parts if p is not None)
        return None

    return emit(parsed)


_POOL = string.ascii_letters + string.digits + "-_."


def _from_class(items: Any, pick: Callable[[int], int]) -> str | None:
    """A character of a character class; a negated class draws from _POOL."""
    negated = bool(items) and items[0][0] is sre_constants.NEGATE
    characters: list[str] = []
    for op, argument in items[1:] if negated else items:
        if op is sre_constants.LITERAL:
            characters.append(chr(argument))
        elif op is sre_constants.RANGE:
            low, high = argument
            characters.extend(chr(code) for code in range(low, min(high, low + 25) + 1))
        elif op is sre_constants.CATEGORY:
            characters.extend(
                {
                    sre_constants.CATEGORY_DIGIT: string.digits,
                    sre_constants.CATEGORY_WORD: string.ascii_letters + "_",
                    sre_constants.CATEGORY_SPACE: " \t",
                }.get(argument, "")
            )
    if negated:
        excluded = set(characters)
        characters = [c for c in _POOL if c not in excluded]
    return characters[pick(len(characters))] if characters else None
