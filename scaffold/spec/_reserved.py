"""Names a field may not take, or takes with care, and why."""

from __future__ import annotations

__all__ = [
    "LIST_QUERY_PARAMS",
    "PARAM_SHADOWED",
    "RESERVED_FIELDS",
    "RESERVED_PREFIXES",
    "SQL_RESERVED",
    "SQL_UNQUOTED",
]


def _words(text: str) -> frozenset[str]:
    """The whitespace-separated words of ``text``."""
    return frozenset(text.split())


LIST_QUERY_PARAMS = ("page", "size", "sort", "q", "cursor")
"""Query parameters of every list endpoint; a field named like one filters by
equality through ``<name>__eq``."""

SQL_UNQUOTED = _words(
    "collation concurrently lateral nothing returning system_user tablesample"
)
"""SQL key words SQLAlchemy 2.0 does not quote although PostgreSQL (collation,
concurrently, lateral, tablesample; system_user from version 16) or SQLite
(nothing, returning) refuse them unquoted as column names: refused."""

_GENERATED = "is generated for every resource"
_DECLARATIVE = "is an attribute of SQLAlchemy's DeclarativeBase"
_PYDANTIC = "is a method of Pydantic's BaseModel"

RESERVED_FIELDS: dict[str, str] = {
    "id": f"{_GENERATED} (the primary key); drop it, or use e.g. 'external_id'",
    "created_at": f"{_GENERATED}; drop it or choose another name",
    "updated_at": f"{_GENERATED}; drop it or choose another name",
    "deleted_at": "is reserved for soft delete; choose another name",
    "owner_id": "is reserved for owner scoping; choose another name",
    "metadata": f"{_DECLARATIVE}; use e.g. 'meta' or 'extra'",
    "registry": f"{_DECLARATIVE}; choose another name",
    "awaitable_attrs": "is an attribute of SQLAlchemy's AsyncAttrs; choose another "
    "name",
    "type_annotation_map": f"{_DECLARATIVE}; choose another name",
    "query": "is the query attribute SQLAlchemy integrations add to models",
    "query_class": "is an attribute SQLAlchemy integrations add to models",
    "self": "is the name of a method's instance argument; choose another name",
    "cls": "is the name of a class method's class argument; choose another name",
    **{
        name: "is an SQL key word that SQLAlchemy does not quote for PostgreSQL "
        "or SQLite; choose another name"
        for name in SQL_UNQUOTED
    },
    **{
        name: f"{_PYDANTIC}; choose another name"
        for name in _words(
            "construct copy dict from_orm json parse_file parse_obj parse_raw "
            "schema schema_json update_forward_refs validate"
        )
    },
}
"""Field names that clash with generated columns, attributes or parameters."""

RESERVED_PREFIXES = {"model_": "Pydantic reserves names starting with 'model_'"}

PARAM_SHADOWED = _words(
    """
    date datetime decimal func request response sa select session settings
    status time type uuid
    """
)
"""Names generated modules import or use as parameters; see FieldSpec.param_name."""

# PostgreSQL's reserved key words and SQLite's key words. Fields may use them
# (but SQL_UNQUOTED): SQLAlchemy quotes them in DDL and queries, which
# tests/test_spec_models.py checks against SQLite and PostgreSQL.
SQL_RESERVED = _words(
    """
    abort action add after all alter always analyse analyze and any array as asc
    asymmetric attach authorization autoincrement before begin between binary
    both by cascade case cast check collate collation column commit concurrently
    conflict constraint create cross current current_catalog current_date
    current_role current_schema current_time current_timestamp current_user
    database default deferrable deferred delete desc detach distinct do drop
    each else end escape except exclude exclusive exists explain fail false
    fetch filter first following for foreign freeze from full generated glob
    grant group groups having if ignore ilike immediate in index indexed
    initially inner insert instead intersect into is isnull join key last
    lateral leading left like limit localtime localtimestamp match materialized
    natural no not nothing notnull null nulls of offset on only or order others
    outer over overlaps partition placing plan pragma preceding primary query
    raise range recursive references regexp reindex release rename replace
    restrict returning right rollback row rows savepoint select session_user set
    similar some symmetric system_user table tablesample temp temporary then
    ties to trailing transaction trigger true unbounded union unique update user
    using vacuum values variadic verbose view virtual when where window with
    without
    """
)
