"""Typed values from what a spec holds: strings (compact form) or file scalars.

Each ``parse_*`` function returns a typed value or raises :class:`BadValueError`
with a message saying what was expected. Values are data: nothing here is ever
evaluated as code.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import math
import re
import uuid
from decimal import Decimal, InvalidOperation
from functools import lru_cache
from typing import TYPE_CHECKING

from scaffold.errors import BadValueError

if TYPE_CHECKING:
    from pydantic_core import SchemaValidator

__all__ = [
    "BadValueError",
    "column_decimal",
    "decimal_fit_problem",
    "parse_bool",
    "parse_date",
    "parse_datetime",
    "parse_decimal",
    "parse_email",
    "parse_float",
    "parse_int",
    "parse_text",
    "parse_url",
    "parse_uuid",
    "pattern_problem",
    "pattern_search",
]

_INT_RE = re.compile(r"[+-]?[0-9]+")
_NUMBER_RE = re.compile(r"[+-]?(?:[0-9]+(?:\.[0-9]*)?|\.[0-9]+)(?:[eE][+-]?[0-9]+)?")
_NON_FINITE = re.compile(r"[+-]?(?:s?nan|inf|infinity)", re.IGNORECASE)
_EMAIL_RE = re.compile(r"[^@\s]+@[^@\s]+\.[^@\s.]+")
_BOOL_WORDS = {"true": True, "false": False}


def _number_text(value: object, what: str) -> str:
    if isinstance(value, bool) or not isinstance(value, str | int | float | Decimal):
        raise BadValueError(f"{value!r} is not {what}")
    text = value if isinstance(value, str) else str(value)
    if _NON_FINITE.fullmatch(text.strip()):
        raise BadValueError(
            f"{value!r} is not a finite number; nan and infinity are refused"
        )
    return text


def parse_int(value: object) -> int:
    """An integer: ``42``, ``-7`` (no fractions, exponents or underscores)."""
    text = _number_text(value, "an integer")
    if isinstance(value, float | Decimal):
        if value != int(value):
            raise BadValueError(f"{value!r} is not an integer; write e.g. 0 or 42")
        return int(value)
    if not _INT_RE.fullmatch(text):
        raise BadValueError(f"{value!r} is not an integer; write e.g. 0 or 42")
    try:
        return int(text)
    except ValueError as error:  # more digits than Python converts
        raise BadValueError(f"{value!r} is far too large") from error


def parse_decimal(value: object) -> Decimal:
    """A decimal number: ``9.99``, ``-1``, ``1e3``; never nan or infinity."""
    text = _number_text(value, "a number")
    if isinstance(value, str) and not _NUMBER_RE.fullmatch(text):
        raise BadValueError(f"{value!r} is not a number; write e.g. 0, 9.99 or -1.5")
    try:
        number = Decimal(text)
    except InvalidOperation as error:
        raise BadValueError(
            f"{value!r} is not a number; write e.g. 0 or 9.99"
        ) from error
    if not number.is_finite():
        raise BadValueError(
            f"{value!r} is not a finite number; nan and infinity are refused"
        )
    return number


def parse_float(value: object) -> float:
    """A finite float: ``1.5``, ``-2``, ``3e8``."""
    result = float(parse_decimal(value))
    if not math.isfinite(result):
        raise BadValueError(
            f"{value!r} is too large for a float (it would be infinite)"
        )
    return result


def parse_bool(value: object) -> bool:
    """``true`` or ``false`` (or a file's boolean)."""
    if isinstance(value, bool):
        return value
    if isinstance(value, str) and value in _BOOL_WORDS:
        return _BOOL_WORDS[value]
    raise BadValueError(f"{value!r} is not a boolean; write true or false")


def parse_text(value: object) -> str:
    """A string; a file must quote it (YAML reads 123, yes and 1.0 otherwise)."""
    if isinstance(value, str):
        return value
    raise BadValueError(
        f"{value!r} is not a string; quote it in the spec file (e.g. '{value}')"
    )


def parse_date(value: object) -> dt.date:
    """An ISO 8601 date: ``2024-05-31``."""
    if isinstance(value, dt.date) and not isinstance(value, dt.datetime):
        return value
    if isinstance(value, str):
        try:
            return dt.date.fromisoformat(value)
        except ValueError:
            pass
    raise BadValueError(f"{value!r} is not an ISO date; write e.g. 2024-05-31")


def parse_datetime(value: object) -> dt.datetime:
    """An ISO 8601 date-time with a UTC offset: ``2024-05-31T12:00:00+00:00``."""
    parsed: dt.datetime | None = value if isinstance(value, dt.datetime) else None
    if isinstance(value, str):
        try:
            parsed = dt.datetime.fromisoformat(value)
        except ValueError:
            parsed = None
    if parsed is None:
        raise BadValueError(
            f"{value!r} is not an ISO date-time; write e.g. 2024-05-31T12:00:00Z"
        )
    if parsed.tzinfo is None or parsed.utcoffset() is None:
        raise BadValueError(
            f"{value!r} has no time zone; datetime fields are timezone-aware, "
            "so add an offset, e.g. 2024-05-31T12:00:00Z or +02:00"
        )
    return parsed


def parse_uuid(value: object) -> uuid.UUID:
    """A UUID: ``123e4567-e89b-12d3-a456-426614174000``."""
    if isinstance(value, str):
        try:
            return uuid.UUID(value)
        except ValueError:
            pass
    raise BadValueError(
        f"{value!r} is not a UUID; write e.g. 123e4567-e89b-12d3-a456-426614174000"
    )


def parse_email(value: object) -> str:
    """An e-mail address (``name@example.com``), checked loosely."""
    text = parse_text(value)
    if not _EMAIL_RE.fullmatch(text):
        raise BadValueError(
            f"{value!r} is not an e-mail address; write e.g. name@example.com"
        )
    return text


@lru_cache(maxsize=1)
def _url_validator() -> SchemaValidator:
    from pydantic_core import SchemaValidator, core_schema

    return SchemaValidator(core_schema.url_schema(allowed_schemes=["http", "https"]))


@lru_cache(maxsize=256)
def _pattern_validator(pattern: str) -> SchemaValidator:
    from pydantic_core import SchemaValidator, core_schema

    return SchemaValidator(core_schema.str_schema(pattern=pattern))


@lru_cache(maxsize=256)
def _decimal_validator(precision: int, scale: int) -> SchemaValidator:
    from pydantic_core import SchemaValidator, core_schema

    return SchemaValidator(
        core_schema.decimal_schema(max_digits=precision, decimal_places=scale)
    )


def _first_error(validator: SchemaValidator, value: object) -> str | None:
    from pydantic_core import ValidationError

    try:
        validator.validate_python(value)
    except ValidationError as error:
        return str(error.errors()[0]["msg"])
    return None


def parse_url(value: object) -> str:
    """An absolute http(s) URL, as Pydantic's ``HttpUrl`` accepts it."""
    text = parse_text(value)
    problem = _first_error(_url_validator(), text)
    if problem:
        raise BadValueError(
            f"{value!r} is not an http(s) URL ({problem}); write e.g. https://example.com"
        )
    return text


def pattern_problem(pattern: str) -> str | None:
    """Say why a regular expression is unusable, or return None.

    It must compile both with Python's ``re`` and with Pydantic's default
    (Rust) regex engine, which has no look-around and no back-references.
    """
    from pydantic_core import SchemaError

    try:
        re.compile(pattern)
    except (re.error, OverflowError, RecursionError, ValueError) as error:
        return f"does not compile: {error}"
    try:
        _pattern_validator(pattern)
    except SchemaError as error:
        detail = str(error).strip().splitlines()[-1].removeprefix("error: ")
        return (
            f"is not supported by Pydantic's regex engine ({detail}); "
            "use a pattern without look-around or back-references"
        )
    return None


def pattern_search(pattern: str, text: str) -> bool:
    """Tell whether ``text`` passes ``pattern`` as the generated API checks it."""
    return _first_error(_pattern_validator(pattern), text) is None


def column_decimal(value: Decimal, scale: int) -> Decimal:
    """``value`` with zeros added up to ``scale`` places, as the column stores it.

    Never rounds: a value with more places, or too many digits to pad, is
    returned as it is.
    """
    exponent = value.as_tuple().exponent
    if isinstance(exponent, int) and exponent > -scale:
        with contextlib.suppress(InvalidOperation):
            return value.quantize(Decimal(1).scaleb(-scale))
    return value


def decimal_fit_problem(value: Decimal, precision: int, scale: int) -> str | None:
    """Say why ``value`` does not fit ``decimal(precision, scale)``, or None.

    A value written with fewer places is read as the column stores it, padded
    with zeros: ``0`` fits ``decimal(2,2)`` as ``0.00`` (Pydantic would count
    the bare ``0`` as a whole digit, which that column has no room for).
    """
    padded = column_decimal(value, scale)
    return _first_error(_decimal_validator(precision, scale), padded)
