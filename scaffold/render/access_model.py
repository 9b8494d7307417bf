"""The view of a resource's access rules."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from scaffold.project.access import Check
from scaffold.spec import Rule

if TYPE_CHECKING:
    from scaffold.render.relation_model import RelationView

__all__ = ["CODES", "DEPENDENCY", "AccessView"]

DEPENDENCY: dict[str, str] = {
    "user": "get_current_user",
    "owner": "get_current_user",
    "admin": "require_admin",
}
CODES: dict[str, tuple[int, ...]] = {
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
    user_refs: list[RelationView] = field(default_factory=list)
    """Required references to the caller's own rows, which need rows that only
    administrators create: the tests make them as the caller, with those."""
    makes_user_rows: bool = False
    """Whether the tests make rows of the caller's own that need such rows
    (their tests then take ``admin_client`` too)."""
    soft_delete: bool = False

    @property
    def admin_made(self) -> bool:
        """Whether the tests have ``shared_references``: rows made for a user."""
        return bool(self.shared_refs or self.user_refs)

    @property
    def read_dependency(self) -> str | None:
        """The dependency of the list and get routes, if anyone may not call them."""
        return DEPENDENCY.get(self.read)

    @property
    def write_dependency(self) -> str | None:
        """The dependency of the routes that change rows."""
        return DEPENDENCY.get(self.write)

    @property
    def read_codes(self) -> tuple[int, ...]:
        """The status codes the read rule adds to the list and get routes."""
        return CODES[self.read]

    @property
    def write_codes(self) -> tuple[int, ...]:
        """The status codes the write rule adds to the routes that change rows."""
        codes = CODES[self.write]
        if self.owner_checked and 403 not in codes:
            codes = (*codes, 403)
        return codes

    @property
    def create_codes(self) -> tuple[int, ...]:
        """The status codes the write rule adds to the create route."""
        return CODES[self.write]

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
        return "admin" in self.checks or (self.soft_delete and self.project_auth)

    @property
    def owner_scope_used(self) -> bool:
        """Whether the service narrows lookups to the caller's rows."""
        return self.scoped or "owner" in self.checks

    @property
    def roles_used(self) -> bool:
        """Whether the service module names ``Role``."""
        return self.owner_scope_used or self.is_admin_used or self.owner_checked

    @property
    def admin_lists_deleted(self) -> bool:
        """Whether the list route refuses ``?deleted=true`` to all but admins."""
        return self.soft_delete and self.project_auth

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
