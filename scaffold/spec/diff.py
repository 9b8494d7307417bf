"""The difference between two specs of one resource, field by field.

A resource's recorded spec (the manifest) and its new spec give a list of
:class:`FieldChange`: fields added, removed, renamed and altered. Renames are
never guessed: a field counts as renamed only when the caller says so
(``scaffold rename field``, or ``renamed_from:`` in a spec file); otherwise a
field that disappears and one that appears are a removal and an addition.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from enum import StrEnum

from scaffold.errors import SpecError
from scaffold.spec._models import FieldSpec, ResourceSpec

__all__ = ["ASPECTS", "ChangeKind", "FieldChange", "diff_fields"]


class ChangeKind(StrEnum):
    """What happened to a field."""

    ADDED = "added"
    REMOVED = "removed"
    RENAMED = "renamed"
    ALTERED = "altered"


#: The parts of a field definition a change can alter, in the order shown.
ASPECTS = (
    "type",
    "optional",
    "length",
    "precision",
    "choices",
    "unique",
    "index",
    "default",
    "min",
    "max",
    "pattern",
)


@dataclass(frozen=True)
class FieldChange:
    """One field's change.

    Attributes:
        kind: Added, removed, renamed or altered.
        old: The field as recorded (None when added).
        new: The field as it is to be (None when removed).
        aspects: What differs between ``old`` and ``new`` (a rename may alter
            too), in :data:`ASPECTS` order.
    """

    kind: ChangeKind
    old: FieldSpec | None
    new: FieldSpec | None
    aspects: tuple[str, ...] = ()

    @property
    def name(self) -> str:
        """The field's name after the change (its old name when removed)."""
        field = self.new or self.old
        return field.name if field is not None else ""

    def describe(self) -> str:
        """One line for people: ``renamed title to name; altered length``."""
        if self.kind is ChangeKind.ADDED:
            return f"add {self.name}"
        if self.kind is ChangeKind.REMOVED:
            return f"remove {self.name}"
        altered = f" ({', '.join(self.aspects)})" if self.aspects else ""
        if self.kind is ChangeKind.RENAMED and self.old is not None:
            return f"rename {self.old.name} to {self.name}{altered}"
        return f"alter {self.name}{altered}"


def _value(field: FieldSpec, aspect: str) -> object:
    if aspect == "precision":
        return (field.precision, field.scale)
    if aspect == "length":
        return field.length
    return getattr(field, aspect)


def _aspects(old: FieldSpec, new: FieldSpec) -> tuple[str, ...]:
    return tuple(
        aspect for aspect in ASPECTS if _value(old, aspect) != _value(new, aspect)
    )


def diff_fields(
    old: ResourceSpec,
    new: ResourceSpec,
    renames: Mapping[str, str] | None = None,
) -> list[FieldChange]:
    """The field changes that turn ``old`` into ``new``.

    Args:
        old: The resource as recorded.
        new: The resource as it is to be.
        renames: New field name → its old name, for the fields renamed.

    Returns:
        Removals first, then renames and alterations in the new order, then
        additions in the new order.

    Raises:
        SpecError: A rename names a field ``old`` does not have, or one that
            ``new`` still has under its old name.
    """
    renames = dict(renames or {})
    before = {field.name: field for field in old.fields}
    after = {field.name: field for field in new.fields}
    problems = []
    for new_name, old_name in renames.items():
        if old_name not in before:
            known = ", ".join(before) or "none"
            problems.append(
                f"field {new_name!r} is renamed from {old_name!r}, which "
                f"{old.names.singular} does not have (its fields: {known}); "
                "fix the old name"
            )
        elif old_name in after:
            problems.append(
                f"field {old_name!r} is renamed to {new_name!r} but is still "
                "listed; remove the old entry"
            )
    if problems:
        raise SpecError(*problems)
    renamed_old = set(renames.values())
    changes = [
        FieldChange(ChangeKind.REMOVED, field, None)
        for name, field in before.items()
        if name not in after and name not in renamed_old
    ]
    added = []
    for name, field in after.items():
        if name in renames:
            previous = before[renames[name]]
            changes.append(
                FieldChange(
                    ChangeKind.RENAMED,
                    previous,
                    field,
                    _aspects(
                        previous, field.model_copy(update={"name": previous.name})
                    ),
                )
            )
        elif name in before:
            aspects = _aspects(before[name], field)
            if aspects:
                changes.append(
                    FieldChange(ChangeKind.ALTERED, before[name], field, aspects)
                )
        else:
            added.append(FieldChange(ChangeKind.ADDED, None, field))
    return changes + added
