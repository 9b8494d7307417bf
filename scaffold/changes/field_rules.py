"""The rules a field command checks before it plans: fields, data, stale lines."""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import PurePosixPath
from uuid import UUID

from scaffold.engine.plan import FileOp
from scaffold.errors import UsageError
from scaffold.render.relation_model import RelationView
from scaffold.spec import FieldSpec, ResourceSpec, parse_cli_resource
from scaffold.spec.diff import ChangeKind, FieldChange

__all__ = [
    "FieldOptions",
    "parse_fields",
    "parse_resource_fields",
    "reference_fill",
    "refuse_unsafe",
    "stale_lines",
]


@dataclass(frozen=True)
class FieldOptions:
    """What a field command is told about the data.

    Attributes:
        renames: New field name → its old name.
        backfill: Field name → the value existing rows get (validated).
        maps: Enum field → removed value → the value its rows get.
        allow_data_loss: Accept drops and narrower types (``--allow-data-loss``).
    """

    renames: Mapping[str, str] = field(default_factory=dict)
    backfill: Mapping[str, object] = field(default_factory=dict)
    maps: Mapping[str, Mapping[str, str]] = field(default_factory=dict)
    allow_data_loss: bool = False


def parse_fields(spec: ResourceSpec, tokens: Sequence[str]) -> list[FieldSpec]:
    """Fields written as ``add resource`` takes them, named for ``spec``.

    Raises:
        SpecError: A token is invalid (every problem listed).
    """
    return list(parse_resource_fields(spec, tokens).fields)


def parse_resource_fields(spec: ResourceSpec, tokens: Sequence[str]) -> ResourceSpec:
    """The fields and references of ``tokens``, as a resource named as ``spec``.

    Raises:
        SpecError: A token is invalid (every problem listed).
        UsageError: No token at all.
    """
    if not tokens:
        raise UsageError("name at least one field, e.g. isbn:str(13)")
    return parse_cli_resource(
        spec.names.singular,
        list(tokens),
        plural=spec.names.plural,
        versioned=spec.versioned,
    )


def refuse_unsafe(
    table: str, changes: list[FieldChange], options: FieldOptions, command: str
) -> None:
    """Refuse, before writing anything, a change the data rules forbid.

    Raises:
        UsageError: A required field has no value for existing rows, a
            destructive change lacks ``--allow-data-loss``, or a ``--map``
            does not fit the enum.
    """
    problems = []
    for change in changes:
        new, old = change.new, change.old
        if (
            change.kind is ChangeKind.ADDED
            and new is not None
            and not new.nullable
            and new.default is None
            and change.name not in options.backfill
        ):
            problems.append(
                f"field {change.name!r} is required, and rows already in {table} "
                f"need a value for it: give it a default ({change.name}:...:"
                f"default=VALUE) or pass --backfill VALUE"
            )
        mapping = options.maps.get(change.name, {})
        if mapping:
            before = old.choices if old is not None else ()
            after = new.choices if new is not None else ()
            for source, target in mapping.items():
                if source not in before or source in after:
                    problems.append(
                        f"--map {source}={target}: {source!r} is not a value "
                        f"{change.name} loses; map only removed values"
                    )
                elif target not in after:
                    problems.append(
                        f"--map {source}={target}: {target!r} is not one of the "
                        f"new values of {change.name} ({', '.join(after)})"
                    )
    if problems:
        raise UsageError(*problems)


def reference_fill(
    table: str, reference: RelationView, value: object, id_type: str
) -> object:
    """The target id the rows already in ``table`` get for a required ``ref``.

    Raises:
        UsageError: A required reference without ``--backfill ID``, or an id
            of the wrong type.
    """
    if reference.optional or reference.many:
        return None
    if value is None:
        raise UsageError(
            f"reference {reference.name!r} is required, and rows already in "
            f"{table} need one: add it optional ({reference.name}:ref?) or pass "
            f"--backfill ID (the id of an existing {reference.target.singular})"
        )
    try:
        return UUID(str(value)) if id_type == "uuid" else int(str(value))
    except ValueError:
        raise UsageError(
            f"--backfill {value!r} is not a {id_type} id of a "
            f"{reference.target.singular}; give an existing row's id"
        ) from None


def stale_lines(
    formatted: Mapping[PurePosixPath, str],
    ops: list[FileOp],
    changes: list[FieldChange],
    references: Sequence[str] = (),
) -> list[str]:
    """User-written lines that name a field (or ``references``) renamed or removed."""
    gone = [
        change.old.name
        for change in changes
        if change.old is not None
        and change.kind in (ChangeKind.RENAMED, ChangeKind.REMOVED)
    ]
    gone += references
    if not gone:
        return []
    word = re.compile(r"\b(" + "|".join(map(re.escape, gone)) + r")\b")
    found = []
    for op in ops:
        if op.content is None or op.path not in formatted:
            continue
        generated = set(formatted[op.path].splitlines())
        for number, line in enumerate(op.content.splitlines(), start=1):
            if line not in generated and word.search(line):
                found.append(f"{op.path}:{number}: {line.strip()}")
    return found
