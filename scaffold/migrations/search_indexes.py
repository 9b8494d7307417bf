"""The trigram indexes behind search, in a revision that changes a column.

On PostgreSQL every searchable field has a GIN trigram index
(``ix_<table>_<field>_trgm``), which ``q``'s ``ILIKE '%...%'`` uses instead
of reading the whole table; other databases have none. A revision calls the
helpers :data:`HELPERS` defines (``create_trigram_index``,
``drop_trigram_index``), which do nothing off PostgreSQL, so one revision
still serves both.
"""

from __future__ import annotations

from scaffold.migrations.sql_source import Steps
from scaffold.spec import FieldSpec

__all__ = [
    "HELPERS",
    "create_trigram_index",
    "drop_trigram_index",
    "search_index_steps",
]

HELPERS = {
    "create_trigram_index": '''
def create_trigram_index(name: str, table: str, column: str) -> None:
    """Create the trigram index behind search on ``column`` (PostgreSQL only)."""
    if op.get_context().dialect.name != "postgresql":
        return
    op.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
    op.create_index(
        op.f(name),
        table,
        [column],
        postgresql_using="gin",
        postgresql_ops={column: "gin_trgm_ops"},
    )
''',
    "drop_trigram_index": '''
def drop_trigram_index(name: str, table: str) -> None:
    """Drop the trigram index ``name`` (PostgreSQL only: elsewhere there is none)."""
    if op.get_context().dialect.name == "postgresql":
        op.drop_index(op.f(name), table_name=table)
''',
}
"""The revision helpers the statements call, by name."""


def create_trigram_index(name: str, table: str, column: str) -> str:
    """The statement that creates trigram index ``name`` on ``table.column``."""
    return f'create_trigram_index("{name}", "{table}", "{column}")'


def drop_trigram_index(name: str, table: str) -> str:
    """The statement that drops trigram index ``name`` of ``table``."""
    return f'drop_trigram_index("{name}", "{table}")'


def _name(table: str, spec: FieldSpec) -> str:
    return f"ix_{table}_{spec.name}_trgm"


def search_index_steps(
    table: str, old: FieldSpec | None, new: FieldSpec | None
) -> Steps:
    """Drop the trigram index ``old`` had, create the one ``new`` needs.

    An index stays when the field keeps its name and its search; otherwise the
    old one (if any) goes before the column changes and the new one (if any)
    comes after.
    """
    steps = Steps()
    kept = (
        old is not None
        and new is not None
        and old.name == new.name
        and old.searchable == new.searchable
    )
    if kept:
        return steps
    if old is not None and old.searchable:
        steps.before.append(drop_trigram_index(_name(table, old), table))
        steps.helpers.add("drop_trigram_index")
    if new is not None and new.searchable:
        steps.after.append(create_trigram_index(_name(table, new), table, new.name))
        steps.helpers.add("create_trigram_index")
    return steps
