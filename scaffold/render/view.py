"""Typed view data for the resource templates.

The templates do no logic: every annotation, column, import line and test
value is worked out here from the validated :class:`~scaffold.spec.ResourceSpec`
and handed over as plain strings.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections import Counter
from dataclasses import dataclass

from scaffold.project.access import resolve_rules
from scaffold.project.answers import IdType
from scaffold.project.relations import Target
from scaffold.render.literals import Names, py_literal
from scaffold.render.relation_model import RelationView
from scaffold.render.view_access import (
    access_dependencies,
    access_imports,
    access_view,
    apply_access,
)
from scaffold.render.view_checks import check_views
from scaffold.render.view_cursor import cursor_view
from scaffold.render.view_fields import (
    EXAMPLE_IDS,
    INPUT_TYPE_IMPORTS,
    field_constraints,
    field_view,
    free_text,
    id_view,
)
from scaffold.render.view_filters import filter_params, filter_tests
from scaffold.render.view_model import EnumView, FieldView, IdView, ResourceView
from scaffold.render.view_relations import (
    relation_imports,
    relation_views,
)
from scaffold.render.view_soft_delete import soft_delete_imports
from scaffold.spec import FieldType, ResourceSpec

__all__ = ["FieldView", "IdView", "ResourceView", "build_view", "py_literal"]


def build_view(
    resource: ResourceSpec,
    *,
    id_type: IdType,
    targets: dict[str, Target] | None = None,
    project_auth: bool = False,
) -> ResourceView:
    """Work out everything the templates render for ``resource``.

    Args:
        resource: The validated resource spec.
        id_type: The project's primary-key type.
        targets: The resources it refers to, by singular name (default: itself).
        project_auth: Whether the project has users; decides the default
            rules (see :func:`scaffold.project.access.resolve_rules`).

    Returns:
        The view.
    """
    n = resource.names
    rules = resolve_rules(resource, project_auth=project_auth)
    names = Names(f.name for f in resource.fields)
    enums = [
        EnumView(f.enum_class or "", f.name, list(f.enum_members))
        for f in resource.fields
        if f.type is FieldType.ENUM
    ]
    enum_of = {e.field: e.class_name for e in enums}
    fields = [
        field_view(spec, resource, names, enum_of.get(spec.name))
        for spec in resource.fields
    ]
    view = ResourceView(
        class_name=n.class_name,
        table=n.table,
        url=n.url_path,
        module=n.module,
        var=n.instance_var,
        var_plural=n.collection_var,
        doc_title=n.human.capitalize(),
        doc_noun=n.human,
        doc_plural=n.human_plural,
        id_param=f"{n.instance_var}_id",
        id=id_view(id_type),
        pk_name=f"pk_{n.table}",
        fields=fields,
        enums=enums,
        example={f.name: f.samples.values[0] for f in fields},
        versioned=resource.versioned,
        names=names,
        access=access_view(
            rules,
            project_auth=project_auth,
            owner_python=id_view(id_type).python_type,
            soft_delete=resource.soft_delete,
        ),
        soft_delete=resource.soft_delete,
    )
    own = dataclasses.replace(
        Target.of(resource.names),
        read=rules.read,
        write=rules.write,
        owned=rules.owned,
        soft_delete=resource.soft_delete,
    )
    known = {resource.names.singular: own, **(targets or {})}
    view.relations = relation_views(resource, known, id_type)
    _share_rows(view.required_refs)
    apply_access(view)
    view.filters = filter_params(
        view.class_name, view.doc_plural, view.fields, view.refs, view.links
    )
    view.filter_tests = filter_tests(view.fields)
    view.checks = [check for spec in resource.fields for check in check_views(spec)]
    example_id = EXAMPLE_IDS[id_type]
    view.example.update({r.key: example_id for r in view.required_refs})
    if resource.pagination == "cursor":
        view.cursor = cursor_view(view)
        view.page_class = "CursorPage"
        view.query_base = "CursorQuery"
    elif view.class_name == "Page":
        # A resource named page defines Page and PageQuery itself: its modules
        # import the generic ones under other names.
        view.page_class = "PageOf"
        view.query_base = "PagingQuery"
    _imports(view, names, id_type)
    access_imports(view)
    if view.relations:
        relation_imports(view, id_type)
    if view.soft_delete:
        soft_delete_imports(view, names)
    return view


def _default_names(fields: list[FieldView]) -> list[str]:
    """What the defaults of ``fields`` need from ``datetime``."""
    defaults = [f.spec.default for f in fields]
    if any(isinstance(value, dt.datetime) for value in defaults):
        return ["UTC", "datetime"]
    if any(isinstance(value, dt.date) for value in defaults):
        return ["date"]
    return []


def _imported(name: str, local: str) -> str:
    """``name`` as a module imports it to call it ``local``."""
    return name if name == local else f"{name} as {local}"


def _imports(view: ResourceView, names: Names, id_type: IdType) -> None:
    """Collect each module's imports from what the view decided."""
    kinds = {f.spec.type for f in view.fields}
    cls = view.class_name
    module = view.module
    schemas = (f"{cls}Create", f"{cls}Query", f"{cls}Read", f"{cls}Update")
    dt_names = [
        name
        for kind, name in ((FieldType.DATE, "date"), (FieldType.DATETIME, "datetime"))
        if kind in kinds
    ]
    uuid_ids = id_type == "uuid"

    model = view.model_imports
    # the model spells the defaults of required fields only (see model_default)
    model.add_datetime(
        names, dt_names + _default_names([f for f in view.fields if f.model_default])
    )
    if FieldType.DECIMAL in kinds:
        model.add("decimal", "Decimal")
    if view.enums:
        model.add("enum", "StrEnum")
    if FieldType.JSON in kinds:
        model.add("typing", "Any")
    if uuid_ids:
        model.add("uuid", "UUID", "uuid4")
    elif FieldType.UUID in kinds:
        model.add("uuid", "UUID")
    sa_names = {f.model_sa_type for f in view.fields if f.model_sa_type}
    if view.owned:
        sa_names.add("ForeignKey")
    sa_names.add("Index")
    if view.checks:
        sa_names |= {"CheckConstraint", "column"}
    if view.versioned:
        sa_names.add("text")
    if any(check.uses_func for check in view.checks):
        sa_names.add("func")
    if sa_names:
        model.add("sqlalchemy", *sa_names)
    model.add("sqlalchemy.orm", "Mapped", "mapped_column")
    if view.versioned:
        model.add("typing", "Any")
        model.add("sqlalchemy.orm", "declared_attr")
    model.add("app.core.database", "Base", "TimestampMixin")
    if view.enums:
        model.add("app.core.database", "enum_values")

    schema = view.schema_imports
    schema.add_datetime(names, ["datetime", *dt_names, *_default_names(view.fields)])
    if FieldType.DECIMAL in kinds:
        schema.add("decimal", "Decimal")
    schema.add("typing", "Any", "Literal")
    # Query parameters typed Annotated[X, Field(...)]: cursor, q, many-valued filters.
    constrained_params = (
        view.cursor or view.search_fields or any(p.many for p in view.filters)
    )
    if any(f.alias_type for f in view.fields) or view.links or constrained_params:
        schema.add("typing", "Annotated")
    if uuid_ids or FieldType.UUID in kinds:
        schema.add("uuid", "UUID")
    schema.add("pydantic", "BaseModel", "ConfigDict")
    if (
        view.versioned
        or view.soft_delete
        or constrained_params
        or any(field_constraints(f.spec) for f in view.fields)
    ):
        schema.add("pydantic", "Field")
    if view.required_names or any(r.many or not r.optional for r in view.relations):
        schema.add("pydantic", "field_validator")
    if any(free_text(f.spec) for f in view.fields) or view.search_fields:
        schema.add("app.schemas.common", "NO_NUL")
    for kind, (source, name) in INPUT_TYPE_IMPORTS.items():
        if kind in kinds:
            schema.add(source, name)
    if view.enums:
        schema.add(f"app.models.{module}", *(e.class_name for e in view.enums))
    if view.cursor is None:
        schema.add("app.schemas.common", _imported("PageQuery", view.query_base))
    if (
        view.not_null_names
        or view.cursor
        or view.sort_values
        or view.search_fields
        or view.filters
    ):
        schema.add("pydantic.json_schema", "SkipJsonSchema")
        schema.add("app.schemas.common", "omittable")

    unique_kinds = {f.spec.type for f in view.unique_fields}
    repository = view.repository_imports
    repository.add("collections.abc", "Sequence")
    if view.sort_values:
        repository.add("typing", "Any")
        repository.add("sqlalchemy.orm", "InstrumentedAttribute")
    if uuid_ids or FieldType.UUID in unique_kinds:
        repository.add("uuid", "UUID")
    if FieldType.DECIMAL in unique_kinds:
        repository.add("decimal", "Decimal")
    repository.add_datetime(
        names,
        (
            name
            for kind, name in (
                (FieldType.DATE, "date"),
                (FieldType.DATETIME, "datetime"),
            )
            if kind in unique_kinds
        ),
    )
    repository.add("sqlalchemy", "select")
    if view.cursor is None:
        repository.add("sqlalchemy", "func")
    if view.search_fields:
        if view.search_any_of:
            repository.add("sqlalchemy", "or_")
        repository.add("app.core.database", "escape_like")
    repository.add("sqlalchemy.ext.asyncio", "AsyncSession")
    repository.add(f"app.models.{module}", cls)
    repository.add(f"app.schemas.{module}", f"{cls}Query")

    service = view.service_imports
    service.add("collections.abc", "Awaitable")
    service.add("typing", "Any")
    if uuid_ids:
        service.add("uuid", "UUID")
    service.add("sqlalchemy.exc", "IntegrityError")
    service.add("sqlalchemy.ext.asyncio", "AsyncSession")
    service.add("app.core.errors", "ConflictError", "NotFoundError")
    if view.versioned:
        service.add("sqlalchemy.orm.exc", "StaleDataError")
        service.add("app.core.errors", "PreconditionFailedError")
        service.add("app.core.preconditions", "ensure_current")
    service.add(f"app.models.{module}", cls)
    service.add(f"app.repositories.{module}", f"{cls}Repository")
    # The list's answer: CursorPage, or the generic Page (as its local name).
    page = view.page_class if view.cursor else _imported("Page", view.page_class)
    service.add("app.schemas.common", page)
    service.add(f"app.schemas.{module}", *schemas)

    endpoints = view.endpoint_imports
    endpoints.add("typing", "Annotated", "Any")
    if uuid_ids:
        endpoints.add("uuid", "UUID")
    endpoints.add("fastapi", "APIRouter", "Depends", "Query", "status")
    if view.versioned:
        endpoints.add("fastapi", "Response")
        endpoints.add("app.core.preconditions", "IF_MATCH_REQUIRED", "IfMatch", "etag")
    if not uuid_ids:
        endpoints.add("fastapi", "Path")
    endpoints.add("app.api.deps", *access_dependencies(view))
    endpoints.add(f"app.models.{module}", cls)
    endpoints.add("app.schemas.common", page, "error_responses")
    endpoints.add(f"app.schemas.{module}", *schemas)
    endpoints.add(f"app.services.{module}", f"{cls}Service")

    tests = view.test_imports
    if FieldType.DATETIME in kinds:  # compared parsed: datetime.fromisoformat
        tests.add_datetime(names, ["datetime"])
    if FieldType.DECIMAL in kinds:  # compared as Decimal
        tests.add("decimal", "Decimal")
    tests.add("typing", "Any")
    tests.add("pytest")
    tests.add("httpx", "AsyncClient")
    if any(check.testable for check in view.checks):
        tests.add("sqlalchemy", "update")
        tests.add("sqlalchemy.exc", "IntegrityError")
        tests.add("sqlalchemy.ext.asyncio", "AsyncSession")
        tests.add(f"app.models.{module}", cls)
    if view.versioned:
        tests.add_datetime(names, ["UTC", "datetime"])
        tests.add("sqlalchemy.ext.asyncio", "AsyncSession")
        tests.add("sqlalchemy.orm.exc", "StaleDataError")
        tests.add(f"app.models.{module}", cls)
        tests.add(f"app.repositories.{module}", f"{cls}Repository")
        if uuid_ids:
            tests.add("uuid", "UUID")
    view.test_constants = [
        _Constant("MISSING", "object()"),
        _Constant("MISSING_ID", view.id.missing),
        *(
            _Constant(*f.samples.constant)
            for f in view.fields
            if f.samples.constant is not None
        ),
    ]


@dataclass(frozen=True)
class _Constant:
    name: str
    value: str


def _share_rows(references: list[RelationView]) -> None:
    """Let the tests create one row for several references to the same target."""
    counts = Counter(reference.target.singular for reference in references)
    declared: set[str] = set()
    for reference in references:
        target = reference.target.singular
        if counts[target] > 1:
            reference.shared_row = f"{target}_row"
            reference.declares_row = target not in declared
            declared.add(target)
