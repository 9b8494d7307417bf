"""The spec FILE format (YAML, TOML or JSON) as Pydantic models.

These models check the file's structure and give ``scaffold spec schema`` its
JSON Schema; their contents are then validated into :class:`FieldSpec` and
:class:`ResourceSpec` exactly like command-line tokens.
"""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Any, Literal

from pydantic import BaseModel, ConfigDict, Discriminator, Field, JsonValue, Tag

from scaffold.spec._catalog import FieldType
from scaffold.spec._grammar import RawField, Reporter
from scaffold.spec._relations import RELATION_TYPES

__all__ = [
    "MAPPING_TAG",
    "STRING_TAG",
    "FieldMapping",
    "FieldValue",
    "ResourceEntry",
    "SpecFile",
    "spec_json_schema",
]

STRING_TAG = "string-form"
MAPPING_TAG = "mapping-form"
_TYPE_NAMES = [t.value for t in FieldType] + ["ref", "refs"]
_COMPACT_PATTERN = r"^(" + "|".join(_TYPE_NAMES) + r")(\([^)]*\))?\??(:.*)?$"


class _FileModel(BaseModel):
    model_config = ConfigDict(extra="forbid", strict=True, frozen=True)


class FieldMapping(_FileModel):
    """A field written as a mapping (the string form's equivalent)."""

    model_config = ConfigDict(title="Field (mapping form)")

    type: str = Field(
        description="Field type, without arguments.",
        json_schema_extra={"enum": list[JsonValue](_TYPE_NAMES)},
    )
    optional: bool = Field(
        default=False, description="Nullable and not required on create ('?')."
    )
    renamed_from: str | None = Field(
        default=None,
        description="The field's previous name: scaffold apply renames the "
        "column, keeping its data (renames are never guessed).",
    )
    unique: bool = Field(default=False, description="Unique index.")
    index: bool = Field(default=False, description="Non-unique index.")
    default: str | bool | int | float | dt.datetime | dt.date | None = Field(
        default=None,
        description="Default value, as data: a number, true/false, an ISO date "
        "or date-time with offset, or a string.",
    )
    min: int | float | str | None = Field(
        default=None,
        description="Inclusive lower bound: length for str/text/email/url, value "
        "for int/float/decimal (a string keeps a decimal exact).",
    )
    max: int | float | str | None = Field(
        default=None, description="Inclusive upper bound, like min."
    )
    pattern: str | None = Field(
        default=None,
        description="Regular expression the value must contain a match of.",
    )
    max_length: int | None = Field(
        default=None, description="Column length of a str field (default 255)."
    )
    precision: int | None = Field(
        default=None, description="Total digits of a decimal field (default 12)."
    )
    scale: int | None = Field(
        default=None,
        description="Digits after the point of a decimal field (default 2).",
    )
    choices: list[str] | None = Field(
        default=None, description="Values of an enum field."
    )
    to: str | None = Field(
        default=None,
        description="The resource a ref or refs field refers to (default: the "
        "field's name, singular for refs).",
    )
    on_delete: Literal["cascade", "set null", "restrict"] | None = Field(
        default=None,
        description="What deleting the referenced row does to a ref field's rows "
        "(default: restrict, or set null when optional).",
    )
    inverse: str | None = Field(
        default=None,
        description="The relationship's name on the referenced model (default: "
        "this resource's plural; children for a self-reference).",
    )
    summary: bool | None = Field(
        default=None,
        description="Return the referenced object(s) in the read schema too.",
    )

    def raw(self, name: str, rep: Reporter) -> RawField:
        """The field as the string form reads, reporting a type with arguments."""
        type_name = self.type
        if any(char in type_name for char in "(?:"):
            bare = type_name.partition("(")[0].partition(":")[0].rstrip("?")
            target = type_name.partition("(")[2].partition(")")[0]
            if bare in RELATION_TYPES and target:
                optional = ", optional: true" if "?" in type_name else ""
                rep.at("type").add(
                    f"type {type_name!r}: in the mapping form a reference names "
                    f"its target with 'to': {{type: {bare}, to: {target}{optional}}}"
                )
            else:
                rep.at("type").add(
                    f"type {type_name!r}: the mapping form takes the bare type "
                    "(str, decimal, enum...) with max_length, precision, scale, "
                    "choices and optional as keys; or write the whole field as a "
                    f"string, e.g. {type_name!r}"
                )
            type_name = bare
        options: dict[str, object] = {}
        for option in sorted(
            self.model_fields_set - {"type", "optional", "renamed_from"}
        ):
            value = getattr(self, option)
            if value is None or (option in ("unique", "index") and value is False):
                continue
            options[option] = value
        return RawField(
            name=name, type_name=type_name, optional=self.optional, options=options
        )


def _field_form(value: Any) -> str | None:
    if isinstance(value, str):
        return STRING_TAG
    if isinstance(value, dict | FieldMapping):
        return MAPPING_TAG
    return None


FieldValue = Annotated[
    Annotated[
        str,
        Tag(STRING_TAG),
        Field(
            title="Field (string form)",
            description="type[(args)][?][:modifier...], e.g. 'str(200):unique'.",
            json_schema_extra={"pattern": _COMPACT_PATTERN},
        ),
    ]
    | Annotated[FieldMapping, Tag(MAPPING_TAG)],
    Discriminator(
        _field_form,
        custom_error_type="field_form",
        custom_error_message="a field is a string such as 'str(200):unique' or a "
        "mapping with a 'type' key",
    ),
]
"""A field in a spec file: the compact string or the mapping form."""


class ResourceEntry(_FileModel):
    """One resource in a spec file."""

    model_config = ConfigDict(title="Resource")

    name: str = Field(
        description="Singular name: book, BookReview, book-review or book_review."
    )
    plural: str | None = Field(
        default=None, description="Plural, when inflect's is not the one you want."
    )
    table: str | None = Field(
        default=None, description="Table name (default: the snake_case plural)."
    )
    fields: dict[str, FieldValue] = Field(
        default_factory=dict, description="Fields by name, in order."
    )
    filterable: list[str] | None = Field(
        default=None,
        description="Fields the list endpoint filters on (default: unique, "
        "indexed, enum and bool fields).",
    )
    sortable: list[str] | None = Field(
        default=None, description="Fields accepted by sort (default: all but json)."
    )
    searchable: list[str] | None = Field(
        default=None,
        description="Fields the text search matches (default: str, text and email).",
    )
    auth: Literal["none", "user", "admin"] | None = Field(
        default=None,
        description="Shorthand for read and write at once: none (public), user "
        "or admin. Give either auth or read/write.",
    )
    owned: bool = Field(
        default=False,
        description="Each row belongs to the user who created it (owner_id); "
        "read and write default to owner. Needs a project with auth.",
    )
    soft_delete: bool = Field(
        default=False,
        description="DELETE marks a row deleted (deleted_at) instead of removing "
        "it: reads hide it, ?deleted=true lists deleted rows and POST "
        ".../{id}/restore brings one back (administrators only, with auth); "
        "unique fields ignore deleted rows.",
    )
    versioned: bool = Field(
        default=False,
        description="Optimistic locking: a version column, an ETag on reads, and "
        "If-Match required on PUT, PATCH and DELETE (412 when stale, 428 when "
        "missing).",
    )
    pagination: Literal["offset", "cursor"] = Field(
        default="offset",
        description="How the list pages: offset (page and size, with a total) "
        "or cursor (keyset pages after an opaque cursor, stable under inserts; "
        "no total, and optional fields are not sortable).",
    )
    read: Literal["public", "user", "admin", "owner"] | None = Field(
        default=None,
        description="Who may list and get the rows: anyone, signed-in users, "
        "administrators, or each row's owner (needs owned). Default: user, or "
        "owner when owned; public in a project without auth.",
    )
    write: Literal["public", "user", "admin", "owner"] | None = Field(
        default=None,
        description="Who may create, replace, update and delete rows; never "
        "looser than read. Default: admin, or owner when owned; public in a "
        "project without auth. Administrators may always read and write.",
    )


class SpecFile(_FileModel):
    """A spec file: one or several resources."""

    model_config = ConfigDict(title="scaffold resource spec", populate_by_name=True)

    schema_: str | None = Field(
        default=None, alias="$schema", description="Path or URL of this JSON Schema."
    )
    version: Literal[1] = Field(default=1, description="Spec file format version.")
    resources: list[ResourceEntry] = Field(
        min_length=1, description="The resources to generate."
    )


def spec_json_schema() -> dict[str, Any]:
    """Return the JSON Schema (draft 2020-12) of the spec file format."""
    schema = SpecFile.model_json_schema(by_alias=True, mode="validation")
    return {"$schema": "https://json-schema.org/draft/2020-12/schema", **schema}
