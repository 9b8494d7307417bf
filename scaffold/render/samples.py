"""Test data for generated tests: valid samples and invalid values per field.

Every value is worked out here, when the resource is generated, and checked
against Pydantic with the field's own constraints, so a generated test never
posts a "valid" body that the API refuses, nor an "invalid" one it accepts.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from decimal import ROUND_DOWN, Decimal
from typing import Any

from scaffold.errors import SpecError
from scaffold.render.sample_regex import from_regex
from scaffold.render.sample_validation import field_adapter, validation_error_type
from scaffold.spec import FieldSpec, FieldType

__all__ = ["InvalidCase", "Sample", "invalid_cases", "sample_for"]

#: How many distinct rows a generated test may create with ``payload(n)``.
SAMPLES = 10


@dataclass(frozen=True)
class Sample:
    """How the generated factory writes a field's value for row ``n``.

    Attributes:
        expression: Python source of the value, in terms of ``n``.
        values: The JSON value the expression gives for n = 0 .. 9.
        constant: A module-level constant the expression uses, as
            ``(name, source)``, or None.
    """

    expression: str
    values: tuple[Any, ...]
    constant: tuple[str, str] | None = None

    @property
    def distinct(self) -> bool:
        """Rows 0 and 1 differ in this field."""
        return bool(self.values[0] != self.values[1])

    @property
    def increasing(self) -> bool:
        """Rows 0, 1 and 2 sort in that order by this field."""
        first, second, third = self.values[:3]
        try:
            ordered: bool = first < second < third
            return ordered
        except TypeError:
            return False


@dataclass(frozen=True)
class InvalidCase:
    """A value a field refuses, and the Pydantic error type it causes."""

    field: str
    expression: str
    error_type: str


def _bounds(field: FieldSpec) -> tuple[Decimal, Decimal, Decimal]:
    """The range test values may use, and the smallest step between them."""
    constraints = field.constraints
    low = constraints.get("ge")
    high = constraints.get("le")
    quantum = Decimal(1)
    limit = Decimal("1e15")
    if field.type is FieldType.DECIMAL:
        quantum = Decimal(1).scaleb(-(field.scale or 0))
        limit = Decimal(10) ** ((field.precision or 12) - (field.scale or 0)) - quantum
    elif field.type is FieldType.FLOAT:
        quantum = Decimal("0.01")
    lowest = max(Decimal(str(low)), -limit) if low is not None else -limit
    highest = min(Decimal(str(high)), limit) if high is not None else limit
    # A one-sided range: stay near the declared bound, not at the far end.
    if field.min is None and field.max is not None:
        lowest = max(lowest, highest - (SAMPLES - 1))
    if field.max is None and field.min is not None:
        highest = min(highest, lowest + (SAMPLES - 1))
    return lowest, highest, quantum


def _number_sample(field: FieldSpec, constant: str) -> Sample:
    low, high, quantum = _bounds(field)
    kind = field.type
    offset = Decimal("0.5") if kind is FieldType.FLOAT else Decimal(0)
    preferred = [Decimal(n + 1) + offset for n in range(SAMPLES)]
    if low <= preferred[0] and preferred[-1] <= high:
        values = preferred
    else:
        step = ((high - low) / (SAMPLES - 1)).quantize(quantum, rounding=ROUND_DOWN)
        if step >= quantum:
            values = [low + step * n for n in range(SAMPLES)]
        else:
            room = int((high - low) / quantum) + 1
            values = [low + quantum * (n % room) for n in range(SAMPLES)]
    if field.unique and len(set(values)) < SAMPLES:
        raise SpecError(
            f"field {field.name!r}: its range holds fewer than {SAMPLES} distinct "
            "values, too few for the generated tests of a unique field; widen "
            "the range or drop unique"
        )
    plain: dict[FieldType, tuple[Callable[[Decimal], Any], str]] = {
        FieldType.INT: (int, "n + 1"),
        FieldType.FLOAT: (float, "n + 1.5"),
    }
    if kind in plain:
        convert, expression = plain[kind]
        numbers = tuple(convert(value) for value in values)
        if values == preferred:
            return Sample(expression, numbers)
        return _constant_sample(constant, numbers)
    texts = tuple(str(value.quantize(quantum)) for value in values)
    if values == preferred:
        fraction = texts[0].partition(".")[2]
        suffix = f".{fraction}" if fraction else ""
        return Sample(f'f"{{n + 1}}{suffix}"', texts)
    return _constant_sample(constant, texts)


def _constant_sample(name: str, values: tuple[Any, ...]) -> Sample:
    listed = ", ".join(repr(value) for value in values)
    return Sample(f"{name}[n]", values, (name, f"({listed})"))


def _text_sample(field: FieldSpec, label: str) -> Sample:
    constraints = field.constraints
    shortest = int(constraints.get("min_length", 1))
    longest = int(constraints.get("max_length", 10_000))
    prefix = label[: max(longest - 2, 0)].rstrip()
    if prefix and len(prefix) + 2 < shortest:
        pad = shortest - 2 - len(prefix)
        values = tuple(f"{prefix}{'x' * pad} {n}" for n in range(SAMPLES))
        return Sample(f"f\"{prefix}{{'x' * {pad}}} {{n}}\"", values)
    if prefix:
        values = tuple(f"{prefix} {n}" for n in range(SAMPLES))
        return Sample(f'f"{prefix} {{n}}"', values)
    width = max(shortest, 1)
    if width > longest:
        raise SpecError(f"field {field.name!r}: no test value fits its length bounds")
    values = tuple(f"{n:0{width}d}" for n in range(SAMPLES))
    return Sample(f'f"{{n:0{width}d}}"', values)


def _email_sample(field: FieldSpec) -> Sample:
    constraints = field.constraints
    shortest = int(constraints.get("min_length", 0))
    longest = int(constraints.get("max_length", 320))
    local, domain = "user", "example.com"
    if len(local) + len(domain) + 2 > longest:
        local, domain = "u", "ex.io"
    local = local.ljust(shortest - len(domain) - 2, "x")
    values = tuple(f"{local}{n}@{domain}" for n in range(SAMPLES))
    return Sample(f'f"{local}{{n}}@{domain}"', values)


def _url_sample(field: FieldSpec, plural: str) -> Sample:
    shortest = int(field.constraints.get("min_length", 0))
    base = f"https://example.com/{plural}/"
    base = base + "x" * max(shortest - len(base) - 1, 0)
    values = tuple(f"{base}{n}" for n in range(SAMPLES))
    return Sample(f'f"{base}{{n}}"', values)


def sample_for(field: FieldSpec, *, plural: str, constant: str) -> Sample:
    """How the generated factory builds valid values of ``field``.

    Args:
        field: The field.
        plural: The resource's URL segment, used in sample URLs.
        constant: Name for a module-level constant, if the samples need one.

    Returns:
        The sample, checked against the field's constraints.

    Raises:
        SpecError: The constraints leave no room for test values (for example
            a pattern that only one string matches on a unique field).
    """
    label = field.title
    kind = field.type
    builders: dict[FieldType, Callable[[], Sample]] = {
        FieldType.STR: lambda: _text_sample(field, label),
        FieldType.TEXT: lambda: _text_sample(field, label),
        FieldType.EMAIL: lambda: _email_sample(field),
        FieldType.URL: lambda: _url_sample(field, plural),
        FieldType.BOOL: lambda: Sample(
            "n % 2 == 0", tuple(n % 2 == 0 for n in range(SAMPLES))
        ),
        FieldType.DATE: lambda: Sample(
            'f"2025-01-{n + 1:02d}"',
            tuple(f"2025-01-{n + 1:02d}" for n in range(SAMPLES)),
        ),
        FieldType.DATETIME: lambda: Sample(
            'f"2025-01-{n + 1:02d}T12:00:00Z"',
            tuple(f"2025-01-{n + 1:02d}T12:00:00Z" for n in range(SAMPLES)),
        ),
        FieldType.UUID: lambda: Sample(
            'f"00000000-0000-4000-8000-{n:012d}"',
            tuple(f"00000000-0000-4000-8000-{n:012d}" for n in range(SAMPLES)),
        ),
        FieldType.JSON: lambda: Sample(
            '{"n": n}', tuple({"n": n} for n in range(SAMPLES))
        ),
        FieldType.ENUM: lambda: _enum_sample(field),
    }
    if field.pattern is not None and kind in (FieldType.STR, FieldType.TEXT):
        sample = _pattern_sample(field, constant)
    elif kind in (FieldType.INT, FieldType.FLOAT, FieldType.DECIMAL):
        sample = _number_sample(field, constant)
    else:
        sample = builders[kind]()
    _check_valid(field, sample)
    return sample


def _enum_sample(field: FieldSpec) -> Sample:
    choices = field.choices
    if field.unique and len(choices) < SAMPLES:
        raise SpecError(
            f"field {field.name!r}: a unique enum with {len(choices)} choices "
            f"allows only {len(choices)} rows, too few for the generated tests; "
            "drop unique or list more choices"
        )
    values = tuple(choices[n % len(choices)] for n in range(SAMPLES))
    if len(choices) == 1:
        return Sample(repr(choices[0]), values)
    listed = ", ".join(repr(choice) for choice in choices)
    return Sample(f"[{listed}][n % {len(choices)}]", values)


def _pattern_sample(field: FieldSpec, constant: str) -> Sample:
    pattern = field.pattern or ""
    constraints = field.constraints
    shortest = int(constraints.get("min_length", 0))
    longest = int(constraints.get("max_length", 10_000))
    found: list[str] = []
    for seed in range(SAMPLES * 20):
        text = from_regex(pattern, seed)
        if (
            text is not None
            and shortest <= len(text) <= longest
            and re.search(pattern, text)
            and text not in found
        ):
            found.append(text)
        if len(found) == SAMPLES:
            break
    if not found or (field.unique and len(found) < SAMPLES):
        raise SpecError(
            f"field {field.name!r}: could not find {SAMPLES} distinct values "
            f"matching pattern {field.pattern!r} within its length bounds for the "
            "generated tests; loosen the pattern or the length"
        )
    values = tuple(sorted(found)) if len(found) == SAMPLES else (found[0],) * SAMPLES
    if len(set(values)) == 1:
        return Sample(repr(values[0]), values)
    return _constant_sample(constant, values)


def _check_valid(field: FieldSpec, sample: Sample) -> None:
    adapter = field_adapter(field)
    if adapter is None:
        return
    for value in sample.values:
        problem = validation_error_type(adapter, value)
        if problem is not None:
            raise SpecError(
                f"field {field.name!r}: cannot build a valid test value "
                f"({value!r} fails {problem}); check its constraints"
            )


def invalid_cases(field: FieldSpec) -> list[InvalidCase]:
    """Values that break each of ``field``'s constraints, one case each.

    Each case's error type is what Pydantic itself reports for that value
    under the field's constraints.
    """
    adapter = field_adapter(field)
    constraints = field.constraints
    candidates: list[tuple[str, Any]] = []
    if field.required:
        candidates.append(("MISSING", None))
    if field.is_string and field.type in (FieldType.STR, FieldType.TEXT):
        if "max_length" in constraints:
            size = int(constraints["max_length"]) + 1
            candidates.append((f'"x" * {size}', "x" * size))
        if int(constraints.get("min_length", 0)) > 0:
            size = int(constraints["min_length"]) - 1
            candidates.append((f'"x" * {size}' if size else '""', "x" * size))
        if field.pattern is not None:
            for character in "!~ x0":
                size = max(int(constraints.get("min_length", 1)), 1)
                text = character * size
                if not re.search(field.pattern, text):
                    candidates.append((repr(text), text))
                    break
    simple: dict[FieldType, list[tuple[str, Any]]] = {
        # JSON's types are kept apart: no number from a string, no boolean
        # from a number, no date from a number (a timestamp)
        FieldType.INT: [('"1"', "1")],
        FieldType.FLOAT: [('"1.5"', "1.5")],
        FieldType.BOOL: [("0", 0)],
        FieldType.DATE: [("0", 0), ('"31/01/2025"', "31/01/2025")],
        FieldType.DATETIME: [
            ('"2025-01-31T12:00:00"', "2025-01-31T12:00:00"),
            ("0", 0),
        ],
        FieldType.DECIMAL: [("1", 1)],
        FieldType.UUID: [('"not-a-uuid"', "not-a-uuid")],
        FieldType.URL: [('"not a url"', "not a url")],
        FieldType.JSON: [("[1, 2]", [1, 2])],
    }
    candidates += simple.get(field.type, [])
    if field.is_number:
        low, high = constraints.get("ge"), constraints.get("le")
        for bound, step in ((low, -1), (high, 1)):
            if bound is None:
                continue
            value: Any
            if field.type is FieldType.FLOAT:
                value = float(str(bound)) + step
            elif field.type is FieldType.INT:
                value = int(str(bound)) + step
            else:
                value = str(Decimal(str(bound)) + step)
            candidates.append((repr(value), value))
        if field.type is FieldType.DECIMAL:
            scale = field.scale or 0
            whole = (field.precision or 12) - scale
            too_long = "1" * (whole + 1)
            candidates.append((repr(too_long), too_long))
            too_precise = "0." + "1" * (scale + 1)
            candidates.append((repr(too_precise), too_precise))
            # A value in range with one zero too many: Pydantic counts places
            # without trailing zeros, the pattern as they are written
            lowest, _, quantum = _bounds(field)
            trailing = str(lowest.quantize(quantum)) + ("0" if scale else ".0")
            candidates.append((repr(trailing), trailing))
    cases = []
    for expression, value in candidates:
        if expression == "MISSING":
            cases.append(InvalidCase(field.name, "MISSING", "missing"))
            continue
        if field.type is FieldType.ENUM:
            continue
        error_type = validation_error_type(adapter, value)
        if error_type is not None and all(
            case.error_type != error_type for case in cases
        ):
            cases.append(InvalidCase(field.name, expression, error_type))
    if field.type is FieldType.ENUM:
        outsider = "no-such-choice"
        while outsider in field.choices:
            outsider += "-x"
        cases.append(InvalidCase(field.name, repr(outsider), "enum"))
    if field.type is FieldType.EMAIL:
        cases.append(InvalidCase(field.name, '"not-an-email"', "value_error"))
    if field.type in (FieldType.STR, FieldType.TEXT) and field.pattern is None:
        # free text refuses NUL, which PostgreSQL cannot store (NO_NUL)
        size = max(int(constraints.get("min_length", 1)), 1)
        nul = f'"\\x00" * {size}' if size > 1 else '"\\x00"'
        cases.append(InvalidCase(field.name, nul, "string_pattern_mismatch"))
    return cases
