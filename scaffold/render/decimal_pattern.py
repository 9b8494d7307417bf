"""The regular expression of the decimals a field accepts, for its JSON schema.

A decimal field takes its value as a JSON string (``"19.90"``): a float cannot
hold ``0.10`` exactly. The schema's ``pattern`` spells out everything the API
checks, so a client, a generator or Schemathesis knows exactly which strings
pass: the digits before and after the point, and the ``min``/``max`` range.
"""

from __future__ import annotations

from decimal import ROUND_CEILING, ROUND_FLOOR, Decimal

from scaffold.spec import FieldSpec

__all__ = ["decimal_pattern", "field_pattern"]


def _digits(low: int, high: int) -> str:
    """A character class for one digit from ``low`` to ``high``."""
    if low == high:
        return str(low)
    return f"[{low}-{high}]"


def _any(count: int) -> str:
    """``count`` digits of any value."""
    if count == 0:
        return ""
    return "[0-9]" if count == 1 else f"[0-9]{{{count}}}"


def _fixed(low: int, high: int, width: int) -> list[str]:
    """Alternatives matching the ``width``-digit strings from ``low`` to ``high``.

    Shorter numbers are padded with zeros: ``_fixed(5, 12, 2)`` matches
    ``05`` to ``12``.
    """
    if width == 0:
        return [""]
    unit = 10 ** (width - 1)
    first_low, rest_low = divmod(low, unit)
    first_high, rest_high = divmod(high, unit)
    if first_low == first_high:
        return [f"{first_low}{tail}" for tail in _fixed(rest_low, rest_high, width - 1)]
    out: list[str] = []
    start, end = first_low, first_high
    if rest_low:
        out += [f"{first_low}{tail}" for tail in _fixed(rest_low, unit - 1, width - 1)]
        start += 1
    if rest_high != unit - 1:
        end -= 1
    if start <= end:
        out.append(_digits(start, end) + _any(width - 1))
    if rest_high != unit - 1:
        out += [f"{first_high}{tail}" for tail in _fixed(0, rest_high, width - 1)]
    return out


def _whole(low: int, high: int) -> list[str]:
    """Alternatives matching the integers ``low`` to ``high``, no leading zero."""
    out: list[str] = []
    if low == 0:
        out.append("0")
        low = 1
    width = len(str(high))
    if low == 1 and high == 10**width - 1 and width > 1:
        return [*out, f"[1-9][0-9]{{0,{width - 1}}}"]
    width = len(str(low))
    while low <= high:
        top = min(high, 10**width - 1)
        if low == 10 ** (width - 1) and top == 10**width - 1 and width > 1:
            out.append(f"[1-9]{_any(width - 1)}")
        else:
            out += _fixed(low, top, width)
        low, width = top + 1, width + 1
    return out


def _fraction(low: int, high: int, scale: int, *, bare: bool = True) -> str:
    """The ``.digits`` whose value, in ``scale`` places, is in range.

    ``low`` and ``high`` count units of the last place; a fraction written with
    fewer digits is padded with zeros (``.5`` is ``50`` in two places). With
    ``bare``, a range from zero may leave the fraction out.
    """
    if scale == 0:
        return ""
    optional = low == 0 and bare
    if low == 0 and high == 10**scale - 1:
        any_fraction = f"\\.[0-9]{{1,{scale}}}" if scale > 1 else "\\.[0-9]"
        return f"(?:{any_fraction})?" if optional else any_fraction
    options: list[str] = []
    for width in range(1, scale + 1):
        step = 10 ** (scale - width)
        first, last = -(-low // step), high // step
        if first <= last:
            options += _fixed(first, last, width)
    if not options:
        return ""
    body = "|".join(options)
    group = f"\\.(?:{body})" if len(options) > 1 else f"\\.{body}"
    return f"(?:{group})?" if optional else group


def _alternatives(items: list[str]) -> str:
    return items[0] if len(items) == 1 else "(?:" + "|".join(items) + ")"


def _magnitude(low: int, high: int, scale: int, *, bare: bool) -> list[str]:
    """Alternatives for the unsigned decimals from ``low`` to ``high`` units.

    Without ``bare``, a whole number (``0``) is written with a fraction.
    """
    full = 10**scale
    whole_low, part_low = divmod(low, full)
    whole_high, part_high = divmod(high, full)
    if whole_low == whole_high:
        fraction = _fraction(part_low, part_high, scale, bare=bare)
        return [f"{whole_low}{fraction}"]
    out: list[str] = []
    start, end = whole_low, whole_high
    if part_low:
        out.append(f"{whole_low}{_fraction(part_low, full - 1, scale)}")
        start += 1
    if part_high != full - 1:
        end -= 1
    if start <= end:
        out.append(_alternatives(_whole(start, end)) + _fraction(0, full - 1, scale))
    if part_high != full - 1:
        out.append(f"{whole_high}{_fraction(0, part_high, scale)}")
    return out


def decimal_pattern(
    precision: int, scale: int, minimum: Decimal | None, maximum: Decimal | None
) -> str:
    """The decimals of ``precision`` digits, ``scale`` after the point, in range.

    Written as ``-?`` then the whole part without a leading zero, then an
    optional point and one to ``scale`` digits (not optional when ``precision``
    equals ``scale``: ``0.5``, ``0.0``, never ``0``); no exponent, no ``+``, no
    negative zero.

    Args:
        precision: Digits in all.
        scale: Digits after the point.
        minimum: The smallest value allowed, if any.
        maximum: The largest value allowed, if any.

    Returns:
        The pattern, anchored at both ends.

    Raises:
        ValueError: No decimal fits the range.
    """
    quantum = Decimal(1).scaleb(-scale)
    limit = Decimal(10) ** (precision - scale) - quantum
    low = -limit if minimum is None else max(minimum, -limit)
    high = limit if maximum is None else min(maximum, limit)
    first = int(low.quantize(quantum, rounding=ROUND_CEILING).scaleb(scale))
    last = int(high.quantize(quantum, rounding=ROUND_FLOOR).scaleb(scale))
    if first > last:
        raise ValueError(f"no decimal lies between {minimum} and {maximum}")
    # With no whole digits (decimal(2,2)) Pydantic counts the 0 of a bare "0" as
    # one too many; "0.0" is the same number written without it.
    bare = precision > scale
    options: list[str] = []
    if last >= 0:
        options += _magnitude(max(first, 0), last, scale, bare=bare)
    if first < 0:
        negative = _magnitude(max(-last, 1), -first, scale, bare=bare)
        options += [f"-{item}" for item in negative]
    return "^" + _alternatives(options) + "$"


def field_pattern(field: FieldSpec) -> str:
    """The pattern of a ``decimal`` field: its digits, places and bounds."""
    return decimal_pattern(
        field.precision or 12,
        field.scale or 0,
        None if field.min is None else Decimal(str(field.min)),
        None if field.max is None else Decimal(str(field.max)),
    )
