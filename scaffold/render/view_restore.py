"""What a soft-delete resource's routes decide; mixed into the resource view.

Deleted rows are listed with ``?deleted=true`` and brought back by ``POST
.../{id}/restore``: both for administrators in a project with users, open to
everyone (as every route is) in one without.
"""

from __future__ import annotations

from typing import Any

__all__ = ["RestoreRoutes"]


class RestoreRoutes:
    """The ``deleted`` parameter and the restore route of a resource."""

    doc_plural: str
    soft_delete: bool
    class_name: str
    url: str
    id_param: str

    @property
    def project_auth(self) -> bool:
        """Whether the project has users and tokens (the view overrides this)."""
        raise NotImplementedError

    @property
    def deleted_description(self) -> str:
        """The description of the list's ``deleted`` parameter."""
        who = " (administrators only)" if self.project_auth else ""
        return f"true: only the deleted {self.doc_plural}{who}."

    @property
    def restore_dependency(self) -> str | None:
        """The dependency of the restore route: administrators, with users."""
        return "require_admin" if self.project_auth else None

    @property
    def restore_errors(self) -> list[str]:
        """The error statuses the restore route documents."""
        codes = ["401", "403"] if self.project_auth else []
        return sorted([*codes, "404", "409"])

    @property
    def lists_deleted_for_admins(self) -> bool:
        """Whether ``?deleted=true`` is for administrators (the project has users)."""
        return self.soft_delete and self.project_auth

    @property
    def delete_links(self) -> dict[str, dict[str, Any]]:
        """OpenAPI links from a soft delete's answer: the deleted row's restore."""
        if not self.soft_delete:
            return {}
        return {
            f"Restore{self.class_name}": {
                "operationId": f"{self.url}-restore",
                "parameters": {self.id_param: f"$request.path.{self.id_param}"},
            }
        }
