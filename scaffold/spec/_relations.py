"""Relationships between resources: ``author:ref`` and ``tags:refs``.

A ``ref`` field is a many-to-one reference (a foreign key column ``<name>_id``
and a relationship ``<name>``); a ``refs`` field is a many-to-many reference (an
association table, a relationship ``<name>`` and ids ``<singular>_ids`` in the
API). The referenced resource is the field's name (``author:ref``, ``tags:refs``
refer to ``author`` and ``tag``) unless named in the parentheses
(``writer:ref(person)``). Whether that resource exists is checked when the
resources are generated, against the call and the project.
"""

from __future__ import annotations

from enum import StrEnum

from pydantic import BaseModel, ConfigDict

from scaffold.spec._grammar import RawField, Reporter
from scaffold.spec._names import field_name_problems
from scaffold.spec.naming import is_snake_case, singularize, to_snake

__all__ = [
    "RELATION_OPTIONS",
    "RELATION_TYPES",
    "OnDelete",
    "RelationSpec",
    "build_relation",
    "default_inverse",
    "singular_of",
]

RELATION_TYPES = ("ref", "refs")
RELATION_OPTIONS = ("to", "on_delete", "inverse", "summary")
"""The options a relation field takes (``to`` is the ``ref(...)`` argument)."""


class OnDelete(StrEnum):
    """What deleting the referenced row does to the rows that refer to it."""

    CASCADE = "cascade"
    SET_NULL = "set null"
    RESTRICT = "restrict"

    @property
    def sql(self) -> str:
        """The ``ON DELETE`` action: ``CASCADE``, ``SET NULL``, ``RESTRICT``."""
        return self.value.upper()


class RelationSpec(BaseModel):
    """One validated relation of a resource.

    Attributes:
        name: The relationship attribute, e.g. ``author`` or ``tags``.
        target: The referenced resource's singular snake_case name.
        many: ``refs`` (many-to-many) rather than ``ref`` (many-to-one).
        optional: A ``ref`` that may be null (``?``).
        on_delete: What deleting the referenced row does (``ref`` only; the
            rows of a many-to-many association table are always deleted).
        inverse: The relationship on the referenced model, e.g. ``books``;
            None until resolved against the referencing resource's names.
        summary: The read schema also returns the referenced object(s).
    """

    model_config = ConfigDict(extra="forbid", frozen=True)

    name: str
    target: str
    many: bool = False
    optional: bool = False
    on_delete: OnDelete = OnDelete.RESTRICT
    inverse: str | None = None
    summary: bool = False

    @property
    def key(self) -> str:
        """The API key: ``author_id`` or ``tag_ids``."""
        if self.many:
            return f"{singular_of(self.name)}_ids"
        return f"{self.name}_id"


def singular_of(name: str) -> str:
    """The singular of a snake_case plural: ``tags`` -> ``tag``."""
    return singularize(name) or name


def _flag(value: object, option: str, rep: Reporter) -> bool:
    if isinstance(value, bool):
        return value
    if value in ("true", "false"):
        return value == "true"
    rep.at(option).add(f"{option} is true or false, not {value!r}")
    return False


def build_relation(
    raw: RawField, rep: Reporter, *, prefix: str | None = None
) -> RelationSpec | None:
    """Validate a ``ref`` / ``refs`` field, reporting every problem.

    Args:
        raw: The field as written (its ``to`` option is the ``ref(...)`` argument).
        rep: Where problems go.
        prefix: The resource's snake_case name, for renaming suggestions.

    Returns:
        The relation, or None when it has problems (all of them reported).
    """
    before = len(rep.sink)
    many = raw.type_name == "refs"
    for problem in field_name_problems(raw.name, prefix=prefix):
        rep.add(problem)
    options = dict(raw.options)
    for option in list(options):
        if option not in RELATION_OPTIONS:
            rep.at(option).add(
                f"{option!r} does not apply to {raw.type_name} fields; they take "
                "the referenced resource as ref(name), '?' (ref only), on_delete= "
                "(ref only) and inverse=, and in a spec file summary"
            )
    target_given = options.get("to")
    if target_given is None:
        target = raw.name if not many else singular_of(raw.name)
    elif isinstance(target_given, str) and target_given.strip():
        target = to_snake(target_given.strip())
    else:
        rep.at("to").add(f"give the referenced resource's name, not {target_given!r}")
        target = raw.name
    if not is_snake_case(target):
        rep.at("to").add(
            f"the referenced resource {target!r} is not a resource name; write it "
            "as in 'author:ref(person)'"
        )
    if many and raw.optional:
        rep.add(
            "a refs field is a list that may be empty; drop the '?' "
            f"('{raw.name}:refs')"
        )
    on_delete = OnDelete.SET_NULL if raw.optional else OnDelete.RESTRICT
    if "on_delete" in options:
        value = options["on_delete"]
        choices = ", ".join(member.value for member in OnDelete)
        if many:
            rep.at("on_delete").add(
                "on_delete applies to ref fields; the links of a refs field are "
                "removed with either side"
            )
        elif (spelled := on_delete_value(value)) is None:
            rep.at("on_delete").add(
                f"on_delete is one of {choices} (set_null on the command line), "
                f"not {value!r}"
            )
        else:
            on_delete = OnDelete(spelled)
            if on_delete is OnDelete.SET_NULL and not raw.optional:
                rep.at("on_delete").add(
                    "on_delete 'set null' needs an optional reference; mark it "
                    "optional, or use cascade or restrict"
                )
    inverse = options.get("inverse")
    if inverse is not None and not (
        isinstance(inverse, str) and is_snake_case(inverse)
    ):
        rep.at("inverse").add(
            f"inverse is the snake_case name of the relationship on the other "
            f"model, e.g. 'books', not {inverse!r}"
        )
    if target == prefix and many:
        rep.add(
            "a refs field to the resource itself is not supported; link the rows "
            f"through a separate resource with two refs, or use '{raw.name}:ref("
            f"{target})?' for one parent"
        )
    if target == prefix and not many and not raw.optional:
        rep.add(
            "a reference to the resource itself must be optional (the first row "
            f"has nothing to refer to); write '{raw.name}:ref({target})?'"
        )
    summary = _flag(options.get("summary", False), "summary", rep)
    if summary and target == prefix:
        rep.at("summary").add(
            "a self-reference cannot return a summary of itself (it would nest "
            "without end); drop summary"
        )
    if len(rep.sink) > before:
        return None
    return RelationSpec(
        name=raw.name,
        target=target,
        many=many,
        optional=raw.optional,
        on_delete=on_delete,
        inverse=inverse if isinstance(inverse, str) else None,
        summary=summary,
    )


def on_delete_value(value: object) -> str | None:
    """``value`` as an :class:`OnDelete` value, however it is spelled.

    ``set null``, ``set_null``, ``set-null`` and ``SET_NULL`` all mean the
    same: a ``:`` modifier on the command line cannot hold a space unquoted.
    """
    if not isinstance(value, str):
        return None
    words = value.strip().lower().replace("_", " ").replace("-", " ").split()
    spelled = " ".join(words)
    return spelled if spelled in {member.value for member in OnDelete} else None


def default_inverse(relation: RelationSpec, plural: str, *, self_ref: bool) -> str:
    """The inverse name when the spec gives none: ``books``, or ``children``."""
    if self_ref and not relation.many:
        return "children"
    return plural
