"""The list endpoint's per-field flags: filterable, sortable, searchable."""

from __future__ import annotations

from scaffold.spec._catalog import FieldType
from scaffold.spec._models import FieldSpec

__all__ = ["LIST_OPTIONS", "flag_allowed", "keep_list_flags"]

LIST_OPTIONS = ("filterable", "sortable", "searchable")
SEARCHABLE_TYPES = (FieldType.STR, FieldType.TEXT, FieldType.EMAIL, FieldType.URL)


def flag_allowed(option: str, field_type: FieldType) -> bool:
    """Whether a field of ``field_type`` may carry the list flag ``option``."""
    if option in ("filterable", "sortable"):
        return field_type is not FieldType.JSON
    return field_type in SEARCHABLE_TYPES


def keep_list_flags(old: FieldSpec, new: FieldSpec) -> FieldSpec:
    """``new`` with the list flags ``old`` had, where its type allows them.

    A command-line field definition cannot state the flags, so redefining a
    field keeps the ones recorded for it. A flag the old type could not carry
    (a json field's ``sortable``, an int's ``searchable``) was never a choice,
    so it takes ``new``'s default; one the new type cannot carry is dropped.
    """
    update = {
        option: getattr(old, option)
        if flag_allowed(option, old.type)
        else getattr(new, option)
        for option in LIST_OPTIONS
    }
    return new.model_copy(
        update={
            option: value and flag_allowed(option, new.type)
            for option, value in update.items()
        }
    )
