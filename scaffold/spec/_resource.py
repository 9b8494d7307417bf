"""Assemble validated fields into a :class:`ResourceSpec`.

Here live the checks that need the whole resource: duplicate field names,
identifier lengths that depend on the table name, class names that depend on
the resource name, and the filterable / sortable / searchable lists.
"""

from __future__ import annotations

from collections.abc import Sequence

from scaffold.spec._catalog import FieldType
from scaffold.spec._grammar import Reporter
from scaffold.spec._models import Access, FieldSpec, Pagination, ResourceSpec, Rule
from scaffold.spec._names import fold
from scaffold.spec._relations import RelationSpec, default_inverse
from scaffold.spec._reserved import SQL_UNQUOTED
from scaffold.spec.flags import LIST_OPTIONS, flag_allowed
from scaffold.spec.naming import (
    MAX_IDENTIFIER_BYTES,
    ResourceNames,
    did_you_mean,
    to_pascal,
)

__all__ = ["LIST_OPTIONS", "assemble", "cross_check", "report_duplicates"]

# Classes generated per resource, besides the model itself.
_CLASS_SUFFIXES = (
    "Base",
    "Create",
    "Update",
    "Read",
    "Page",
    "Filter",
    "Sort",
    "Service",
    "Repository",
)


def report_duplicates(names: Sequence[tuple[str, Reporter]]) -> None:
    """Report each field name equal to an earlier one after NFKC and case folding."""
    first: dict[str, str] = {}
    for name, rep in names:
        key = fold(name)
        if key not in first:
            first[key] = name
            continue
        same = (
            ""
            if first[key] == name
            else (
                f" (same as {first[key]!r} after Unicode NFKC normalisation and "
                "case folding)"
            )
        )
        rep.add(f"duplicate field name {name!r}{same}; each field needs its own name")


def _length_problem(names: ResourceNames, spec: FieldSpec) -> str | None:
    candidates = [f"{kind}_{names.table}_{spec.name}" for kind in ("ix", "uq", "ck")]
    if spec.searchable:
        candidates.append(f"ix_{names.table}_{spec.name}_trgm")
    if spec.is_string and (spec.lower_bound or spec.max is not None):
        candidates.append(f"ck_{names.table}_{spec.name}_max_length")
    elif spec.min is not None or spec.max is not None:
        candidates.append(f"ck_{names.table}_{spec.name}_min")
    if spec.enum_db_name:
        candidates += [f"ck_{names.table}_{spec.enum_db_name}", spec.enum_db_name]
    longest = max(candidates, key=len)
    if len(longest) <= MAX_IDENTIFIER_BYTES:
        return None
    return (
        f"field name {spec.name!r} is too long for table {names.table!r}: the "
        f"database name {longest!r} would have {len(longest)} bytes, past "
        f"PostgreSQL's {MAX_IDENTIFIER_BYTES}; shorten the field or the table name"
    )


def _option_problem(option: str, spec: FieldSpec) -> str | None:
    if flag_allowed(option, spec.type):
        return None
    if option == "searchable":
        return (
            f"{spec.name!r} is a {spec.type} field; searchable fields are str, text, "
            "email or url"
        )
    return f"{spec.name!r} is a json field, which cannot be {option}"


def _resolve(
    option: str,
    given: list[str] | None,
    fields: dict[str, FieldSpec],
    declared: Sequence[str],
    rep: Reporter,
) -> set[str] | None:
    """Validate an explicit field list; None means "use the defaults"."""
    if given is None:
        return None
    chosen: set[str] = set()
    for position, name in enumerate(given):
        where = rep.at(f"{option}[{position}]")
        if name in chosen:
            where.add(f"{name!r} is listed twice in {option}; list it once")
        elif name not in declared:
            known = ", ".join(declared) or "none"
            where.add(
                f"unknown field {name!r} in {option}; fields: {known}"
                + did_you_mean(name, declared)
            )
        else:
            problem = _option_problem(option, fields[name]) if name in fields else None
            if problem:
                where.add(problem)
            chosen.add(name)
    return chosen


def assemble(
    names: ResourceNames | None,
    fields: Sequence[tuple[FieldSpec, Reporter]],
    rep: Reporter,
    options: dict[str, list[str] | None] | None = None,
    declared: Sequence[str] | None = None,
    relations: Sequence[tuple[RelationSpec, Reporter]] = (),
    *,
    auth: Access | None = None,
    owned: bool = False,
    soft_delete: bool = False,
    versioned: bool = False,
    pagination: Pagination = "offset",
    read: Rule | None = None,
    write: Rule | None = None,
) -> ResourceSpec | None:
    """Build the resource from its valid fields, reporting resource-wide problems.

    Args:
        names: The resource's names; None when they are invalid, in which
            case only the checks that do not need them run.
        fields: Each valid field with the reporter for its location.
        rep: The resource's reporter (``.filterable[0]`` etc. hang off it).
        options: Explicit ``filterable``/``sortable``/``searchable`` lists; a
            missing or None entry keeps the defaults each field carries.
        declared: Every declared field name, valid or not (default: those of
            ``fields``), so a list naming an invalid field is not "unknown".
        relations: Each valid ``ref``/``refs`` field with its reporter.
        auth: Who may call the endpoints; None for the project's default.
        owned: Whether each row belongs to the user who created it.
        soft_delete: Whether ``DELETE`` marks rows deleted instead of removing them.
        versioned: Whether each row carries a version guarding its changes.
        pagination: How the list pages; ``cursor`` sorts by required fields only.
        read: Who may read the rows; None for the project's default.
        write: Who may change the rows; None for the project's default.

    Returns:
        The resource, or None when names are missing or a problem was reported.
    """
    problems_before = len(rep.sink)
    by_name = {spec.name: spec for spec, _ in fields}
    known = list(by_name) if declared is None else declared
    chosen = {
        option: _resolve(option, (options or {}).get(option), by_name, known, rep)
        for option in LIST_OPTIONS
    }
    if owned and auth in ("none", "admin"):
        rep.at("owned").add(
            f"an owned resource belongs to each signed-in user, which auth {auth!r} "
            "does not fit; use auth 'user' (the default) or drop owned"
        )
    if soft_delete and "deleted" in by_name:
        rep.at("fields.deleted").add(
            "a soft-delete resource's list takes ?deleted=true for its deleted rows, "
            "so no field may be called 'deleted'; rename the field"
        )
    if soft_delete and versioned:
        rep.at("versioned").add(
            "soft_delete and versioned cannot be combined yet (a soft delete "
            "takes no If-Match); choose one of them"
        )
    if versioned and "version" in known:
        rep.at("versioned").add(
            "a versioned resource has a generated 'version' column, which the "
            "field 'version' would clash with; rename the field or drop versioned"
        )
    if names is None:
        return None
    if names.table in SQL_UNQUOTED:
        rep.at("table").add(
            f"table name {names.table!r} is an SQL key word that SQLAlchemy does "
            "not quote for PostgreSQL or SQLite; choose another table name"
        )
    reserved_classes = {names.class_name + suffix for suffix in _CLASS_SUFFIXES}
    finished: list[FieldSpec] = []
    for spec, field_rep in fields:
        update: dict[str, object] = {
            option: spec.name in picked
            for option, picked in chosen.items()
            if picked is not None
        }
        if pagination == "cursor" and spec.optional:
            # A keyset condition compares values; NULL compares as unknown.
            if spec.name in (chosen["sortable"] or ()):
                field_rep.add(
                    f"{spec.name!r} is optional, and cursor pages sort by columns "
                    "that are never null; drop it from sortable or make it required"
                )
            update["sortable"] = False
        if spec.type is FieldType.ENUM:
            update["enum_class"] = names.class_name + to_pascal(spec.name)
            update["enum_db_name"] = f"{names.singular}_{spec.name}"
        spec = spec.model_copy(update=update)
        if spec.enum_class in reserved_classes:
            field_rep.add(
                f"enum field {spec.name!r} would define class {spec.enum_class!r}, "
                "which the generated schemas or services already use; rename the field"
            )
        problem = _length_problem(names, spec)
        if problem:
            field_rep.add(problem)
        finished.append(spec)
    resolved = _relations(names, relations, {spec.name for spec in finished})
    if len(rep.sink) > problems_before:
        return None
    return ResourceSpec(
        names=names,
        fields=tuple(finished),
        relations=resolved,
        auth=auth,
        owned=owned,
        soft_delete=soft_delete,
        versioned=versioned,
        pagination=pagination,
        read=read,
        write=write,
    )


def _relations(
    names: ResourceNames,
    relations: Sequence[tuple[RelationSpec, Reporter]],
    field_names: set[str],
) -> tuple[RelationSpec, ...]:
    """Resolve default inverse names and report clashes between relations."""
    resolved: list[RelationSpec] = []
    inverses: dict[tuple[str, str], str] = {}
    for relation, rep in relations:
        if relation.key in field_names:
            rep.add(
                f"{relation.name!r} stores its reference as {relation.key!r}, which "
                "is also a declared field; rename one of them"
            )
        self_ref = relation.target == names.singular
        inverse = relation.inverse or default_inverse(
            relation, names.plural, self_ref=self_ref
        )
        earlier = inverses.setdefault((relation.target, inverse), relation.name)
        if earlier != relation.name:
            rep.add(
                f"{relation.name!r} and {earlier!r} would both add {inverse!r} to "
                f"{relation.target!r}; give one of them another inverse name "
                f"(':inverse={relation.name}_{inverse}' after its type, or "
                "'inverse: NAME' in a spec file)"
            )
        if self_ref and inverse in field_names | {r.name for r, _ in relations}:
            rep.add(
                f"the inverse {inverse!r} of {relation.name!r} is also a field of "
                f"{names.singular!r}; give another inverse name"
            )
        fk = f"fk_{names.table}_{relation.key}_{relation.target}"
        if len(fk) > MAX_IDENTIFIER_BYTES:
            rep.add(
                f"the constraint name {fk!r} would have {len(fk)} bytes, past "
                f"PostgreSQL's {MAX_IDENTIFIER_BYTES}; shorten the field name"
            )
        resolved.append(relation.model_copy(update={"inverse": inverse}))
    return tuple(resolved)


def cross_check(resources: list[tuple[int, ResourceSpec]], rep: Reporter) -> None:
    """Report names (singular, plural, table, class) two resources of a file share."""
    first: dict[tuple[str, str], int] = {}
    for index, spec in resources:
        names = spec.names
        for what, value in (
            ("name", names.singular),
            ("plural", names.plural),
            ("table", names.table),
            ("class", names.class_name),
        ):
            earlier = first.setdefault((what, value), index)
            if earlier != index:
                rep.at(f"resources[{index}].name").add(
                    f"{what} {value!r} is already used by resources[{earlier}]; "
                    "each resource needs its own names"
                )
