"""Typed view data of a resource's relations (``ref`` and ``refs`` fields).

Every value the templates print for a relation (names of its columns,
constraints and indexes, schema annotations) is decided here; the templates
(``resource/_macros.jinja``) own the shape of the code around them.
"""

from __future__ import annotations

from scaffold.project.answers import IdType
from scaffold.project.relations import (
    Load,
    Target,
    association_table,
    inverse_name,
)
from scaffold.render.relation_model import RelationView
from scaffold.render.view_model import ResourceView
from scaffold.spec import ResourceSpec
from scaffold.spec._relations import singular_of

__all__ = ["RelationView", "relation_imports", "relation_views"]

_INT_ID = "Annotated[int, Field(ge=1, le=2_147_483_647)]"
#: In a body, where JSON's ``true`` would otherwise pass for the id 1.
_INT_BODY_ID = "Annotated[int, Field(ge=1, le=2_147_483_647), JsonInteger]"


def relation_views(
    resource: ResourceSpec, targets: dict[str, Target], id_type: IdType
) -> list[RelationView]:
    """Build the view of every relation of ``resource``."""
    table = resource.names.table
    id_python = "UUID" if id_type == "uuid" else "int"
    schema_id = "UUID" if id_type == "uuid" else _INT_ID
    body_id = "UUID" if id_type == "uuid" else _INT_BODY_ID
    views: list[RelationView] = []
    for index, relation in enumerate(resource.relations):
        target = targets[relation.target]
        self_ref = target.singular == resource.names.singular
        inverse = inverse_name(relation, resource.names)
        association = association_table(resource.names, relation)
        left = right = link_index = link_fk = owner_fk = link_pk = None
        if association is not None:
            left = f"{resource.names.singular}_id"
            right = f"{singular_of(relation.name)}_id"
            if right == left:
                right = f"{relation.name}_id"
            link_index = f"ix_{association}_{right}"
            link_fk = f"fk_{association}_{right}_{target.table}"
            owner_fk = f"fk_{association}_{left}_{table}"
            link_pk = f"pk_{association}"
        if relation.many:
            create_annotation = f"list[{body_id}]"
            create_default: str | None = "Field(default_factory=list, max_length=100)"
            update_annotation = (
                f"Annotated[list[{body_id}], Field(max_length=100)]"
                " | SkipJsonSchema[None] = omittable()"
            )
            read_annotation = f"list[{id_python}]"
            summary_annotation = f"list[{target.class_name}Read]"
        else:
            optional = " | None" if relation.optional else ""
            create_annotation = f"{body_id}{optional}"
            create_default = "None" if relation.optional else None
            update_annotation = (
                f"{body_id} | None = None"
                if relation.optional
                else f"{body_id} | SkipJsonSchema[None] = omittable()"
            )
            read_annotation = f"{id_python}{optional}"
            summary_annotation = f"{target.class_name}Read{optional}"
        views.append(
            RelationView(
                spec=relation,
                target=target,
                name=relation.name,
                key=relation.key,
                many=relation.many,
                optional=relation.optional,
                self_ref=self_ref,
                summary=relation.summary,
                inverse=inverse,
                inverse_url=inverse.replace("_", "-"),
                on_delete=relation.on_delete.sql,
                fk_name=f"fk_{table}_{relation.key}_{target.table}",
                index_name=f"ix_{table}_{relation.key}",
                association=association,
                association_index=link_index,
                association_column=right,
                association_owner_column=left,
                association_fk=link_fk,
                association_owner_fk=owner_fk,
                association_pk=link_pk,
                create_annotation=create_annotation,
                create_default=create_default,
                update_annotation=update_annotation,
                read_annotation=read_annotation,
                summary_annotation=summary_annotation if relation.summary else None,
                filter_annotation=f"{schema_id} | None",
                id_type=id_python,
                path_type=(
                    "UUID"
                    if id_type == "uuid"
                    else "Annotated[int, Path(ge=1, le=2_147_483_647)]"
                ),
                target_var=target.singular,
                sample_n=9 - index if self_ref else 5 + index,
            )
        )
    return views


def relation_imports(view: ResourceView, id_type: IdType) -> None:
    """Add what the relations need to each module's imports."""
    uuid_ids = id_type == "uuid"
    others = {r.target.class_name: r.target for r in view.relations if not r.self_ref}
    for cls, target in others.items():
        view.type_checking_imports.add(f"app.models.{target.module}", cls)

    model = view.model_imports
    if others:
        model.add("typing", "TYPE_CHECKING")
    if uuid_ids:
        model.add("uuid", "UUID")
    if view.refs:
        model.add("sqlalchemy", "ForeignKey")
    if view.links:
        model.add("sqlalchemy", "Column", "ForeignKey", "Table")
    model.add("sqlalchemy.orm", "relationship")

    schema = view.schema_imports
    if uuid_ids:
        schema.add("uuid", "UUID")
    else:
        schema.add("typing", "Annotated")
        schema.add("app.schemas.common", "JsonInteger")
    schema.add("pydantic", "Field")
    for r in view.summaries:
        schema.add(f"app.schemas.{r.target.module}", f"{r.target.class_name}Read")

    repository = view.repository_imports
    if uuid_ids:
        repository.add("uuid", "UUID")
    if view.links:
        repository.add("collections.abc", "Collection")
    for r in view.relations:
        if r.loader is not None:
            repository.add("sqlalchemy.orm", r.loader)
        for load in _nested(r.nested_loads):
            repository.add("sqlalchemy.orm", load.loader)
            if load.owner != view.class_name:
                repository.add(f"app.models.{load.module}", load.owner)
    for cls, target in others.items():
        repository.add(f"app.models.{target.module}", cls)

    view.service_imports.add("app.core.errors", "InvalidReferenceError")
    if view.relations and not uuid_ids:
        view.endpoint_imports.add("fastapi", "Path")

    tests = view.test_imports
    tests.add("sqlalchemy", "event")
    tests.add("sqlalchemy.ext.asyncio", "AsyncEngine")
    for target in others.values():
        tests.add(f"tests.api.test_{target.plural}", f"create_{target.singular}")


def _nested(loads: tuple[Load, ...]) -> list[Load]:
    """Every load of ``loads``, and of what each loads in turn."""
    return [item for load in loads for item in (load, *_nested(load.then))]
