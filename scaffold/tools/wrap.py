"""Wrap the prose of generated Python that ``ruff format`` leaves too long.

Names go into comments, docstrings and descriptions: with long resource or field
names (``borrowed_book``, ``a_field_named_at_length``) a line of prose outgrows
the project's line limit, which ``ruff format`` does not fix for text. This pass
runs after it and wraps, without changing any value:

* a comment-only line, into several comment lines;
* a line of a docstring, into several lines of the same docstring;
* a lone double-quoted string or f-string argument (``description="..."``),
  into an implicit concatenation of shorter strings in parentheses;
* the name of a generated test function, by leaving out its filler words
  (``a``, ``the``, ``its``...), then its last words: pytest finds a test by
  its prefix, and nothing else names it;
* a parameter or attribute annotated with one long name
  (``publisher: ExtraordinarilyLongPublisher,``), by putting the annotation in
  parentheses on a line of its own, which ``ruff format`` keeps.
"""

from __future__ import annotations

import ast
import re
import textwrap
from collections.abc import Iterator

__all__ = ["LINE_LIMIT", "wrap_long_lines"]

LINE_LIMIT = 88
"""The generated project's ruff ``line-length``."""

_COMMENT = re.compile(r"(?P<indent>\s*)# (?P<text>.*)")
_ARGUMENT = re.compile(
    r'(?P<indent>\s*)(?P<name>\w+=|"[\w-]+": )?(?P<f>f?)"(?P<text>[^"\\]*)"'
    r"(?P<comma>,?)"
)
_ANNOTATED = re.compile(
    r"(?P<indent>\s+)(?P<name>\w+): (?P<annotation>[\w.]+)(?P<comma>,?)"
)
_TEST = re.compile(r"(?P<head>(?:async )?def )(?P<name>test_\w+)(?P<tail>\(.*)")
_FILLERS = {"a", "an", "the", "its", "their", "of", "to", "that", "and", "what"}


def _statements(body: list[ast.stmt]) -> Iterator[ast.stmt]:
    """Every statement of ``body``, and of the blocks nested in it."""
    for node in body:
        yield node
        for block in ("body", "orelse", "finalbody", "handlers", "cases"):
            nested = getattr(node, block, None)
            if isinstance(nested, list):
                yield from _statements(nested)


def _docstring_lines(source: str) -> set[int]:
    """The 0-based numbers of the lines that a docstring's text is on.

    A docstring here is a triple-quoted string standing as a statement of its
    own: a module's, a class's, a function's or an attribute's.
    """
    try:
        tree = ast.parse(source)
    except (SyntaxError, ValueError):
        return set()
    lines = source.split("\n")
    found: set[int] = set()
    for node in _statements(tree.body):
        if (
            isinstance(node, ast.Expr)
            and isinstance(node.value, ast.Constant)
            and isinstance(node.value.value, str)
            and lines[node.lineno - 1].startswith('"""', node.col_offset)
            and node.end_lineno is not None
        ):
            found.update(range(node.lineno - 1, node.end_lineno))
    return found


def _wrap_docstring_line(line: str, limit: int) -> list[str]:
    indent = line[: len(line) - len(line.lstrip())]
    body = line.strip()
    opening = '"""' if body.startswith('"""') else ""
    closing = '"""' if body.endswith('"""') and len(body) > 3 else ""
    text = body[len(opening) : len(body) - len(closing)]
    if " " not in text:
        return [line]
    # An argument's description goes on indented under its name.
    hanging = "    " if re.match(r"\*{0,2}\w+( \(.*\))?: ", text) else ""
    wrapped = textwrap.wrap(
        opening + text + closing,
        width=limit,
        initial_indent=indent,
        subsequent_indent=indent + hanging,
        break_long_words=False,
        break_on_hyphens=False,
    )
    return wrapped or [line]


def _wrap_argument(
    match: re.Match[str], limit: int, *, sole: bool = False
) -> list[str] | None:
    """The string argument on ``match``'s line, as parts of one string.

    The parts go in parentheses, unless the string is the call's only
    argument: the call's own parentheses then hold them (a second pair is
    extraneous).
    """
    indent, name, text = match["indent"], match["name"] or "", match["text"]
    formatted = bool(match["f"])
    if formatted and ("{{" in text or "}}" in text):
        return None
    bare = sole and not name
    inner = indent if bare else indent + "    "
    width = limit - len(inner) - 2 - len(match["f"])
    # a word longer than a line is cut (the text has no escapes to split),
    # unless it holds a replacement field
    words = [
        word[start : start + width - 1]
        for word in re.findall(r"\S+\s*", text)
        for start in range(0, len(word), len(word) if "{" in word else width - 1)
    ]
    if not words or width < 8:
        return None
    if len(text) <= width:  # it fits once in parentheses: ruff keeps it whole
        words = [text]
    parts: list[str] = []
    for word in words:
        if parts and len(parts[-1] + word.rstrip()) <= width - 1:
            parts[-1] += word
        else:
            parts.append(word)
    prefixes = ["f" if formatted and "{" in part else "" for part in parts]
    strings = [f'{inner}{f}"{part}"' for f, part in zip(prefixes, parts, strict=True)]
    if bare:
        return strings
    return [f"{indent}{name}(", *strings, f"{indent}){match['comma']}"]


def _short_test_name(name: str, room: int) -> str:
    """``name`` within ``room`` characters: fillers out (first ones first), then
    last words."""
    words = name.split("_")
    while len("_".join(words)) > room:
        fillers = [i for i, word in enumerate(words) if i and word in _FILLERS]
        if fillers:
            del words[fillers[0]]
        elif len(words) > 2:
            words.pop()
        else:
            break
    return "_".join(words)


def wrap_long_lines(source: str, limit: int = LINE_LIMIT) -> str:
    """Wrap the comments, docstrings and string arguments longer than ``limit``.

    Args:
        source: Formatted Python source.
        limit: The line limit.

    Returns:
        The source, with every such line wrapped; other lines are unchanged.
    """
    lines = source.split("\n")
    if all(len(line) <= limit for line in lines):
        return source
    docstrings = _docstring_lines(source)
    out: list[str] = []
    for number, line in enumerate(lines):
        if len(line) <= limit:
            out.append(line)
            continue
        comment = _COMMENT.fullmatch(line)
        argument = _ARGUMENT.fullmatch(line)
        if number in docstrings:
            out.extend(_wrap_docstring_line(line, limit))
        elif comment:
            prefix = comment["indent"] + "# "
            out.extend(
                textwrap.wrap(
                    comment["text"],
                    width=limit,
                    initial_indent=prefix,
                    subsequent_indent=prefix,
                    break_long_words=False,
                    break_on_hyphens=False,
                )
                or [line]
            )
        elif annotated := _ANNOTATED.fullmatch(line):
            indent = annotated["indent"]
            out += [
                f"{indent}{annotated['name']}: (",
                f"{indent}    {annotated['annotation']}",
                f"{indent}){annotated['comma']}",
            ]
        elif test := _TEST.fullmatch(line):
            name = _short_test_name(test["name"], limit - len(test["head"]) - 1)
            out.append(f"{test['head']}{name}{test['tail']}")
        elif argument:
            sole = (
                number > 0
                and lines[number - 1].endswith("(")
                and number + 1 < len(lines)
                and lines[number + 1].lstrip().startswith(")")
                and not argument["comma"]
            )
            out.extend(_wrap_argument(argument, limit, sole=sole) or [line])
        else:
            out.append(line)
    return "\n".join(out)
