"""The pattern a decimal field's JSON schema gives: exactly the values accepted."""

from __future__ import annotations

import itertools
import re
from collections.abc import Iterator
from decimal import Decimal

import pytest

from scaffold.render.decimal_pattern import decimal_pattern

SHAPE = re.compile(r"-?(?:0|[1-9][0-9]*)(?:\.[0-9]+)?")


def spellings(whole: int, places: int) -> Iterator[str]:
    """Every decimal spelling up to ``whole`` digits before and ``places`` after."""
    for sign, size, count in itertools.product(
        ("", "-"), range(1, whole + 1), range(places + 1)
    ):
        for digits in itertools.product("0123456789", repeat=size + count):
            text = "".join(digits)
            yield sign + text[:size] + ("." + text[size:] if count else "")


def accepted(
    text: str, precision: int, scale: int, low: Decimal | None, high: Decimal | None
) -> bool:
    """What the generated API accepts: a plain spelling, then Pydantic's limits."""
    if SHAPE.fullmatch(text) is None:
        return False
    value = Decimal(text)
    if text.startswith("-") and value == 0:
        return False
    places = max(0, -int(value.as_tuple().exponent))
    whole = max(0, len(value.as_tuple().digits) - places)
    return (
        places <= scale
        and whole <= precision - scale
        and (low is None or value >= low)
        and (high is None or value <= high)
    )


@pytest.mark.parametrize(
    ("precision", "scale", "low", "high"),
    [
        (3, 1, None, None),
        (3, 1, "0", None),
        (3, 1, "-5.5", "12.3"),
        (3, 2, "0.05", "1"),
        (2, 0, "-10", "10"),
        (3, 2, "-1.2", "-0.3"),
        (3, 1, "1.25", "7"),
        (3, 1, None, "10"),
        (3, 0, "7", "93"),
        (2, 2, None, None),
        (2, 2, "0", None),
        (3, 3, "-0.5", "0.25"),
        (1, 1, "0", "0"),
    ],
)
def test_the_pattern_matches_exactly_the_values_the_field_accepts(
    precision: int, scale: int, low: str | None, high: str | None
) -> None:
    minimum = None if low is None else Decimal(low)
    maximum = None if high is None else Decimal(high)
    pattern = re.compile(decimal_pattern(precision, scale, minimum, maximum))

    wrong = [
        text
        for text in spellings(precision - scale + 1, scale + 1)
        if bool(pattern.fullmatch(text))
        != accepted(text, precision, scale, minimum, maximum)
    ]

    assert wrong == []


def test_a_price_reads_as_a_short_pattern() -> None:
    assert decimal_pattern(10, 2, Decimal(0), Decimal(100000)) == (
        r"^(?:(?:0|[1-9][0-9]{0,4})(?:\.[0-9]{1,2})?|100000(?:\.(?:0|00))?)$"
    )


def test_a_range_no_decimal_fits_is_refused() -> None:
    with pytest.raises(ValueError, match="no decimal lies between"):
        decimal_pattern(3, 0, Decimal("0.2"), Decimal("0.8"))
