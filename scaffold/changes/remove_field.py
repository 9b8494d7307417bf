"""``scaffold remove field RESOURCE NAME...``: drop columns, knowingly.

Dropping a column destroys its values, so the command needs
``--allow-data-loss``; the revision is marked DESTRUCTIVE and its downgrade
restores the column (with placeholder values). A reference goes the same
way: a ``ref``'s key column with its foreign key and index, a ``refs``'s
association table, and the inverse relationship on the referenced model.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from scaffold.changes.evolve import Evolution, preview_evolution
from scaffold.changes.field_rules import FieldOptions
from scaffold.errors import SpecError
from scaffold.spec import ResourceSpec

__all__ = ["preview_remove_fields"]


def preview_remove_fields(
    name: str,
    fields: Sequence[str],
    *,
    project: Path,
    allow_data_loss: bool = False,
    allow_dirty: bool = False,
) -> Evolution:
    """Plan removing ``fields`` from resource ``name``; write nothing.

    Raises:
        SpecError: A name is not a field of the resource, or it would have
            no field left.
        UsageError: Without ``allow_data_loss``.
    """

    def build(spec: ResourceSpec) -> tuple[ResourceSpec, FieldOptions]:
        known = [field.name for field in spec.fields]
        known += [relation.name for relation in spec.relations]
        missing = [field for field in fields if field not in known]
        if missing:
            raise SpecError(
                *(
                    f"{spec.names.singular} has no field {field!r} (its fields: "
                    f"{', '.join(known)}); check the name"
                    for field in missing
                )
            )
        kept = tuple(field for field in spec.fields if field.name not in fields)
        linked = tuple(r for r in spec.relations if r.name not in fields)
        if not kept and not linked:
            raise SpecError(
                f"removing {', '.join(fields)} would leave {spec.names.singular} "
                "without fields; remove the resource instead: scaffold remove "
                f"resource {spec.names.singular}"
            )
        new = spec.model_copy(update={"fields": kept, "relations": linked})
        return new, FieldOptions(allow_data_loss=allow_data_loss)

    return preview_evolution(
        name,
        build,
        project=project,
        title=lambda spec: f"Remove {', '.join(fields)} from {spec.names.table}",
        command=f"scaffold remove field {name} {' '.join(fields)}",
        allow_dirty=allow_dirty,
    )
