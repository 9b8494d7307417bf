"""Resource specs: parse command-line fields and spec files into typed models.

A field is written ``name:type[(args)][?][:modifier...]`` on the command line
(``price:decimal(10,2):min=0``), and in a spec file either as that string
without the name or as a mapping (``{type: decimal, precision: 10, ...}``).
Every spelling is validated into the same :class:`FieldSpec` and
:class:`ResourceSpec`; every problem found is reported at once in one
:class:`~scaffold.errors.SpecError`, one line per problem.

See ``_grammar`` for how ``:`` inside ``default=`` and ``pattern=`` values is
read, and ``_catalog`` for the types and which modifiers apply to each.
"""

from __future__ import annotations

import re
from functools import cache
from pathlib import Path

from pydantic import TypeAdapter, ValidationError

from scaffold.errors import SpecError
from scaffold.spec._catalog import FieldType
from scaffold.spec._fields import build_field
from scaffold.spec._files import (
    SpecFileError,
    format_location,
    pydantic_problems,
    read_data,
)
from scaffold.spec._grammar import RawField, Reporter, parse_compact
from scaffold.spec._models import (
    Access,
    EnumMember,
    FieldSpec,
    Pagination,
    PyType,
    ResourceSpec,
    Rule,
    SqlType,
)
from scaffold.spec._relations import (
    RELATION_TYPES,
    OnDelete,
    RelationSpec,
    build_relation,
)
from scaffold.spec._reserved import (
    LIST_QUERY_PARAMS,
    RESERVED_FIELDS,
    SQL_RESERVED,
    SQL_UNQUOTED,
)
from scaffold.spec._resource import (
    LIST_OPTIONS,
    assemble,
    cross_check,
    report_duplicates,
)
from scaffold.spec._schema import (
    FieldMapping,
    FieldValue,
    ResourceEntry,
    SpecFile,
    spec_json_schema,
)
from scaffold.spec.naming import check_resource_names

__all__ = [
    "LIST_QUERY_PARAMS",
    "RESERVED_FIELDS",
    "SQL_RESERVED",
    "SQL_UNQUOTED",
    "Access",
    "EnumMember",
    "FieldMapping",
    "FieldSpec",
    "FieldType",
    "OnDelete",
    "PyType",
    "RelationSpec",
    "ResourceEntry",
    "ResourceSpec",
    "Rule",
    "SpecFile",
    "SqlType",
    "load_spec_file",
    "parse_cli_resource",
    "parse_field",
    "spec_json_schema",
]

_PLAIN_KEY = re.compile(r"[A-Za-z_][A-Za-z0-9_]*")


def parse_field(token: str) -> FieldSpec:
    """Parse one command-line field such as ``'price:decimal(10,2):min=0'``.

    Args:
        token: ``name:type[(args)][?][:modifier...]``.

    Returns:
        The validated field, with the default filterable / sortable /
        searchable flags.

    Raises:
        SpecError: Listing every problem of the token.
    """
    rep = Reporter(f"field {token!r}")
    raw = parse_compact(token, rep)
    if raw is not None and raw.type_name in RELATION_TYPES:
        raise SpecError(
            f"field {token!r}: a {raw.type_name} field refers to another resource; "
            "give it with the resource (scaffold add resource NAME FIELD...)"
        )
    spec = build_field(raw, rep) if raw is not None else None
    if rep.sink or spec is None:
        raise SpecError(*rep.sink)
    return spec


def parse_cli_resource(
    name: str,
    fields: list[str],
    *,
    plural: str | None = None,
    auth: Access | None = None,
    owned: bool = False,
    soft_delete: bool = False,
    versioned: bool = False,
    pagination: Pagination = "offset",
    read: Rule | None = None,
    write: Rule | None = None,
) -> ResourceSpec:
    """Parse ``scaffold add resource NAME FIELD...``.

    Args:
        name: The resource name, singular, in any spelling.
        fields: The field tokens, in order.
        plural: An explicit plural overriding inflect's.
        auth: Who may call the endpoints; None for the project's default.
        owned: Whether each row belongs to the user who created it.
        soft_delete: Whether ``DELETE`` marks rows deleted instead of removing them.
        versioned: Whether each row carries a version guarding its changes.
        pagination: How the list pages: ``offset`` or ``cursor``.
        read: Who may read the rows; None for the project's default.
        write: Who may change the rows; None for the project's default.

    Returns:
        The validated resource.

    Raises:
        SpecError: Listing every problem with the name and every field.
    """
    sink: list[str] = []
    names, name_problems = check_resource_names(name, plural)
    sink += [message for _, message in name_problems]
    prefix = names.singular if names is not None else None
    built: list[tuple[FieldSpec, Reporter]] = []
    relations: list[tuple[RelationSpec, Reporter]] = []
    seen: list[tuple[str, Reporter]] = []
    for token in fields:
        rep = Reporter(f"field {token!r}", sink)
        raw = parse_compact(token, rep)
        if raw is None:
            continue
        seen.append((raw.name, rep))
        spec = _build(raw, rep, prefix)
        if isinstance(spec, RelationSpec):
            relations.append((spec, rep))
        elif spec is not None:
            built.append((spec, rep))
    report_duplicates(seen)
    resource = assemble(
        names,
        built,
        Reporter(f"resource {name!r}", sink),
        relations=relations,
        auth=auth,
        owned=owned,
        soft_delete=soft_delete,
        versioned=versioned,
        pagination=pagination,
        read=read,
        write=write,
    )
    if sink or resource is None:
        raise SpecError(*sink)
    return resource


@cache
def _field_value_adapter() -> TypeAdapter[str | FieldMapping]:
    return TypeAdapter(FieldValue)


def _key(key: str) -> str:
    return key if _PLAIN_KEY.fullmatch(key) else repr(key)


def _build(
    raw: RawField, rep: Reporter, prefix: str | None
) -> FieldSpec | RelationSpec | None:
    if raw.type_name in RELATION_TYPES:
        return build_relation(raw, rep, prefix=prefix)
    return build_field(raw, rep, prefix=prefix)


def _field(
    name: str, value: str | FieldMapping, rep: Reporter, prefix: str | None
) -> FieldSpec | RelationSpec | None:
    if isinstance(value, str):
        flat = Reporter(rep.where, rep.sink)
        raw = parse_compact(value, flat, name=name)
        return _build(raw, flat, prefix) if raw is not None else None
    return _build(value.raw(name, rep), rep, prefix)


def _resource(
    rep: Reporter,
    name: str | None,
    fields: dict[str, str | FieldMapping],
    *,
    plural: str | None = None,
    table: str | None = None,
    options: dict[str, list[str] | None] | None = None,
    declared: list[str] | None = None,
    auth: Access | None = None,
    owned: bool = False,
    soft_delete: bool = False,
    versioned: bool = False,
    pagination: Pagination = "offset",
    read: Rule | None = None,
    write: Rule | None = None,
) -> ResourceSpec | None:
    """Validate one resource of a spec file; None if it has problems.

    ``name`` is None, and ``declared`` lists more than ``fields``, when
    salvaging the well-formed parts of a resource that failed validation.
    """
    problems_before = len(rep.sink)
    names = None
    if name is not None:
        names, name_problems = check_resource_names(name, plural, table=table)
        for part, message in name_problems:
            rep.at(part).add(message)
    prefix = names.singular if names is not None else None
    built: list[tuple[FieldSpec, Reporter]] = []
    relations: list[tuple[RelationSpec, Reporter]] = []
    seen: list[tuple[str, Reporter]] = []
    for key, value in fields.items():
        field_rep = rep.at(f"fields.{_key(key)}")
        seen.append((key, field_rep))
        spec = _field(key, value, field_rep, prefix)
        if isinstance(spec, RelationSpec):
            relations.append((spec, field_rep))
        elif spec is not None:
            built.append((spec, field_rep))
    report_duplicates(seen)
    known = list(fields) if declared is None else declared
    resource = assemble(
        names,
        built,
        rep,
        options,
        known,
        relations,
        auth=auth,
        owned=owned,
        soft_delete=soft_delete,
        versioned=versioned,
        pagination=pagination,
        read=read,
        write=write,
    )
    return resource if len(rep.sink) == problems_before else None


def _from_entry(entry: ResourceEntry, rep: Reporter) -> ResourceSpec | None:
    return _resource(
        rep,
        entry.name,
        dict(entry.fields),
        plural=entry.plural,
        table=entry.table,
        options={option: getattr(entry, option) for option in LIST_OPTIONS},
        auth=entry.auth,
        owned=entry.owned,
        soft_delete=entry.soft_delete,
        versioned=entry.versioned,
        pagination=entry.pagination,
        read=entry.read,
        write=entry.write,
    )


def _salvage(item: object, rep: Reporter) -> None:
    """Check the well-formed parts of a resource that failed validation.

    Its structural problems were reported by the whole-file validation; this
    adds the problems of its names, fields and lists that are well-formed.
    """
    if not isinstance(item, dict):
        return
    raw_fields = item.get("fields")
    if not isinstance(raw_fields, dict):
        raw_fields = {}
    declared = [key for key in raw_fields if isinstance(key, str)]
    fields: dict[str, str | FieldMapping] = {}
    for key in declared:
        try:
            fields[key] = _field_value_adapter().validate_python(raw_fields[key])
        except ValidationError:
            continue
    name, plural, table = (item.get(key) for key in ("name", "plural", "table"))
    options: dict[str, list[str] | None] = {
        option: value
        for option in LIST_OPTIONS
        if isinstance(value := item.get(option), list)
        and all(isinstance(entry, str) for entry in value)
    }
    well_formed = isinstance(name, str) and all(
        value is None or isinstance(value, str) for value in (plural, table)
    )
    _resource(
        rep,
        name if well_formed else None,
        fields,
        plural=plural if well_formed else None,
        table=table if well_formed else None,
        options=options,
        declared=declared,
    )


def load_spec_file(path: Path) -> list[ResourceSpec]:
    """Load every resource of a YAML (.yaml/.yml), TOML or JSON spec file.

    Args:
        path: The spec file.

    Returns:
        The validated resources, in file order.

    Raises:
        SpecError: Listing every problem, each prefixed with the file and the
            key path (``books.yaml: resources[0].fields.price: ...``).
    """
    shown = str(path)
    try:
        data, file_problems = read_data(path)
    except SpecFileError as error:
        raise SpecError(" ".join(f"{shown}: {error}".split())) from error
    rep = Reporter(shown, nested=True, root=True)
    for problem in file_problems:
        rep.add(problem)
    if not isinstance(data, dict):
        raise SpecError(
            *rep.sink,
            f"{shown}: a spec file holds a mapping with a 'resources' list, not "
            f"{type(data).__name__}; e.g. "
            "resources: [{name: book, fields: {title: str}}]",
        )
    entries: list[tuple[int, ResourceEntry]] = []
    try:
        entries = list(enumerate(SpecFile.model_validate(data).resources))
    except ValidationError as error:
        for loc, message in pydantic_problems(error):
            (rep.at(format_location(loc)) if loc else rep).add(message)
        items = data.get("resources")
        for index, item in enumerate(items if isinstance(items, list) else []):
            try:
                entries.append((index, ResourceEntry.model_validate(item)))
            except ValidationError:
                _salvage(item, rep.at(f"resources[{index}]"))
    resources = []
    for index, entry in entries:
        spec = _from_entry(entry, rep.at(f"resources[{index}]"))
        if spec is not None:
            resources.append((index, spec))
    cross_check(resources, rep)
    if rep.sink:
        raise SpecError(*rep.sink)
    return [spec for _, spec in resources]
