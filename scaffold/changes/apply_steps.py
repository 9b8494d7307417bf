"""A resource's change in a spec file, as the field commands that make it.

``scaffold apply`` changes a resource the way the equivalent field commands
would, one revision per command, in this order: ``remove field`` (every
field and reference the file drops), ``rename field`` (one per rename, in the
file's order), ``alter field`` (every field and reference whose definition
changes) and ``add field`` (every new one). Each step's spec is the previous
one with that command's change; the last is the file's own spec, so that what
only a spec file can say (list flags, access rules) lands too.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from scaffold.changes.field_rules import FieldOptions
from scaffold.changes.rename_field import renamed_field
from scaffold.spec import ResourceSpec
from scaffold.spec.diff import diff_fields

__all__ = ["FieldStep", "field_steps"]


@dataclass(frozen=True)
class FieldStep:
    """One field command's worth of a resource's change.

    Attributes:
        spec: The resource after the step.
        options: What the step is told (its renames, data loss allowed).
        title: The revision's title, as the command writes it.
    """

    spec: ResourceSpec
    options: FieldOptions
    title: str


def _names(spec: ResourceSpec) -> list[str]:
    return [f.name for f in spec.fields] + [r.name for r in spec.relations]


def field_steps(
    old: ResourceSpec,
    wanted: ResourceSpec,
    renames: Mapping[str, str],
    *,
    allow_data_loss: bool = False,
) -> list[FieldStep]:
    """The field commands that turn ``old`` into ``wanted``, in order.

    Args:
        old: The resource as recorded.
        wanted: The resource as the spec file has it.
        renames: New name → old name, as the file's ``renamed_from`` says.
        allow_data_loss: Whether ``--allow-data-loss`` was given.
    """
    table = old.names.table
    kept = {renames.get(name, name) for name in _names(wanted)}
    steps: list[FieldStep] = []
    spec = old
    dropped = [name for name in _names(old) if name not in kept]
    if dropped:
        spec = spec.model_copy(
            update={
                "fields": tuple(f for f in spec.fields if f.name in kept),
                "relations": tuple(r for r in spec.relations if r.name in kept),
            }
        )
        steps.append(
            FieldStep(
                spec,
                FieldOptions(allow_data_loss=allow_data_loss),
                f"Remove {', '.join(dropped)} from {table}",
            )
        )
    for new, was in renames.items():
        spec = spec.model_copy(
            update={
                "fields": tuple(
                    renamed_field(spec, f, new) if f.name == was else f
                    for f in spec.fields
                ),
                "relations": tuple(
                    r.model_copy(update={"name": new}) if r.name == was else r
                    for r in spec.relations
                ),
            }
        )
        steps.append(
            FieldStep(
                spec,
                FieldOptions(renames={new: was}),
                f"Rename {table}.{was} to {new}",
            )
        )
    fields = {f.name: f for f in wanted.fields}
    relations = {r.name: r for r in wanted.relations}
    redefined = spec.model_copy(
        update={
            "fields": tuple(fields.get(f.name, f) for f in spec.fields),
            "relations": tuple(relations.get(r.name, r) for r in spec.relations),
        }
    )
    altered = [
        *(change.name for change in diff_fields(spec, redefined)),
        *(r.name for r in spec.relations if relations.get(r.name, r) != r),
    ]
    if altered:
        spec = redefined
        steps.append(
            FieldStep(
                spec,
                FieldOptions(allow_data_loss=allow_data_loss),
                f"Alter {', '.join(altered)} of {table}",
            )
        )
    added = [name for name in _names(wanted) if name not in _names(spec)]
    if added:
        steps.append(
            FieldStep(
                wanted,
                FieldOptions(allow_data_loss=allow_data_loss),
                f"Add {', '.join(added)} to {table}",
            )
        )
    elif steps:  # what only a spec file says lands with the last step
        last = steps[-1]
        steps[-1] = FieldStep(wanted, last.options, last.title)
    return steps
