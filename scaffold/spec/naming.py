"""Names of a resource: spellings, English plurals and the names derived from them.

A resource may be named ``book``, ``BookReview``, ``book-review`` or
``book_review``; every spelling is normalised to snake_case first and every other
name (class, module, table, URL segment) is derived from that. Plurals come from
the ``inflect`` library (``person`` -> ``people``, ``series`` -> ``series``) and
can always be overridden.

``inflect`` is imported on first use only, and without its run-time type checks:
inflect 7 decorates its methods with typeguard's ``@typechecked``, which re-parses
and recompiles the whole inflect module once per decorated method, about 1.6 s on
our machines, while ``scaffold add resource`` has a start-up budget of 0.3 s. The
checks only guard against calling inflect with non-strings, which we never do.
"""

from __future__ import annotations

import builtins
import difflib
import keyword
import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass
from functools import cache
from typing import TYPE_CHECKING

from scaffold.errors import SpecError
from scaffold.spec.inflection import inflect_engine

if TYPE_CHECKING:
    pass

__all__ = [
    "MAX_IDENTIFIER_BYTES",
    "NameProblem",
    "ResourceNames",
    "check_resource_names",
    "describe_non_ascii",
    "did_you_mean",
    "is_snake_case",
    "pluralize",
    "resource_names",
    "singularize",
    "to_kebab",
    "to_pascal",
    "to_snake",
]

MAX_IDENTIFIER_BYTES = 63
"""PostgreSQL's limit for table, column, index and constraint names."""


def _words(text: str) -> frozenset[str]:
    """The whitespace-separated words of ``text``."""
    return frozenset(text.split())


_SNAKE_RE = re.compile(r"[a-z][a-z0-9]*(?:_[a-z0-9]+)*")
_SPELLING_RE = re.compile(r"[A-Za-z][A-Za-z0-9]*(?:[_-][A-Za-z0-9]+)*")
_LOWER_THEN_UPPER = re.compile(r"(?<=[a-z0-9])(?=[A-Z])")
_ACRONYM_THEN_WORD = re.compile(r"(?<=[A-Z])(?=[A-Z][a-z])")

# Modules and packages of the generated project a resource module could shadow.
_RESERVED_MODULES = _words(
    """
    alembic api app base common config conftest core database deps endpoints env
    errors health logging main middleware models repositories router schemas
    security services tests v1
    """
)
# Classes the generated modules define or import; a resource class must differ.
_RESERVED_CLASSES = _words(
    """
    APIRouter Annotated Any AppError AsyncSession AwareDatetime Base BaseModel
    ConfigDict ConflictError Decimal Depends EmailStr Enum ErrorResponse Field
    HttpUrl Mapped NotFoundError Query Response SessionDep Settings
    StrEnum TimestampMixin ValidationErrorResponse
    """
)
_BUILTINS = frozenset(name for name in dir(builtins) if not name.startswith("_"))
# Columns every generated table has, so ix_<table>_<column> must fit for them too.
_GENERATED_COLUMNS = ("created_at", "updated_at")
_RESERVED_TABLE_PREFIXES = ("sqlite_", "pg_")
_RESERVED_TABLES = frozenset({"alembic_version"})


def is_snake_case(name: str) -> bool:
    """Tell whether ``name`` is lowercase ASCII snake_case starting with a letter.

    No leading, trailing or doubled underscores: ``book_review`` and ``isbn13``
    are, ``_book``, ``book__review`` and ``Book`` are not.
    """
    return _SNAKE_RE.fullmatch(name) is not None


def to_snake(name: str) -> str:
    """Convert ``BookReview``, ``bookReview`` or ``book-review`` to ``book_review``.

    Acronyms stay one word (``HTTPRequest`` -> ``http_request``). The result is
    not validated; see :func:`check_resource_names`.
    """
    name = name.replace("-", "_").replace(" ", "_")
    name = _ACRONYM_THEN_WORD.sub("_", _LOWER_THEN_UPPER.sub("_", name))
    return name.lower()


def to_pascal(name: str) -> str:
    """Convert any spelling to PascalCase: ``book_review`` -> ``BookReview``."""
    return "".join(word[:1].upper() + word[1:] for word in to_snake(name).split("_"))


def to_kebab(name: str) -> str:
    """Convert any spelling to kebab-case: ``BookReview`` -> ``book-review``."""
    return to_snake(name).replace("_", "-")


@cache
def pluralize(name: str) -> str:
    """Return the plural of a snake_case name, pluralising its last word only.

    ``person`` -> ``people``, ``book_review`` -> ``book_reviews``,
    ``category`` -> ``categories``, ``series`` -> ``series``.
    """
    head, sep, last = to_snake(name).rpartition("_")
    if not last:
        return head + sep
    plural = str(inflect_engine().plural_noun(last)) or last + "s"
    return head + sep + plural.lower()


def singularize(name: str) -> str | None:
    """The singular of a snake_case plural (its last word), or None if not plural.

    ``tags`` -> ``tag``, ``book_reviews`` -> ``book_review``, ``tag`` -> None.
    """
    return _singular_guess(name)


def _singular_guess(name: str) -> str | None:
    head, sep, last = name.rpartition("_")
    singular = inflect_engine().singular_noun(last)
    return head + sep + singular if isinstance(singular, str) and singular else None


def did_you_mean(word: str, candidates: Iterable[str]) -> str:
    """Return ``"; did you mean 'x'?"`` for the closest candidate, or ``""``."""
    options = list(candidates)
    matches = difflib.get_close_matches(word, options, n=1, cutoff=0.6)
    if not matches:
        folded = {option.casefold(): option for option in options}
        matches = [folded[word.casefold()]] if word.casefold() in folded else []
    return f"; did you mean {matches[0]!r}?" if matches else ""


def describe_non_ascii(text: str) -> str | None:
    """Name each non-ASCII character of ``text``, or return None if it has none.

    Homoglyphs (Cyrillic ``U+0430``), invisible characters (U+200B) and bidirectional
    controls (U+202E) all show up by code point and Unicode name.
    """
    seen: dict[str, None] = {}
    for char in text:
        if not char.isascii():
            seen.setdefault(char)
    if not seen:
        return None
    names = ", ".join(
        f"U+{ord(char):04X} {unicodedata.name(char, 'unnamed character')}"
        for char in seen
    )
    return f"contains non-ASCII characters ({names}); use ASCII letters and digits"


@dataclass(frozen=True, slots=True)
class ResourceNames:
    """Every name of one resource, derived once from its (singular) name.

    Attributes:
        singular: snake_case singular, e.g. ``book_review``.
        plural: snake_case plural, e.g. ``book_reviews``; names the endpoint
            module (``app/api/v1/endpoints/<plural>.py``) and the test module.
        class_name: PascalCase model class, e.g. ``BookReview``.
        module: module name in ``app/models``, ``app/schemas``, ``app/services``
            and ``app/repositories``, e.g. ``book_review``.
        table: database table, e.g. ``book_reviews`` (the plural unless overridden).
        url_path: kebab-case plural URL segment, e.g. ``book-reviews``.
        human: lowercase words, e.g. ``book review`` (for messages and docs).
        human_plural: e.g. ``book reviews``.
        instance_var: variable name for one object, e.g. ``book_review``.
        collection_var: variable name for several, e.g. ``book_reviews``; differs
            from ``instance_var`` even when the plural equals the singular
            (``series`` -> ``series_list``).
    """

    singular: str
    plural: str
    class_name: str
    module: str
    table: str
    url_path: str
    human: str
    human_plural: str
    instance_var: str
    collection_var: str


NameProblem = tuple[str, str]
"""A problem with a resource's names: (which name: "name"/"plural"/"table", message)."""


def _spelling_problems(value: str, what: str) -> list[str]:
    shown = f"{what} {value!r}"
    if not value:
        return [f"{what} is empty; give a name such as 'book' or 'BookReview'"]
    non_ascii = describe_non_ascii(value)
    if non_ascii:
        return [f"{shown} {non_ascii}"]
    if _SPELLING_RE.fullmatch(value):
        return []
    if value.startswith("_"):
        reason = "starts with an underscore"
    elif value[0].isdigit():
        reason = "starts with a digit"
    else:
        reason = "is not a name"
    return [
        f"{shown} {reason}; use letters and digits, starting with a letter, with "
        "single '_' or '-' between words (book, BookReview, book-review, book_review)"
    ]


def _identifier_problems(snake: str, what: str, shown: str) -> list[str]:
    problems: list[str] = []
    if keyword.iskeyword(snake):
        problems.append(f"{what} {shown} is a Python keyword; choose another name")
    elif snake in _BUILTINS:
        problems.append(
            f"{what} {shown} would shadow the Python builtin {snake!r}; "
            "choose another name"
        )
    if snake in _RESERVED_MODULES:
        problems.append(
            f"{what} {shown} clashes with the generated project's own module or "
            f"package {snake!r}; choose another name"
        )
    pascal = to_pascal(snake)
    if pascal in _RESERVED_CLASSES or pascal in _BUILTINS:
        problems.append(
            f"{what} {shown} would define class {pascal!r}, which the generated "
            "code already uses; choose another name"
        )
    return problems


def _table_problems(table: str, shown: str) -> list[str]:
    problems: list[str] = []
    longest = max(
        (f"pk_{table}", *(f"ix_{table}_{column}" for column in _GENERATED_COLUMNS)),
        key=len,
    )
    if len(longest) > MAX_IDENTIFIER_BYTES:
        problems.append(
            f"table name {shown} is too long: {longest!r} would have "
            f"{len(longest)} bytes, past PostgreSQL's {MAX_IDENTIFIER_BYTES}; "
            f"keep table names to {MAX_IDENTIFIER_BYTES - 14} characters"
        )
    if table in _RESERVED_TABLES or table.startswith(_RESERVED_TABLE_PREFIXES):
        problems.append(
            f"table name {shown} is reserved by SQLite, PostgreSQL or Alembic "
            "(sqlite_*, pg_*, alembic_version); choose another table name"
        )
    return problems


def check_resource_names(
    name: str, plural: str | None = None, *, table: str | None = None
) -> tuple[ResourceNames | None, list[NameProblem]]:
    """Derive a resource's names and collect every problem with them.

    Args:
        name: The resource name in any accepted spelling, singular.
        plural: An explicit plural (any spelling), overriding inflect's.
        table: An explicit snake_case table name (default: the plural).

    Returns:
        The names (None when they cannot be derived) and the problems found,
        each tagged with the part it concerns: ``"name"``, ``"plural"`` or
        ``"table"``. Names with problems must not be used.
    """
    problems: list[NameProblem] = [
        ("name", p) for p in _spelling_problems(name, "resource name")
    ]
    if plural is not None:
        problems += [("plural", p) for p in _spelling_problems(plural, "plural")]
    if table is not None:
        problems += [("table", p) for p in _spelling_problems(table, "table name")]
        if not problems and not is_snake_case(table):
            problems.append(
                (
                    "table",
                    f"table name {table!r} is not snake_case; "
                    f"did you mean {to_snake(table)!r}?",
                )
            )
    if problems:
        return None, problems
    singular = to_snake(name)
    problems += [
        ("name", p) for p in _identifier_problems(singular, "resource name", repr(name))
    ]
    if plural is None:
        plural_snake = pluralize(singular)
        if singular.endswith("s") and plural_snake == singular + "s":
            guess = _singular_guess(singular)
            hint = f"e.g. {guess!r}, " if guess else ""
            problems.append(
                (
                    "name",
                    f"resource name {name!r} looks plural already (its plural "
                    f"would be {plural_snake!r}); name the resource in the singular, "
                    f"{hint}or give its plural explicitly",
                )
            )
    else:
        plural_snake = to_snake(plural)
        problems += [
            ("plural", p)
            for p in _identifier_problems(plural_snake, "plural", repr(plural))
        ]
    table_name = plural_snake if table is None else table
    problems += [("table", p) for p in _table_problems(table_name, repr(table_name))]
    names = ResourceNames(
        singular=singular,
        plural=plural_snake,
        class_name=to_pascal(singular),
        module=singular,
        table=table_name,
        url_path=to_kebab(plural_snake),
        human=singular.replace("_", " "),
        human_plural=plural_snake.replace("_", " "),
        instance_var=singular,
        collection_var=plural_snake if plural_snake != singular else f"{singular}_list",
    )
    return names, problems


def resource_names(
    name: str, plural: str | None = None, *, table: str | None = None
) -> ResourceNames:
    """Derive every name of a resource.

    Args:
        name: The resource name, singular, in any spelling: ``book``,
            ``BookReview``, ``book-review``, ``book_review``.
        plural: An explicit plural overriding inflect's (any spelling).
        table: An explicit table name (default: the snake_case plural).

    Returns:
        The derived names.

    Raises:
        SpecError: Listing every problem: non-ASCII or malformed names, Python
            keywords and builtins, clashes with the generated project's modules
            and classes, table names past PostgreSQL's 63-byte limit.
    """
    names, problems = check_resource_names(name, plural, table=table)
    if problems or names is None:
        raise SpecError(*(message for _, message in problems))
    return names
