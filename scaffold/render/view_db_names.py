"""The database names a resource's model and migration spell.

Every name follows the project's naming convention (``ix_``, ``fk_`` and so on,
see ``app/core/database.py``), so the model, the create revision and later
revisions agree on them.
"""

from __future__ import annotations

__all__ = ["DatabaseNames"]


class DatabaseNames:
    """Names of a table's own indexes and keys; mixed into the resource view."""

    table: str

    @property
    def owner_fk_name(self) -> str:
        """The name of the ``owner_id`` foreign key of an owned resource."""
        return f"fk_{self.table}_owner_id_users"

    @property
    def owner_index_name(self) -> str:
        """The name of the ``owner_id`` index of an owned resource."""
        return f"ix_{self.table}_owner_id"

    @property
    def sort_index_name(self) -> str:
        """The name of the index behind the default order, newest first."""
        return f"ix_{self.table}_created_at"

    @property
    def deleted_index_name(self) -> str:
        """The name of the ``deleted_at`` index of a soft-delete resource."""
        return f"ix_{self.table}_deleted_at"
