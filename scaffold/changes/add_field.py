"""``scaffold add field RESOURCE FIELD...``: new columns, existing rows filled.

A required field needs a value for the rows already in the table: its
``default=``, or ``--backfill VALUE``. The revision adds the column as
nullable, fills it, then makes it NOT NULL.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from scaffold.changes.evolve import Evolution, preview_evolution
from scaffold.changes.field_rules import FieldOptions, parse_resource_fields
from scaffold.errors import SpecError
from scaffold.spec import ResourceSpec
from scaffold.spec.backfill import backfill_value

__all__ = ["preview_add_fields"]


def preview_add_fields(
    name: str,
    tokens: Sequence[str],
    *,
    project: Path,
    backfill: str | None = None,
    allow_dirty: bool = False,
) -> Evolution:
    """Plan adding fields ``tokens`` to resource ``name``; write nothing.

    Raises:
        SpecError: A token is invalid, or names a field the resource has.
        UsageError: A required field has neither a default nor ``backfill``.
    """

    def build(spec: ResourceSpec) -> tuple[ResourceSpec, FieldOptions]:
        parsed = parse_resource_fields(spec, tokens)
        added, relations = parsed.fields, parsed.relations
        taken = {field.name for field in spec.fields}
        taken |= {relation.name for relation in spec.relations}
        names = [f.name for f in added] + [r.name for r in relations]
        clashes = [name for name in names if name in taken]
        if clashes:
            raise SpecError(
                *(
                    f"{spec.names.singular} already has a field {clash!r}; change "
                    f"it with: scaffold alter field {spec.names.singular} "
                    f"{clash}:TYPE..."
                    for clash in clashes
                )
            )
        values: dict[str, object] = {
            field.name: backfill_value(field, backfill)
            for field in added
            if backfill is not None and not field.nullable
        }
        values.update(
            {
                relation.name: backfill
                for relation in relations
                if backfill is not None and not relation.optional
            }
        )
        new = spec.model_copy(
            update={
                "fields": (*spec.fields, *added),
                "relations": (*spec.relations, *relations),
            }
        )
        return new, FieldOptions(backfill=values)

    names = ", ".join(token.partition(":")[0] for token in tokens)
    return preview_evolution(
        name,
        build,
        project=project,
        title=lambda spec: f"Add {names} to {spec.names.table}",
        command=f"scaffold add field {name} {' '.join(tokens)}",
        allow_dirty=allow_dirty,
    )
