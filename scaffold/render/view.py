"""Typed view data for the resource templates.

The templates do no logic: every annotation, column, import line and test
value is worked out here from the validated :class:`~scaffold.spec.ResourceSpec`
and handed over as plain strings.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from dataclasses import dataclass

from scaffold.project.access import resolve_rules
from scaffold.project.answers import IdType
from scaffold.project.relations import Target
from scaffold.render.literals import Names, py_literal
from scaffold.render.view_access import (
    access_dependencies,
    access_imports,
    access_view,
    apply_access,
)
from scaffold.render.view_checks import check_views
from scaffold.render.view_fields import EXAMPLE_IDS, field_view, id_view
from scaffold.render.view_filters import filter_params, filter_tests
from scaffold.render.view_model import EnumView, FieldView, IdView, ResourceView
from scaffold.render.view_relations import (
    relation_imports,
    relation_views,
)
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
        names=names,
        access=access_view(
            rules, project_auth=project_auth, owner_python=id_view(id_type).python_type
        ),
    )
    own = dataclasses.replace(
        Target.of(resource.names), read=rules.read, write=rules.write, owned=rules.owned
    )
    known = {resource.names.singular: own, **(targets or {})}
    view.relations = relation_views(resource, known, id_type)
    apply_access(view)
    view.filters = filter_params(
        view.class_name, view.doc_plural, view.fields, view.refs, view.links
    )
    view.filter_tests = filter_tests(view.fields)
    view.checks = [check for spec in resource.fields for check in check_views(spec)]
    example_id = EXAMPLE_IDS[id_type]
    view.example.update({r.key: example_id for r in view.required_refs})
    _imports(view, names, id_type)
    access_imports(view)
    if view.relations:
        relation_imports(view, id_type)
    return view


def _imports(view: ResourceView, names: Names, id_type: IdType) -> None:
    """Fill in each module's import lines (ruff sorts and groups them)."""
    kinds = {f.spec.type for f in view.fields}
    cls = view.class_name
    schemas = f"{cls}Create, {cls}Query, {cls}Read, {cls}Update"
    module = view.module
    id_imports = ["from uuid import UUID"] if id_type == "uuid" else []
    dt_names = [
        name
        for kind, name in ((FieldType.DATE, "date"), (FieldType.DATETIME, "datetime"))
        if kind in kinds
    ]
    defaults = [f.spec.default for f in view.fields]
    if any(isinstance(value, dt.datetime) for value in defaults):
        dt_names += ["UTC", "datetime"]
    elif any(isinstance(value, dt.date) for value in defaults):
        dt_names.append("date")
    decimal = ["from decimal import Decimal"] if FieldType.DECIMAL in kinds else []
    uuid_field = ["from uuid import UUID"] if FieldType.UUID in kinds else []
    any_import = ["from typing import Any"] if FieldType.JSON in kinds else []
    enum_names = [e.class_name for e in view.enums]

    sa_names = sorted(
        {f.model_sa_type for f in view.fields if f.model_sa_type}
        | ({"ForeignKey"} if view.owned else set())
        | ({"CheckConstraint", "column"} if view.checks else set())
        | ({"func"} if any("func." in c.model for c in view.checks) else set())
    )
    view.model_imports = [
        *names.datetime_import(dt_names),
        *decimal,
        *(["from enum import StrEnum"] if view.enums else []),
        *any_import,
        *(["from uuid import UUID, uuid4"] if id_type == "uuid" else uuid_field),
        *([f"from sqlalchemy import {', '.join(sa_names)}"] if sa_names else []),
        "from sqlalchemy.orm import Mapped, mapped_column",
        "from app.core.database import Base, TimestampMixin"
        + (", enum_values" if view.enums else ""),
    ]
    pydantic = ["BaseModel", "ConfigDict", "Field"]
    if view.required_names or any(r.many or not r.optional for r in view.relations):
        pydantic.append("field_validator")
    if FieldType.EMAIL in kinds:
        pydantic.append("EmailStr")
    if FieldType.URL in kinds:
        pydantic += ["HttpUrl", "PlainSerializer"]
    typing = ["Any", "Literal"]
    if any(f.alias_type for f in view.fields) or FieldType.URL in kinds or view.links:
        typing.append("Annotated")
    view.schema_imports = [
        *names.datetime_import(["datetime", *dt_names]),
        *decimal,
        f"from typing import {', '.join(sorted(set(typing)))}",
        *sorted(set(id_imports + uuid_field)),
        f"from pydantic import {', '.join(sorted(pydantic))}",
        *(
            [f"from app.models.{module} import {', '.join(enum_names)}"]
            if enum_names
            else []
        ),
        *(
            ["from pydantic.json_schema import SkipJsonSchema"]
            if view.not_null_names
            else []
        ),
        "from app.schemas.common import PageQuery"
        + (", UtcDatetime" if FieldType.DATETIME in kinds else "")
        + (", omittable" if view.not_null_names else ""),
    ]
    unique_kinds = {f.spec.type for f in view.unique_fields}
    view.repository_imports = [
        "from collections.abc import Sequence",
        *(["from typing import Any"] if view.sort_values else []),
        *sorted(
            set(id_imports)
            | ({"from uuid import UUID"} if FieldType.UUID in unique_kinds else set())
            | (
                {"from decimal import Decimal"}
                if FieldType.DECIMAL in unique_kinds
                else set()
            )
        ),
        *names.datetime_import(
            name
            for kind, name in (
                (FieldType.DATE, "date"),
                (FieldType.DATETIME, "datetime"),
            )
            if kind in unique_kinds
        ),
        "from sqlalchemy import func, select" + (", or_" if view.search_fields else ""),
        "from sqlalchemy.ext.asyncio import AsyncSession",
        *(
            ["from sqlalchemy.orm import InstrumentedAttribute"]
            if view.sort_values
            else []
        ),
        *(["from app.core.database import escape_like"] if view.search_fields else []),
        f"from app.models.{module} import {cls}",
        f"from app.schemas.{module} import {cls}Query",
    ]
    view.service_imports = [
        "from collections.abc import Awaitable",
        "from typing import Any",
        *id_imports,
        "from sqlalchemy.exc import IntegrityError",
        "from sqlalchemy.ext.asyncio import AsyncSession",
        "from app.core.errors import ConflictError, NotFoundError",
        f"from app.models.{module} import {cls}",
        f"from app.repositories.{module} import {cls}Repository",
        "from app.schemas.common import Page",
        f"from app.schemas.{module} import {schemas}",
    ]
    view.endpoint_imports = [
        "from typing import Annotated, Any",
        *id_imports,
        "from fastapi import APIRouter, Depends, Query, status"
        + (", Path" if id_type == "int" else ""),
        f"from app.api.deps import {', '.join(access_dependencies(view))}",
        f"from app.models.{module} import {cls}",
        "from app.schemas.common import Page, error_responses",
        f"from app.schemas.{module} import {schemas}",
        f"from app.services.{module} import {cls}Service",
    ]
    compares = " ".join(f.compare for f in view.fields)
    view.test_imports = [
        *(names.datetime_import(["datetime"]) if "fromisoformat" in compares else []),
        *(decimal if "Decimal(" in compares else []),
        "from typing import Any",
        "import pytest",
        "from httpx import AsyncClient",
        *(
            [
                "from sqlalchemy import update",
                "from sqlalchemy.exc import IntegrityError",
                "from sqlalchemy.ext.asyncio import AsyncSession",
                f"from app.models.{module} import {cls}",
            ]
            if any(check.testable for check in view.checks)
            else []
        ),
    ]
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
