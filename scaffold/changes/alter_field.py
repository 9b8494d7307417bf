"""``scaffold alter field RESOURCE FIELD...``: a field's complete new definition.

Whatever the rows already hold must fit the new definition: the revision
counts the rows that do not (longer strings, NULLs, duplicates, values out of
bounds, enum values removed) and stops before changing anything. Removed enum
values in use are mapped with ``--map OLD=NEW``; a narrower type needs
``--allow-data-loss``. A ``ref`` may become required (its rows without a
reference counted first, or given ``--backfill ID``) or optional, or change
its ``on_delete``; its target and kind stay.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from scaffold.changes.evolve import Evolution, preview_evolution
from scaffold.changes.field_rules import FieldOptions, parse_resource_fields
from scaffold.errors import SpecError, UsageError
from scaffold.spec import RelationSpec, ResourceSpec
from scaffold.spec.backfill import backfill_value
from scaffold.spec.flags import keep_list_flags

__all__ = ["preview_alter_fields"]


def _maps(pairs: Sequence[str]) -> dict[str, str]:
    mapping = {}
    for pair in pairs:
        source, equals, target = pair.partition("=")
        if not equals or not source or not target:
            raise UsageError(
                f"--map {pair!r} is not OLD=NEW; e.g. --map archived=closed"
            )
        mapping[source] = target
    return mapping


def _reference_update(relation: RelationSpec) -> dict[str, object]:
    """What an altered reference may change; a new target or kind is refused.

    Its inverse and summary, which the field grammar cannot write, stay.
    """
    return {
        "target": relation.target,
        "many": relation.many,
        "optional": relation.optional,
        "on_delete": relation.on_delete,
    }


def preview_alter_fields(
    name: str,
    tokens: Sequence[str],
    *,
    project: Path,
    backfill: str | None = None,
    maps: Sequence[str] = (),
    allow_data_loss: bool = False,
    allow_dirty: bool = False,
) -> Evolution:
    """Plan redefining fields ``tokens`` of resource ``name``; write nothing.

    Raises:
        SpecError: A token is invalid or names no field of the resource.
        UsageError: A ``--map`` is malformed, or the change is destructive
            without ``allow_data_loss``.
    """
    mapping = _maps(maps)

    def build(spec: ResourceSpec) -> tuple[ResourceSpec, FieldOptions]:
        parsed = parse_resource_fields(spec, tokens)
        altered = {field.name: field for field in parsed.fields}
        linked = {relation.name: relation for relation in spec.relations}
        relinked = {relation.name: relation for relation in parsed.relations}
        known = [field.name for field in spec.fields]
        missing = [field for field in [*altered, *relinked] if field not in known]
        missing = [field for field in missing if field not in linked]
        if missing:
            raise SpecError(
                *(
                    f"{spec.names.singular} has no field {field!r} (its fields: "
                    f"{', '.join(known)}); add it with: scaffold add field "
                    f"{spec.names.singular} {field}:TYPE"
                    for field in missing
                )
            )
        fields = tuple(
            keep_list_flags(f, altered[f.name]) if f.name in altered else f
            for f in spec.fields
        )
        relations = tuple(
            r.model_copy(update=_reference_update(relinked[r.name]))
            if r.name in relinked
            else r
            for r in spec.relations
        )
        values: dict[str, object] = {
            field.name: backfill_value(field, backfill)
            for field in altered.values()
            if backfill is not None and not field.nullable
        }
        values |= {
            name: backfill
            for name, relation in relinked.items()
            if backfill is not None and not relation.optional
        }
        enums = [field.name for field in altered.values() if field.choices]
        maps_of = {enums[0]: mapping} if mapping and len(enums) == 1 else {}
        if mapping and len(enums) != 1:
            raise UsageError(
                "--map applies to one enum field; alter one enum field at a time"
            )
        options = FieldOptions(
            backfill=values, maps=maps_of, allow_data_loss=allow_data_loss
        )
        new = spec.model_copy(update={"fields": fields, "relations": relations})
        return new, options

    names = ", ".join(token.partition(":")[0] for token in tokens)
    return preview_evolution(
        name,
        build,
        project=project,
        title=lambda spec: f"Alter {names} of {spec.names.table}",
        command=f"scaffold alter field {name} {' '.join(tokens)}",
        allow_dirty=allow_dirty,
    )
