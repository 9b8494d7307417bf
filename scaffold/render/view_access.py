"""Typed view data of a resource's access rules.

Which dependency each route runs, which status codes it documents, what the
service needs to know of the caller, how each referenced row is checked, and
which test client plays which part: worked out here from the resolved rules
(:mod:`scaffold.project.access`), so the templates only print.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from scaffold.project.access import Rules, check_kind, stricter
from scaffold.render.access_model import CODES, DEPENDENCY, AccessView
from scaffold.render.view_model import ResourceView

if TYPE_CHECKING:
    pass

__all__ = [
    "AccessView",
    "access_dependencies",
    "access_imports",
    "access_view",
    "apply_access",
]


def access_view(
    rules: Rules, *, project_auth: bool, owner_python: str, soft_delete: bool = False
) -> AccessView:
    """The access view of a resource with these rules (no relations yet).

    With soft delete in a project with users, the service asks whether the
    caller is an administrator, who alone may list deleted rows.
    """
    return AccessView(
        read=rules.read,
        write=rules.write,
        owned=rules.owned,
        project_auth=project_auth,
        owner_python=owner_python,
        needs_caller=project_auth and (rules.owned or soft_delete),
        soft_delete=soft_delete,
    )


def apply_access(view: ResourceView) -> None:
    """Work out how ``view``'s relations are checked, and the tests' clients."""
    access = view.access
    if not access.project_auth:
        return
    for relation in view.relations:
        relation.check = check_kind(relation.target, access.write)
        nested = stricter(access.read, relation.target.read)
        relation.nested_dependency = DEPENDENCY.get(nested)
        relation.nested_codes = CODES[nested]
        relation.nested_check = check_kind(relation.target, nested)
        relation.scoped_lookup = (
            relation.target.owned and relation.target.read == "owner"
        )
        relation.setup_client = (
            "client" if relation.check == "owner" else "admin_client"
        )
        access.checks.update({relation.check, relation.nested_check} - {"any"})
    access.needs_caller = access.owned or access.soft_delete or bool(access.checks)
    access.shared_refs = [
        r
        for r in view.required_refs
        if r.check != "owner" and (r.target.write == "admin" or r.target.admin_rows)
    ]
    access.user_refs = [
        r for r in view.required_refs if r.check == "owner" and r.target.admin_rows
    ]
    for r in view.relations:
        if r.check == "owner" and r.target.admin_rows:
            view.test_imports.add("tests.api", f"test_{r.target.plural}")
            access.makes_user_rows = True
    admin_needed = (
        access.write == "admin" or "admin" in {r.check for r in view.relations}
    ) or bool(access.shared_refs or access.user_refs)
    if access.write == "public":
        access.client = "client"
    else:
        access.client = "admin_client" if admin_needed else "user_client"


def access_dependencies(view: ResourceView) -> list[str]:
    """The names the endpoints module imports from ``app.api.deps``."""
    access = view.access
    names = {"SessionDep"}
    names.update(
        dependency
        for dependency in (
            access.read_dependency,
            access.write_dependency,
            view.restore_dependency if view.soft_delete else None,
            *(r.nested_dependency for r in view.relations),
        )
        if dependency is not None
    )
    if access.needs_caller:
        names.add(access.caller_dependency)
    return sorted(names)


def access_imports(view: ResourceView) -> None:
    """Add what the rules need to the service's and the tests' imports."""
    access = view.access
    if access.needs_caller:
        service = view.service_imports
        service.add("app.models.user", "User")
        if access.roles_used:
            service.add("app.models.user", "Role")
        if access.owner_checked or access.admin_lists_deleted:
            service.add("app.core.errors", "ForbiddenError")
        if access.optional_caller:
            service.add("app.core.errors", "UnauthorizedError")
    if access.owned:
        view.test_imports.add("app.models.user", "User")
