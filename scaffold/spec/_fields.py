"""Validate a raw field (either spelling) into a :class:`FieldSpec`.

Every check reports through a :class:`Reporter` and carries on, so one run
lists every problem of every field.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from decimal import Decimal

from scaffold.spec._catalog import (
    DEFAULT_DECIMAL,
    EMAIL_LENGTH,
    INT64,
    MAX_DECIMAL_PRECISION,
    MAX_STR_LENGTH,
    STR_DEFAULT_LENGTH,
    TYPE_HINTS,
    URL_LENGTH,
    FieldType,
    rule,
    types_accepting,
)
from scaffold.spec._grammar import RawField, Reporter
from scaffold.spec._limits import bound_problems
from scaffold.spec._models import Bound, DefaultValue, FieldSpec
from scaffold.spec._names import field_name_problems
from scaffold.spec._values import (
    BadValueError,
    column_decimal,
    decimal_fit_problem,
    parse_bool,
    parse_date,
    parse_datetime,
    parse_decimal,
    parse_email,
    parse_float,
    parse_int,
    parse_text,
    parse_url,
    parse_uuid,
    pattern_problem,
    pattern_search,
)
from scaffold.spec.naming import describe_non_ascii, did_you_mean, to_pascal

__all__ = ["TYPE_LIST", "build_field", "type_problem"]

TYPE_LIST = (
    "str, str(N), text, int, float, decimal, decimal(P,S), bool, date, datetime, "
    "uuid, email, url, json, enum(a,b,c), ref, ref(resource), refs, refs(resource)"
)
_CHOICE_RE = re.compile(r"[A-Za-z][A-Za-z0-9_-]*")
_MAX_CHOICE = 63
_FIXED_LENGTH = {FieldType.EMAIL: EMAIL_LENGTH, FieldType.URL: URL_LENGTH}
_DEFAULT_PARSERS: dict[FieldType, Callable[[object], DefaultValue]] = {
    FieldType.STR: parse_text,
    FieldType.TEXT: parse_text,
    FieldType.ENUM: parse_text,
    FieldType.INT: parse_int,
    FieldType.FLOAT: parse_float,
    FieldType.DECIMAL: parse_decimal,
    FieldType.BOOL: parse_bool,
    FieldType.DATE: parse_date,
    FieldType.DATETIME: parse_datetime,
    FieldType.UUID: parse_uuid,
    FieldType.EMAIL: parse_email,
    FieldType.URL: parse_url,
}


def type_problem(type_name: str) -> str | None:
    """Say why a type name is not accepted (with a did-you-mean), or None."""
    if type_name in FieldType.__members__.values() or type_name in ("ref", "refs"):
        return None
    if not type_name:
        return f"missing type; types: {TYPE_LIST}"
    hint = TYPE_HINTS.get(type_name.lower())
    names = [t.value for t in FieldType]
    tail = f"; did you mean {hint!r}?" if hint else did_you_mean(type_name, names)
    return f"unknown type {type_name!r}; types: {TYPE_LIST}{tail}"


def _not_applicable(option: str, field_type: FieldType) -> str:
    if option in ("to", "on_delete", "inverse", "summary"):
        return (
            f"{option!r} does not apply to {field_type} fields; it applies to ref "
            "and refs fields"
        )
    if option in ("min", "max"):
        return (
            f"modifier {option!r} does not apply to {field_type} fields; min and max "
            "bound the length of str, text, email and url fields and the value of "
            "int, float and decimal fields"
        )
    if field_type is FieldType.TEXT and option in ("unique", "index"):
        return f"modifier {option!r} does not apply to text fields; use str(N) instead"
    accepted = ", ".join(types_accepting(option)) or "no type"
    return (
        f"modifier {option!r} does not apply to {field_type} fields; "
        f"it applies to {accepted}"
    )


class _Builder:
    """Validates the options of one field of a known type."""

    def __init__(
        self, field_type: FieldType, options: dict[str, object], rep: Reporter
    ):
        self.type = field_type
        self.options = options
        self.rep = rep
        self.failed: set[str] = set()

    def fail(self, option: str, message: str) -> None:
        self.failed.add(option)
        self.rep.at(option).add(message)

    def integer(
        self, option: str, default: int, low: int, high: int, label: str
    ) -> int:
        if option not in self.options:
            return default
        try:
            value = parse_int(self.options[option])
        except BadValueError as error:
            self.fail(option, f"{label} {error}")
            return default
        if not low <= value <= high:
            self.fail(option, f"{label} {value} is out of range; use {low} to {high}")
            return default
        return value

    def length(self) -> int | None:
        if self.type in _FIXED_LENGTH:
            return _FIXED_LENGTH[self.type]
        if self.type is not FieldType.STR:
            return None
        return self.integer(
            "max_length", STR_DEFAULT_LENGTH, 1, MAX_STR_LENGTH, "str length"
        )

    def decimal_shape(self) -> tuple[int | None, int | None]:
        if self.type is not FieldType.DECIMAL:
            return None, None
        precision = self.integer(
            "precision", DEFAULT_DECIMAL[0], 1, MAX_DECIMAL_PRECISION, "precision"
        )
        scale = self.integer(
            "scale", DEFAULT_DECIMAL[1], 0, MAX_DECIMAL_PRECISION, "scale"
        )
        if scale > precision:
            self.fail(
                "scale",
                f"scale {scale} is greater than precision {precision}; scale counts "
                "the digits after the point, so it cannot exceed precision",
            )
            return precision, min(scale, precision)
        return precision, scale

    def choices(self) -> tuple[str, ...]:
        if self.type is not FieldType.ENUM:
            return ()
        given = self.options.get("choices")
        if not isinstance(given, list) or not given:
            self.fail(
                "choices", "enum has no choices; list them, as in enum(draft,published)"
            )
            return ()
        seen: dict[str, str] = {}
        for choice in given:
            if not isinstance(choice, str):
                self.fail(
                    "choices", f"enum choice {choice!r} is not a string; quote it"
                )
                continue
            odd = describe_non_ascii(choice)
            if odd or not _CHOICE_RE.fullmatch(choice) or len(choice) > _MAX_CHOICE:
                self.fail(
                    "choices",
                    f"enum choice {choice!r} is not accepted"
                    + (f" ({odd})" if odd else "")
                    + "; a choice starts with a letter and holds up to 63 ASCII "
                    "letters, digits, '_' and '-'",
                )
                continue
            member = choice.upper().replace("-", "_")
            if member in seen:
                same = (
                    "is listed twice"
                    if seen[member] == choice
                    else f"duplicates {seen[member]!r} (both would be the enum "
                    f"member {member})"
                )
                self.fail("choices", f"enum choice {choice!r} {same}; remove one")
            seen.setdefault(member, choice)
        return tuple(seen.values())

    def bound(self, option: str) -> Bound | None:
        if option not in self.options:
            return None
        value = self.options[option]
        try:
            if rule(self.type).bounds == "length":
                number: Bound = parse_int(value)
                if number < 0:
                    raise BadValueError(f"{value!r} is negative; a length is 0 or more")
            elif self.type is FieldType.INT:
                number = parse_int(value)
                if not INT64[0] <= number <= INT64[1]:
                    raise BadValueError(
                        f"{value!r} does not fit a 64-bit integer column"
                    )
            elif self.type is FieldType.FLOAT:
                number = parse_float(value)
            else:
                number = parse_decimal(value)
        except BadValueError as error:
            self.fail(option, f"{option} {error}")
            return None
        return number

    def check_bounds(
        self,
        low: Bound | None,
        high: Bound | None,
        length: int | None,
        digits: tuple[int | None, int | None],
    ) -> None:
        if low is not None and high is not None and low > high:
            self.fail("min", f"min {low} is greater than max {high}; swap them")
        for option, message in bound_problems(self.type, low, high):
            self.fail(option, message)
        for option, value in (("min", low), ("max", high)):
            if value is None:
                continue
            if (
                length is not None
                and value > length
                and "max_length" not in self.failed
            ):
                where = (
                    f"str({length})"
                    if self.type is FieldType.STR
                    else f"{self.type} fields"
                )
                self.fail(
                    option,
                    f"{option} {value} exceeds the column length {length} of {where}; "
                    f"lower {option}"
                    + (f" or use str({value})" if self.type is FieldType.STR else ""),
                )
            precision, scale = digits
            if {"precision", "scale"} & self.failed:
                continue
            if (
                isinstance(value, Decimal)
                and precision is not None
                and scale is not None
            ):
                problem = decimal_fit_problem(value, precision, scale)
                if problem:
                    self.fail(
                        option,
                        f"{option} {value} does not fit "
                        f"decimal({precision},{scale}): {problem}",
                    )

    def pattern(self) -> str | None:
        if "pattern" not in self.options:
            return None
        try:
            pattern = parse_text(self.options["pattern"])
        except BadValueError as error:
            self.fail("pattern", f"pattern {error}")
            return None
        problem = "is empty" if pattern == "" else pattern_problem(pattern)
        if problem:
            self.fail("pattern", f"pattern {pattern!r} {problem}")
            return None
        return pattern

    def default(self, spec: FieldSpec) -> DefaultValue | None:
        value = self.options.get("default")
        if value is None:
            return None
        try:
            default = _DEFAULT_PARSERS[self.type](value)
        except BadValueError as error:
            self.fail("default", f"default {error}")
            return None
        if self.failed:  # constraints are unknown: check only that it parses
            return default
        for problem in _default_problems(spec, default):
            self.fail("default", f"default {default!r} {problem}")
        if isinstance(default, Decimal) and spec.scale and spec.precision == spec.scale:
            default = column_decimal(default, spec.scale)  # no room for a bare 0
        return default


def _default_problems(spec: FieldSpec, value: DefaultValue) -> list[str]:
    problems: list[str] = []
    if isinstance(value, str) and spec.is_string:
        size = len(value)
        if spec.lower_bound is not None and size < spec.lower_bound:
            problems.append(
                f"is shorter than min {spec.lower_bound}"
                if spec.min is not None
                else "is empty, which a required str refuses unless it sets min=0"
            )
        limit = spec.max if spec.max is not None else spec.length
        if limit is not None and size > limit:
            what = "max" if spec.max is not None else "the column length"
            problems.append(f"is longer than {what} {limit}")
        if spec.pattern is not None and not pattern_search(spec.pattern, value):
            problems.append(f"does not match its own pattern {spec.pattern!r}")
    if spec.type is FieldType.ENUM and value not in spec.choices:
        problems.append(
            f"is not one of the choices {', '.join(spec.choices)}"
            + did_you_mean(str(value), spec.choices)
        )
    if spec.is_number and isinstance(value, int | float | Decimal):
        if spec.min is not None and value < spec.min:
            problems.append(f"is less than min {spec.min}")
        if spec.max is not None and value > spec.max:
            problems.append(f"is greater than max {spec.max}")
        if isinstance(value, int) and not INT64[0] <= value <= INT64[1]:
            problems.append("does not fit a 64-bit integer column")
        if (
            isinstance(value, Decimal)
            and spec.precision is not None
            and spec.scale is not None
        ):
            problem = decimal_fit_problem(value, spec.precision, spec.scale)
            if problem:
                problems.append(
                    f"does not fit decimal({spec.precision},{spec.scale}): {problem}"
                )
    return problems


def build_field(
    raw: RawField, rep: Reporter, *, prefix: str | None = None
) -> FieldSpec | None:
    """Validate one raw field, reporting every problem.

    Args:
        raw: The field as written.
        rep: Where problems go.
        prefix: The resource's snake_case name, for renaming suggestions.

    Returns:
        The field, or None when it has problems (all of them reported).
    """
    problems_before = len(rep.sink)
    for problem in field_name_problems(raw.name, prefix=prefix):
        rep.add(problem)
    unknown_type = type_problem(raw.type_name)
    if unknown_type:
        rep.at("type").add(unknown_type)
        return None
    field_type = FieldType(raw.type_name)
    options = dict(raw.options)
    for option in list(options):
        if option not in rule(field_type).options:
            rep.at(option).add(_not_applicable(option, field_type))
            del options[option]
    builder = _Builder(field_type, options, rep)
    length = builder.length()
    digits = builder.decimal_shape()
    low, high = builder.bound("min"), builder.bound("max")
    builder.check_bounds(low, high, length, digits)
    unique, index = options.get("unique") is True, options.get("index") is True
    spec = FieldSpec(
        name=raw.name,
        type=field_type,
        optional=raw.optional,
        unique=unique,
        index=index,
        min=low,
        max=high,
        pattern=builder.pattern(),
        length=length,
        precision=digits[0],
        scale=digits[1],
        choices=builder.choices(),
        filterable=unique or index or field_type in (FieldType.ENUM, FieldType.BOOL),
        sortable=field_type not in (FieldType.JSON, FieldType.TEXT),
        searchable=field_type in (FieldType.STR, FieldType.TEXT, FieldType.EMAIL),
        enum_class=to_pascal(raw.name) if field_type is FieldType.ENUM else None,
        enum_db_name=raw.name if field_type is FieldType.ENUM else None,
    )
    default = builder.default(spec)
    if len(rep.sink) > problems_before:
        return None
    return spec.model_copy(update={"default": default})
