"""``scaffold rename field RESOURCE OLD NEW``: the column renamed, data kept.

Never a drop and an add: the revision renames the column (and its index,
unique and CHECK constraints), so every value stays where it was. A ``ref``
is renamed the same way: ``author`` to ``writer`` renames ``author_id`` to
``writer_id``, its foreign key and its index, the references kept.
"""

from __future__ import annotations

from pathlib import Path

from scaffold.changes.evolve import Evolution, preview_evolution
from scaffold.changes.field_rules import FieldOptions, parse_fields
from scaffold.errors import SpecError
from scaffold.spec import FieldSpec, FieldType, ResourceSpec
from scaffold.spec.naming import to_pascal

__all__ = ["preview_rename_field", "renamed_field"]


def renamed_field(spec: ResourceSpec, field: FieldSpec, new: str) -> FieldSpec:
    """``field`` of ``spec`` under the name ``new`` (an enum's class follows)."""
    update: dict[str, object] = {"name": new}
    if field.type is FieldType.ENUM:
        update["enum_class"] = spec.names.class_name + to_pascal(new)
        update["enum_db_name"] = f"{spec.names.singular}_{new}"
    return field.model_copy(update=update)


def preview_rename_field(
    name: str,
    old: str,
    new: str,
    *,
    project: Path,
    allow_dirty: bool = False,
) -> Evolution:
    """Plan renaming field ``old`` of resource ``name`` to ``new``; write nothing.

    Raises:
        SpecError: ``old`` is not a field, ``new`` is taken or not a valid name.
    """

    def build(spec: ResourceSpec) -> tuple[ResourceSpec, FieldOptions]:
        known = {field.name: field for field in spec.fields}
        linked = {relation.name: relation for relation in spec.relations}
        if old not in known and old not in linked:
            raise SpecError(
                f"{spec.names.singular} has no field {old!r} (its fields: "
                f"{', '.join([*known, *linked])}); check the name"
            )
        if new in known or new in linked:
            raise SpecError(
                f"{spec.names.singular} already has a field {new!r}; choose "
                "another name"
            )
        parse_fields(spec, [f"{new}:int"])  # the name's own rules
        options = FieldOptions(renames={new: old})
        if old in linked:
            relations = tuple(
                r.model_copy(update={"name": new}) if r.name == old else r
                for r in spec.relations
            )
            return spec.model_copy(update={"relations": relations}), options
        renamed = renamed_field(spec, known[old], new)
        fields = tuple(renamed if f.name == old else f for f in spec.fields)
        return spec.model_copy(update={"fields": fields}), options

    return preview_evolution(
        name,
        build,
        project=project,
        title=lambda spec: f"Rename {spec.names.table}.{old} to {new}",
        command=f"scaffold rename field {name} {old} {new}",
        allow_dirty=allow_dirty,
    )
