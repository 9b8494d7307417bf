"""The view of a resource: everything its templates render, as plain values."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Literal

from scaffold.render.access_model import AccessView
from scaffold.render.imports import Imports
from scaffold.render.literals import Names, with_article
from scaffold.render.relation_model import RelationView
from scaffold.render.samples import InvalidCase, Sample
from scaffold.render.view_db_names import DatabaseNames
from scaffold.render.view_restore import RestoreRoutes
from scaffold.spec import FieldSpec, FieldType
from scaffold.spec.naming import to_pascal

__all__ = ["Comparison", "EnumView", "FieldView", "IdView", "ResourceView"]

#: How the tests compare a returned value with the one sent.
Comparison = Literal["decimal", "approx", "datetime", "equal"]


def _statuses(codes: tuple[int, ...], *more: str) -> list[str]:
    """Status codes as a route's ``error_responses(...)`` lists them, in order."""
    return sorted([*(str(code) for code in codes), *more])


@dataclass
class FieldView:
    """What the templates need of one field."""

    spec: FieldSpec
    name: str
    param: str
    label: str
    python_type: str
    column_type: str | None
    model_default: str | None
    model_sa_type: str | None
    alias: str
    alias_type: str | None
    create_annotation: str
    create_default: str | None
    read_annotation: str
    filter_annotation: str
    filter_alias_type: str | None
    migration_type: str
    unique_name: str
    index_name: str
    sample: str
    samples: Sample
    compare: Comparison
    default_json: str | None
    cases: list[InvalidCase]
    partial_unique: bool = False

    @property
    def search_index_name(self) -> str:
        """The name of the trigram index ``q`` uses on PostgreSQL."""
        return f"{self.index_name}_trgm"

    @property
    def index_only(self) -> bool:
        """Indexed without a unique constraint (which has its own index)."""
        return self.spec.index and not self.spec.unique

    @property
    def unique_column(self) -> bool:
        """Unique among every row: ``unique=True`` on the column.

        A unique field of a soft-delete resource is unique among the rows not
        deleted only: a partial unique index (:attr:`partial_unique`) instead.
        """
        return self.spec.unique and not self.partial_unique


@dataclass
class IdView:
    """The primary key."""

    python_type: str
    path_type: str
    sa_type: str
    default: str | None
    missing: str


@dataclass
class EnumView:
    """A generated ``StrEnum``."""

    class_name: str
    field: str
    members: list[Any]


@dataclass
class ResourceView(DatabaseNames, RestoreRoutes):
    """Everything the resource templates render."""

    class_name: str
    table: str
    url: str
    module: str
    var: str
    var_plural: str
    doc_title: str
    doc_noun: str
    doc_plural: str
    id_param: str
    id: IdView
    pk_name: str
    fields: list[FieldView]
    enums: list[EnumView]
    example: dict[str, Any]
    versioned: bool = False
    model_imports: Imports = field(default_factory=Imports)
    schema_imports: Imports = field(default_factory=Imports)
    repository_imports: Imports = field(default_factory=Imports)
    service_imports: Imports = field(default_factory=Imports)
    endpoint_imports: Imports = field(default_factory=Imports)
    test_imports: Imports = field(default_factory=Imports)
    test_constants: list[Any] = field(default_factory=list)
    write_errors: tuple[str, ...] = ("400", "409")
    names: Names = field(default_factory=lambda: Names(()))
    relations: list[RelationView] = field(default_factory=list)
    filters: list[Any] = field(default_factory=list)
    filter_tests: Any = None
    checks: list[Any] = field(default_factory=list)
    type_checking_imports: Imports = field(default_factory=Imports)
    access: AccessView = field(
        default_factory=lambda: AccessView("public", "public", False, False, "UUID")
    )
    soft_delete: bool = False
    cursor: Any = None  # a CursorView: the list pages by cursor
    page_class: str = "Page"  # the list's answer: Page, or CursorPage
    query_base: str = "PageQuery"  # its query's base: PageQuery, or CursorQuery

    @property
    def owned(self) -> bool:
        """Whether each row has an owner (``owner_id``)."""
        return self.access.owned

    @property
    def project_auth(self) -> bool:
        """Whether the project has users."""
        return self.access.project_auth

    @property
    def refs(self) -> list[RelationView]:
        """Many-to-one relations: a foreign key column each."""
        return [r for r in self.relations if not r.many]

    @property
    def links(self) -> list[RelationView]:
        """Many-to-many relations: an association table each."""
        return [r for r in self.relations if r.many]

    @property
    def required_refs(self) -> list[RelationView]:
        """References a new row must have."""
        return [r for r in self.refs if not r.optional]

    @property
    def summaries(self) -> list[RelationView]:
        """Relations whose objects the read schema returns."""
        return [r for r in self.relations if r.summary]

    @property
    def load_options(self) -> list[RelationView]:
        """The relations list and get load with each row (by their loader)."""
        return [r for r in self.relations if r.loader is not None]

    @property
    def not_null_names(self) -> list[str]:
        """Fields and references PATCH refuses to set to null."""
        refs = [r.key for r in self.relations if r.many or not r.optional]
        return [*self.required_names, *refs]

    @property
    def create_links(self) -> dict[str, dict[str, Any]]:
        """OpenAPI links from a create's answer to the operations its ids lead to.

        The new row's id leads to its get, replace, update and delete (of a
        versioned row with its ``ETag`` as their ``If-Match``) and, for a
        reference to its own kind, to the list of the rows under it; each
        reference a row must have leads to the referenced row's get and to the
        list of the rows under it.
        """

        def link(operation: str, param: str, source: str) -> dict[str, Any]:
            return {
                "operationId": operation,
                "parameters": {param: f"$response.body#/{source}"},
            }

        links = {
            f"{verb.capitalize()}{self.class_name}": link(
                f"{self.url}-{verb}", self.id_param, "id"
            )
            for verb in ("get", "replace", "update", "delete")
        }
        if self.versioned:
            for verb in ("Replace", "Update", "Delete"):
                changes = links[f"{verb}{self.class_name}"]["parameters"]
                changes["header.If-Match"] = "$response.header.ETag"
        for r in self.relations:
            if r.self_ref:
                links[f"List{to_pascal(r.inverse_url)}"] = link(
                    f"{self.url}-{r.route_name}", r.nested_param, "id"
                )
        for r in self.required_refs:
            links[f"Get{to_pascal(r.name)}"] = link(
                f"{r.target.url_path}-get", f"{r.target.singular}_id", r.key
            )
            links[f"List{to_pascal(r.row_var)}{to_pascal(self.url)}"] = link(
                f"{self.url}-{r.route_name}", r.nested_param, r.key
            )
        return links

    @property
    def setup_param(self) -> str:
        """The test parameter for the rows the relations refer to, if needed."""
        return next((r.setup_param for r in self.relations if r.setup_param), "")

    def _select(self, attribute: str) -> list[FieldView]:
        return [f for f in self.fields if getattr(f.spec, attribute)]

    @property
    def sort_fields(self) -> list[FieldView]:
        """Fields ``sort`` may name."""
        return self._select("sortable")

    @property
    def sort_values(self) -> list[str]:
        """Every accepted value of ``sort``: ``field`` and ``-field``."""
        names = [*(f.name for f in self.sort_fields), "created_at", "updated_at"]
        return [value for name in names for value in (name, f"-{name}")]

    @property
    def refused_sort(self) -> str:
        """A value ``sort`` refuses: a field off the allow-list, else no name."""
        off_list = [f.name for f in self.fields if f.name not in self.sort_values]
        return off_list[0] if off_list else "no-such-field"

    @property
    def filter_fields(self) -> list[FieldView]:
        """Fields the list endpoint filters on by equality."""
        return self._select("filterable")

    @property
    def search_fields(self) -> list[FieldView]:
        """Fields ``q`` searches in."""
        return self._select("searchable")

    @property
    def search_any_of(self) -> bool:
        """Whether ``q`` searches several fields, matching any of them (``or_``)."""
        return len(self.search_fields) > 1

    @property
    def unique_fields(self) -> list[FieldView]:
        """Fields with a unique constraint."""
        return self._select("unique")

    @property
    def partial_uniques(self) -> list[FieldView]:
        """Unique fields of a soft-delete resource: unique among live rows."""
        return [f for f in self.fields if f.partial_unique]

    @property
    def indexed_fields(self) -> list[FieldView]:
        """Fields with a non-unique index."""
        return [f for f in self.fields if f.spec.index and not f.spec.unique]

    @property
    def required_names(self) -> list[str]:
        """Fields that cannot be null (PATCH refuses an explicit null)."""
        return [f.name for f in self.fields if not f.spec.nullable]

    @property
    def defaults(self) -> list[FieldView]:
        """Fields with a declared default."""
        return [f for f in self.fields if f.default_json is not None]

    @property
    def datetime_type(self) -> str:
        """How the schemas module spells ``datetime``."""
        return self.names.datetime_name("datetime")

    @property
    def now_utc(self) -> str:
        """How the repository spells the current time: ``datetime.now(UTC)``."""
        utc = self.names.datetime_name("UTC")
        return f"{self.names.datetime_name('datetime')}.now({utc})"

    @property
    def a_noun(self) -> str:
        """The noun with its indefinite article: ``a book``, ``an author``."""
        return with_article(self.doc_noun)

    @property
    def a_noun_name(self) -> str:
        """:attr:`a_noun` in a test's name: ``a_book``, ``an_author``."""
        return self.a_noun.replace(" ", "_")

    @property
    def list_errors(self) -> list[str]:
        """The error statuses the list route documents (beyond 422).

        With soft delete and users, ``?deleted=true`` is for administrators.
        """
        codes = set(self.access.read_codes)
        if self.soft_delete and self.project_auth:
            codes |= {401, 403}
        return _statuses(tuple(codes))

    @property
    def create_errors(self) -> list[str]:
        """The error statuses the create route documents."""
        return _statuses(self.access.create_codes, *self.write_errors)

    @property
    def get_errors(self) -> list[str]:
        """The error statuses the get route documents."""
        return _statuses(self.access.read_codes, "404")

    @property
    def precondition_errors(self) -> tuple[str, ...]:
        """What a change answers when ``If-Match`` is stale or missing, if versioned."""
        return ("412", "428") if self.versioned else ()

    @property
    def change_errors(self) -> list[str]:
        """The error statuses the update and replace routes document."""
        return _statuses(
            self.access.write_codes,
            "404",
            *self.write_errors,
            *self.precondition_errors,
        )

    @property
    def delete_errors(self) -> list[str]:
        """The error statuses the delete route documents.

        A soft delete keeps the row, so nothing that refers to it objects (409).
        """
        conflict = () if self.soft_delete else ("409",)
        return _statuses(
            self.access.write_codes, "404", *conflict, *self.precondition_errors
        )

    @property
    def missing_id(self) -> str:
        """The name of the tests' constant for an id no row has."""
        return "MISSING_ID"

    @property
    def sort_test(self) -> FieldView | None:
        """A sortable field whose samples sort in row order, for the sort test."""
        kinds = (FieldType.STR, FieldType.TEXT, FieldType.INT, FieldType.DATE)
        return next(
            (
                f
                for f in self.sort_fields
                if f.spec.type in kinds
                and f.spec.pattern is None
                and f.samples.increasing
            ),
            None,
        )

    @property
    def filter_test(self) -> FieldView | None:
        """A filterable field whose samples differ between rows."""
        return next((f for f in self.filter_fields if f.samples.distinct), None)

    @property
    def search_test(self) -> FieldView | None:
        """A searchable field whose samples differ between rows."""
        found = (f for f in self.search_fields if f.samples.distinct)
        return next((f for f in found if f.spec.pattern is None), None)

    @property
    def patch_field(self) -> FieldView | None:
        """The field the partial-update test changes, if the resource has one."""
        return [*(f for f in self.fields if f.samples.distinct), *self.fields, None][0]

    @property
    def version_field(self) -> FieldView | None:
        """A field whose samples differ, which the version tests change."""
        return next((f for f in self.fields if f.samples.distinct), None)

    @property
    def invalid_cases(self) -> list[InvalidCase]:
        """Every invalid-value case of every field."""
        return [case for f in self.fields for case in f.cases]
