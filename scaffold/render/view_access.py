"""Typed view data of a resource's access rules.

Which dependency each route runs, which status codes it documents, what the
service needs to know of the caller, how each referenced row is checked, and
which test client plays which part: worked out here from the resolved rules
(:mod:`scaffold.project.access`), so the templates only print.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from scaffold.project.access import Check, Rules, check_kind, stricter
from scaffold.spec import Rule

if TYPE_CHECKING:
    from scaffold.render.view import ResourceView
    from scaffold.render.view_relations import RelationView

__all__ = [
    "AccessView",
    "access_dependencies",
    "access_imports",
    "access_view",
    "apply_access",
]

_DEPENDENCY: dict[str, str] = {
    "user": "get_current_user",
    "owner": "get_current_user",
    "admin": "require_admin",
}
_CODES: dict[str, tuple[int, ...]] = {
    "public": (),
    "user": (401,),
    "owner": (401,),
    "admin": (401, 403),
}


@dataclass
class AccessView:
    """What the templates need of a resource's rules."""

    read: Rule
    write: Rule
    owned: bool
    project_auth: bool
    owner_python: str
    needs_caller: bool = False
    checks: set[Check] = field(default_factory=set)
    client: str = "client"
    shared_refs: list[RelationView] = field(default_factory=list)

    @property
    def read_dependency(self) -> str | None:
        """The dependency of the list and get routes, if anyone may not call them."""
        return _DEPENDENCY.get(self.read)

    @property
    def write_dependency(self) -> str | None:
        """The dependency of the routes that change rows."""
        return _DEPENDENCY.get(self.write)

    @property
    def read_codes(self) -> tuple[int, ...]:
        """The status codes the read rule adds to the list and get routes."""
        return _CODES[self.read]

    @property
    def write_codes(self) -> tuple[int, ...]:
        """The status codes the write rule adds to the routes that change rows."""
        codes = _CODES[self.write]
        if self.owner_checked and 403 not in codes:
            codes = (*codes, 403)
        return codes

    @property
    def create_codes(self) -> tuple[int, ...]:
        """The status codes the write rule adds to the create route."""
        return _CODES[self.write]

    @property
    def scoped(self) -> bool:
        """Whether owners alone (and administrators) see the rows."""
        return self.owned and self.read == "owner"

    @property
    def owner_checked(self) -> bool:
        """Whether changing a row checks its owner: others may read it."""
        return self.owned and self.read != "owner"

    @property
    def optional_caller(self) -> bool:
        """Whether the service may serve an anonymous caller."""
        return self.read == "public"

    @property
    def caller_type(self) -> str:
        """The annotation of the service's caller."""
        return "User | None" if self.optional_caller else "User"

    @property
    def caller_dependency(self) -> str:
        """The annotated dependency that provides the caller to the service."""
        return "OptionalUser" if self.optional_caller else "CurrentUser"

    @property
    def caller(self) -> str:
        """How the service spells the signed-in caller."""
        return "self._signed_in()" if self.optional_caller else "self.caller"

    @property
    def is_admin_used(self) -> bool:
        """Whether the service asks if the caller is an administrator."""
        return "admin" in self.checks

    @property
    def owner_scope_used(self) -> bool:
        """Whether the service narrows lookups to the caller's rows."""
        return self.scoped or "owner" in self.checks

    @property
    def roles_used(self) -> bool:
        """Whether the service module names ``Role``."""
        return self.owner_scope_used or self.is_admin_used or self.owner_checked

    @property
    def anonymous_endpoints(self) -> str:
        """The test list of routes that answer 401 without a token."""
        return _endpoint_list(self.read != "public", self.write != "public")

    @property
    def admin_endpoints(self) -> str:
        """The test list of routes only administrators may call."""
        return _endpoint_list(self.read == "admin", self.write == "admin")

    @property
    def user_reads_only(self) -> bool:
        """Whether signed-in users may read rows only administrators change."""
        return self.read in ("public", "user") and self.write == "admin"

    @property
    def owner_fixture_value(self) -> str:
        """How a test spells the signed-in ``user``'s id as the API returns it."""
        return "str(user.id)" if self.owner_python == "UUID" else "user.id"


def _endpoint_list(read: bool, write: bool) -> str:
    parts = ["READ_ENDPOINTS"] if read else []
    parts += ["WRITE_ENDPOINTS"] if write else []
    if len(parts) < 2:
        return "".join(parts)
    return f"[{', '.join('*' + part for part in parts)}]"


def access_view(rules: Rules, *, project_auth: bool, owner_python: str) -> AccessView:
    """The access view of a resource with these rules (no relations yet)."""
    return AccessView(
        read=rules.read,
        write=rules.write,
        owned=rules.owned,
        project_auth=project_auth,
        owner_python=owner_python,
        needs_caller=project_auth and rules.owned,
    )


def apply_access(view: ResourceView) -> None:
    """Work out how ``view``'s relations are checked, and the tests' clients."""
    access = view.access
    if not access.project_auth:
        return
    for relation in view.relations:
        relation.check = check_kind(relation.target, access.write)
        nested = stricter(access.read, relation.target.read)
        relation.nested_dependency = _DEPENDENCY.get(nested)
        relation.nested_codes = _CODES[nested]
        relation.nested_check = (
            check_kind(relation.target, nested) if not relation.many else "any"
        )
        relation.scoped_lookup = (
            relation.target.owned and relation.target.read == "owner"
        )
        relation.setup_client = (
            "client" if relation.check == "owner" else "admin_client"
        )
        access.checks.update({relation.check, relation.nested_check} - {"any"})
    access.needs_caller = access.owned or bool(access.checks)
    access.shared_refs = [
        r
        for r in view.required_refs
        if r.check != "owner" and r.target.write == "admin"
    ]
    admin_needed = (
        access.write == "admin" or "admin" in {r.check for r in view.relations}
    ) or bool(access.shared_refs)
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
            *(r.nested_dependency for r in view.refs),
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
        models = "Role, User" if access.roles_used else "User"
        errors = [
            *(["ForbiddenError"] if access.owner_checked else []),
            *(["UnauthorizedError"] if access.optional_caller else []),
        ]
        view.service_imports = [
            *view.service_imports,
            f"from app.models.user import {models}",
            *([f"from app.core.errors import {', '.join(errors)}"] if errors else []),
        ]
    if access.owned:
        view.test_imports = [*view.test_imports, "from app.models.user import User"]
