"""What soft delete adds to a resource's imports.

A soft-delete resource keeps its deleted rows, marked by ``deleted_at``:
the model declares the column and a partial unique index per unique field
(unique among the rows not deleted), the repository stamps the time, the
service refuses ``?deleted=true`` to all but administrators. The templates
print those shapes; this module adds the names they use to each module's
imports.
"""

from __future__ import annotations

from scaffold.render.literals import Names
from scaffold.render.view_model import ResourceView

__all__ = ["soft_delete_imports"]


def soft_delete_imports(view: ResourceView, names: Names) -> None:
    """Add what soft delete needs to ``view``'s imports."""
    view.model_imports.add_datetime(names, ["datetime"])
    if view.partial_uniques:
        view.model_imports.add("sqlalchemy", "Index", "column")
    view.repository_imports.add_datetime(names, ["UTC", "datetime"])
