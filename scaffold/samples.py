"""Test data for generated tests: valid samples and invalid values per field.

Every value is worked out here, when the resource is generated, and checked
against Pydantic with the field's own constraints, so a generated test never
posts a "valid" body that the API refuses, nor an "invalid" one it accepts.
"""

from __future__ import annotations

import re
import re._constants as sre_constants
import re._parser as sre_parser
from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from scaffold.errors import SpecError
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


def _numbers(field: FieldSpec) -> tuple[Decimal, Decimal]:
    low = Decimal(str(field.min)) if field.min is not None else None
    high = Decimal(str(field.max)) if field.max is not None else None
    if field.type is FieldType.INT:
        bounds = field.constraints
        low, high = Decimal(str(bounds["ge"])), Decimal(str(bounds["le"]))
    return (
        low if low is not None else Decimal("-1e18"),
        high if high is not None else Decimal("1e18"),
    )


def _number_sample(field: FieldSpec, constant: str) -> Sample:
    low, high = _numbers(field)
    scale = field.scale or 0 if field.type is FieldType.DECIMAL else 0
    if field.type is FieldType.DECIMAL:
        whole_digits = (field.precision or 12) - scale
        high = min(high, Decimal(10) ** whole_digits - Decimal(1).scaleb(-scale))
        low = max(low, -high)
    step = Decimal(1) if high - low >= SAMPLES else (high - low) / SAMPLES
    base = Decimal(1) if low <= 1 and 1 + step * (SAMPLES - 1) <= high else low
    if field.type is FieldType.DECIMAL:
        quantum = Decimal(1).scaleb(-scale)
        step = max(step.quantize(quantum), quantum)
        base = base.quantize(quantum)
        if base < low:
            base += quantum
        texts = [str((base + step * n).quantize(quantum)) for n in range(SAMPLES)]
        if base == 1 and step == 1:
            fraction = texts[0].partition(".")[2]
            suffix = f".{fraction}" if fraction else ""
            return Sample(f'f"{{n + 1}}{suffix}"', tuple(texts))
        return _constant_sample(constant, tuple(texts))
    if field.type is FieldType.INT:
        step = max(step.to_integral_value(), Decimal(1))
        ints = [int(base + step * n) for n in range(SAMPLES)]
        if base == 1 and step == 1:
            return Sample("n + 1", tuple(ints))
        return _constant_sample(constant, tuple(ints))
    floats = [float(base + step * n) + 0.5 * float(step) for n in range(SAMPLES)]
    if base == 1 and step == 1:
        return Sample("n + 1.5", tuple(floats))
    return _constant_sample(constant, tuple(floats))


def _constant_sample(name: str, values: tuple[Any, ...]) -> Sample:
    listed = ", ".join(repr(value) for value in values)
    return Sample(f"{name}[n]", values, (name, f"({listed})"))


def _text_sample(field: FieldSpec, label: str) -> Sample:
    constraints = field.constraints
    shortest = int(constraints.get("min_length", 1))
    longest = int(constraints.get("max_length", 10_000))
    prefix = label
    if len(prefix) + 2 < shortest:
        prefix = (prefix + " sample" * shortest)[: shortest - 2].rstrip()
        prefix = prefix.ljust(shortest - 2, "x")
    if len(prefix) + 2 > longest:
        prefix = prefix[: max(longest - 2, 0)].rstrip()
    if prefix:
        values = tuple(f"{prefix} {n}" for n in range(SAMPLES))
        return Sample(f'f"{prefix} {{n}}"', values)
    width = max(shortest, 1)
    if width > longest:
        raise SpecError(f"field {field.name!r}: no test value fits its length bounds")
    values = tuple(f"{n:0{width}d}" for n in range(SAMPLES))
    return Sample(f'f"{{n:0{width}d}}"', values)


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
        FieldType.EMAIL: lambda: Sample(
            'f"user{n}@example.com"',
            tuple(f"user{n}@example.com" for n in range(SAMPLES)),
        ),
        FieldType.URL: lambda: Sample(
            f'f"https://example.com/{plural}/{{n}}"',
            tuple(f"https://example.com/{plural}/{n}" for n in range(SAMPLES)),
        ),
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
        text = _from_regex(pattern, seed)
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


def _from_regex(pattern: str, seed: int) -> str | None:
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
            high = low + 3 if high is sre_constants.MAXREPEAT else high
            count = low + pick(high - low + 1) if high > low else low
            parts = [emit(body) for _ in range(count)]
            return None if None in parts else "".join(p for p in parts if p is not None)
        return None

    return emit(parsed)


def _from_class(items: Any, pick: Callable[[int], int]) -> str | None:
    characters: list[str] = []
    for op, argument in items:
        if op is sre_constants.NEGATE:
            return None
        if op is sre_constants.LITERAL:
            characters.append(chr(argument))
        elif op is sre_constants.RANGE:
            low, high = argument
            characters.extend(chr(code) for code in range(low, min(high, low + 25) + 1))
        elif op is sre_constants.CATEGORY:
            characters.extend(
                {
                    sre_constants.CATEGORY_DIGIT: "0123456789",
                    sre_constants.CATEGORY_WORD: "abcdefghijklmnopqrstuvwxyz_",
                    sre_constants.CATEGORY_SPACE: " ",
                }.get(argument, "")
            )
    return characters[pick(len(characters))] if characters else None


def _adapter(field: FieldSpec) -> Any:
    """A Pydantic validator equivalent to the generated input schema's field."""
    from typing import Annotated

    from pydantic import AwareDatetime, Field, HttpUrl, TypeAdapter

    plain: dict[FieldType, Any] = {
        FieldType.STR: str,
        FieldType.TEXT: str,
        FieldType.INT: int,
        FieldType.FLOAT: float,
        FieldType.DECIMAL: Decimal,
        FieldType.BOOL: bool,
        FieldType.URL: HttpUrl,
        FieldType.DATETIME: AwareDatetime,
        FieldType.JSON: dict[str, Any],
    }
    if field.type is FieldType.DATE:
        from datetime import date

        plain[FieldType.DATE] = date
    if field.type is FieldType.UUID:
        from uuid import UUID

        plain[FieldType.UUID] = UUID
    base = plain.get(field.type)
    if base is None:
        return None
    annotated: Any = Annotated[base, Field(**field.constraints)]  # type: ignore[call-overload]
    return TypeAdapter(annotated)


def _error_type(adapter: Any, value: Any) -> str | None:
    import json

    from pydantic import ValidationError

    try:
        adapter.validate_json(json.dumps(value))
    except ValidationError as exc:
        return str(exc.errors()[0]["type"])
    return None


def _check_valid(field: FieldSpec, sample: Sample) -> None:
    adapter = _adapter(field)
    if adapter is None:
        return
    for value in sample.values:
        problem = _error_type(adapter, value)
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
    adapter = _adapter(field)
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
        FieldType.INT: [('"many"', "many")],
        FieldType.FLOAT: [('"many"', "many")],
        FieldType.BOOL: [('"maybe"', "maybe")],
        FieldType.DATE: [('"31/01/2025"', "31/01/2025")],
        FieldType.DATETIME: [('"2025-01-31T12:00:00"', "2025-01-31T12:00:00")],
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
    cases = []
    for expression, value in candidates:
        if expression == "MISSING":
            cases.append(InvalidCase(field.name, "MISSING", "missing"))
            continue
        if field.type is FieldType.ENUM or field.type is FieldType.EMAIL:
            continue
        error_type = _error_type(adapter, value)
        if error_type is not None and all(
            case.error_type != error_type for case in cases
        ):
            cases.append(InvalidCase(field.name, expression, error_type))
    if field.type is FieldType.ENUM:
        cases.append(InvalidCase(field.name, '"no-such-choice"', "enum"))
    if field.type is FieldType.EMAIL:
        cases.append(InvalidCase(field.name, '"not-an-email"', "value_error"))
    return cases
