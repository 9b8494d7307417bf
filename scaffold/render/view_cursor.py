"""What cursor pagination adds to a resource's view.

A cursor resource's list pages by keyset: each page ends with an opaque
cursor holding the sort order and the last row's sort value and id, and the
next page starts after that pair. The templates print those shapes; this
module decides the values they need (the cursor's longest length, the type
each sort value is read back with) and adds the names they use to each
module's imports.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

from scaffold.render.view_model import ResourceView
from scaffold.spec import FieldSpec, FieldType

__all__ = ["CursorView", "cursor_view"]

# JSON of the cursor besides the sort key and the value: keys, quotes, the id.
_OVERHEAD = 80
# Longest JSON of a value that is neither a string nor a decimal.
_SCALAR = 40
# A character of a string takes at most six bytes in JSON (``\u001f``).
_CHAR = 6
# Characters of a string with no length limit (a ``text`` field without max)
# that a cursor carries at most.
_UNBOUNDED = 100_000


@dataclass(frozen=True)
class CursorKey:
    """A column ``sort`` may name, and the type its cursor value is read as."""

    name: str
    value_type: str
    ordered: bool = True
    ties: bool = False


@dataclass(frozen=True)
class CursorView:
    """The values the cursor-paged list's templates print.

    Attributes:
        keys: Every sort column, in the order of the ``sort`` allow-list.
        sorts: Every value of ``sort``, each with whether the tests can check
            the order (the database and Python order its values alike) and
            whether they can give rows equal values (not unique) to tie them.
        id_type: The type the last row's id is read back as.
        max_length: The longest cursor the list can hand out (base64 of JSON).
    """

    keys: tuple[CursorKey, ...]
    sorts: list[tuple[str, bool, bool]]
    id_type: str
    max_length: int


def cursor_view(view: ResourceView) -> CursorView:
    """Decide the cursor of ``view``'s list and add the imports it needs."""
    keys = [
        CursorKey(f.name, f.alias, _ordered(f.spec), ties=not f.spec.unique)
        for f in view.sort_fields
    ]
    keys += [CursorKey(name, "UtcDatetime") for name in ("created_at", "updated_at")]
    longest_value = max((_json_length(f.spec) for f in view.sort_fields), default=0)
    longest_key = max(len(key.name) for key in keys) + 1  # the '-' of descending
    json_length = _OVERHEAD + longest_key + max(longest_value, _SCALAR)
    uuid_ids = view.id.python_type == "UUID"
    schema = view.schema_imports
    schema.add("typing", "Any", "Self")
    schema.add("pydantic", "TypeAdapter", "ValidationError", "model_validator")
    schema.add(
        "app.schemas.common",
        "CURSOR_PATTERN",
        "CursorQuery",
        "UtcDatetime",
        "decode_cursor",
    )
    if not uuid_ids:
        schema.add("typing", "Annotated")
    view.test_imports.add("datetime", "datetime")
    view.repository_imports.add("sqlalchemy", "and_", "literal", "or_")
    view.repository_imports.add("app.schemas.common", "encode_cursor")
    return CursorView(
        keys=tuple(keys),
        sorts=[
            (sign + key.name, key.ordered, key.ties)
            for key in keys
            for sign in ("", "-")
        ],
        id_type="UUID" if uuid_ids else "Annotated[int, Field(ge=1, le=2_147_483_647)]",
        max_length=4 * math.ceil(json_length / 3),
    )


def _json_length(spec: FieldSpec) -> int:
    """The longest JSON of one value of the field ``spec``."""
    if spec.type is FieldType.DECIMAL:
        return (spec.precision or 38) + 4
    if spec.type is FieldType.ENUM:
        return _CHAR * max(len(choice) for choice in spec.choices) + 2
    if spec.is_string:
        limit = spec.max if spec.max is not None else spec.length
        return _CHAR * int(limit or _UNBOUNDED) + 2
    return _SCALAR


def _ordered(spec: FieldSpec) -> bool:
    """Whether both databases order the values of ``spec`` as Python does.

    Enums sort by declaration in PostgreSQL; strings with a pattern or of any
    case and punctuation may sort by a collation.
    """
    if spec.type in (FieldType.ENUM, FieldType.BOOL, FieldType.UUID):
        return False
    return not spec.is_string or (spec.type is FieldType.STR and spec.pattern is None)
