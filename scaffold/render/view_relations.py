"""Typed view data of a resource's relations (``ref`` and ``refs`` fields).

Every line the templates print for a relation (model attributes, migration
columns and constraints, schema fields) is worked out here.
"""

from __future__ import annotations

from scaffold.edit.inverse import inverse_lines
from scaffold.project.answers import IdType
from scaffold.project.relations import Target
from scaffold.render.relation_model import RelationView
from scaffold.render.view_model import ResourceView
from scaffold.spec import RelationSpec, ResourceSpec
from scaffold.spec._relations import singular_of

__all__ = ["RelationView", "relation_imports", "relation_views"]

_INT_ID = "Annotated[int, Field(ge=1, le=2_147_483_647)]"


def _model_lines(
    relation: RelationSpec,
    resource: ResourceSpec,
    target: Target,
    id_python: str,
    association: str | None,
) -> list[str]:
    cls = target.class_name
    self_ref = target.singular == resource.names.singular
    inverse = relation.inverse or resource.names.plural
    if relation.many:
        lines = [
            f'{relation.name}: Mapped[list["{cls}"]] = relationship(',
            f"    secondary={association},",
            f'    back_populates="{inverse}",',
            "    passive_deletes=True,",
            ")",
        ]
        if self_ref:
            lines.extend(
                line.removeprefix("    ")
                for line in inverse_lines(
                    relation, resource.names, association=association
                )
            )
        return lines
    optional = " | None" if relation.optional else ""
    lines = [
        f"{relation.key}: Mapped[{id_python}{optional}] = mapped_column(",
        f'    ForeignKey("{target.table}.id", ondelete="{relation.on_delete.sql}"),',
        "    index=True,",
        ")",
    ]
    remote = f', remote_side="{cls}.id"' if self_ref else ""
    lines.append(
        f'{relation.name}: Mapped["{cls}{optional}"] = relationship('
        f'back_populates="{inverse}"{remote})'
    )
    if self_ref:
        lines.extend(
            line.removeprefix("    ")
            for line in inverse_lines(relation, resource.names, association=None)
        )
    return lines


def relation_views(
    resource: ResourceSpec, targets: dict[str, Target], id_type: IdType
) -> list[RelationView]:
    """Build the view of every relation of ``resource``."""
    table = resource.names.table
    id_python = "UUID" if id_type == "uuid" else "int"
    sa_id = "sa.Uuid()" if id_type == "uuid" else "sa.Integer()"
    schema_id = "UUID" if id_type == "uuid" else _INT_ID
    views: list[RelationView] = []
    for index, relation in enumerate(resource.relations):
        target = targets[relation.target]
        self_ref = target.singular == resource.names.singular
        inverse = relation.inverse or resource.names.plural
        association = f"{table}_{relation.name}" if relation.many else None
        association_lines: list[str] = []
        association_migration: list[str] = []
        association_index = None
        right = None
        constraints: list[str] = []
        columns: list[str] = []
        if relation.many and association is not None:
            left = f"{resource.names.singular}_id"
            right = f"{singular_of(relation.name)}_id"
            if right == left:
                right = f"{relation.name}_id"
            association_index = f"ix_{association}_{right}"
            association_lines = [
                f"{association} = Table(",
                f"    {association!r},".replace("'", '"'),
                "    Base.metadata,",
                f'    Column("{left}", ForeignKey("{table}.id", ondelete="CASCADE"), '
                "primary_key=True),",
                f'    Column("{right}", ForeignKey("{target.table}.id", '
                'ondelete="CASCADE"), primary_key=True, index=True),',
                ")",
                f'"""Links {resource.names.human_plural} to their '
                f'{relation.name.replace("_", " ")}."""',
            ]
            association_migration = [
                f'sa.Column("{left}", {sa_id}, nullable=False),',
                f'sa.Column("{right}", {sa_id}, nullable=False),',
                f'sa.ForeignKeyConstraint(["{left}"], ["{table}.id"], '
                f'name=op.f("fk_{association}_{left}_{table}"), ondelete="CASCADE"),',
                f'sa.ForeignKeyConstraint(["{right}"], ["{target.table}.id"], '
                f'name=op.f("fk_{association}_{right}_{target.table}"), '
                'ondelete="CASCADE"),',
                f'sa.PrimaryKeyConstraint("{left}", "{right}", '
                f'name=op.f("pk_{association}")),',
            ]
        else:
            columns = [
                f'sa.Column("{relation.key}", {sa_id}, nullable={relation.optional}),'
            ]
            constraints = [
                f'sa.ForeignKeyConstraint(["{relation.key}"], ["{target.table}.id"], '
                f'name=op.f("fk_{table}_{relation.key}_{target.table}"), '
                f'ondelete="{relation.on_delete.sql}"),'
            ]
        if relation.many:
            create_annotation = f"list[{schema_id}]"
            create_default: str | None = "Field(default_factory=list, max_length=100)"
            update_annotation = (
                f"Annotated[list[{schema_id}], Field(max_length=100)]"
                " | SkipJsonSchema[None] = omittable()"
            )
            read_annotation = f"list[{id_python}]"
            summary_annotation = f"list[{target.class_name}Read]"
        else:
            optional = " | None" if relation.optional else ""
            create_annotation = f"{schema_id}{optional}"
            create_default = "None" if relation.optional else None
            update_annotation = (
                f"{schema_id} | None = None"
                if relation.optional
                else f"{schema_id} | SkipJsonSchema[None] = omittable()"
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
                model_lines=_model_lines(
                    relation, resource, target, id_python, association
                ),
                migration_columns=columns,
                migration_constraints=constraints,
                index_name=f"ix_{table}_{relation.key}",
                association=association,
                association_lines=association_lines,
                association_migration=association_migration,
                association_index=association_index,
                association_column=right,
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
    others = {r.target.class_name: r.target for r in view.relations if not r.self_ref}
    view.type_checking_imports = [
        f"from app.models.{target.module} import {cls}"
        for cls, target in sorted(others.items())
    ]
    sa = ["ForeignKey"] if view.refs else []
    if view.links:
        sa += ["Column", "ForeignKey", "Table"]
    view.model_imports = [
        *(["from typing import TYPE_CHECKING"] if others else []),
        *(["from uuid import UUID"] if id_type == "uuid" else []),
        *view.model_imports,
        f"from sqlalchemy import {', '.join(sorted(set(sa)))}",
        "from sqlalchemy.orm import relationship",
    ]
    summary_targets = sorted(
        {(r.target.module, r.target.class_name) for r in view.summaries}
    )
    view.schema_imports = [
        *view.schema_imports,
        *(["from uuid import UUID"] if id_type == "uuid" else []),
        "from pydantic import Field",
        *(["from typing import Annotated"] if id_type == "int" else []),
        *(
            f"from app.schemas.{module} import {cls}Read"
            for module, cls in summary_targets
        ),
    ]
    loaders = sorted({option.partition("(")[0] for option in view.load_options})
    targets = sorted(
        {
            (r.target.module, r.target.class_name)
            for r in view.relations
            if not r.self_ref
        }
    )
    view.repository_imports = [
        *view.repository_imports,
        *(["from uuid import UUID"] if id_type == "uuid" else []),
        *(["from collections.abc import Collection"] if view.links else []),
        *([f"from sqlalchemy.orm import {', '.join(loaders)}"] if loaders else []),
        *(f"from app.models.{module} import {cls}" for module, cls in targets),
    ]
    view.service_imports = [
        *view.service_imports,
        "from app.core.errors import InvalidReferenceError",
    ]
    if view.refs and id_type == "int":
        view.endpoint_imports = [*view.endpoint_imports, "from fastapi import Path"]
    view.test_imports = [
        *view.test_imports,
        "from sqlalchemy import event",
        "from sqlalchemy.ext.asyncio import AsyncEngine",
        *(
            f"from tests.api.test_{target.plural} import create_{target.singular}"
            for _, target in sorted(others.items())
        ),
    ]
