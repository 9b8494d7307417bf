"""Values for existing rows: a ``--backfill VALUE`` checked like a default."""

from __future__ import annotations

from scaffold.errors import SpecError
from scaffold.spec._catalog import FieldType
from scaffold.spec._fields import build_field
from scaffold.spec._grammar import RawField, Reporter
from scaffold.spec._models import DefaultValue, FieldSpec

__all__ = ["backfill_value"]


def backfill_value(spec: FieldSpec, value: str) -> DefaultValue:
    """``value`` parsed for field ``spec`` and checked against its rules.

    The value must be one the field's ``default=`` could be: of its type,
    within its length, bounds and pattern, one of its enum values.

    Raises:
        SpecError: The value does not fit, naming the field and the problem.
    """
    options: dict[str, object] = {"default": value}
    if spec.type is FieldType.STR and spec.length is not None:
        options["max_length"] = str(spec.length)
    if spec.type is FieldType.DECIMAL:
        options["precision"] = str(spec.precision)
        options["scale"] = str(spec.scale)
    if spec.type is FieldType.ENUM:
        options["choices"] = list(spec.choices)
    for bound in ("min", "max", "pattern"):
        if getattr(spec, bound) is not None:
            options[bound] = str(getattr(spec, bound))
    rep = Reporter(f"--backfill {value!r} for field {spec.name!r}")
    raw = RawField(name=spec.name, type_name=spec.type.value, options=options)
    built = build_field(raw, rep)
    if built is None or built.default is None:
        raise SpecError(*(rep.sink or [f"{rep.where}: the value is empty"]))
    return built.default
