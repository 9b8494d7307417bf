"""The view of one relation of a resource."""

from __future__ import annotations

from dataclasses import dataclass

from scaffold.project.access import Check
from scaffold.project.relations import Load, Target, loader_of
from scaffold.render.literals import with_article
from scaffold.spec import RelationSpec
from scaffold.spec._relations import singular_of

__all__ = ["RelationView"]


@dataclass
class RelationView:
    """What the templates need of one relation."""

    spec: RelationSpec
    target: Target
    name: str
    key: str
    many: bool
    optional: bool
    self_ref: bool
    summary: bool
    inverse: str
    inverse_url: str
    on_delete: str
    fk_name: str
    index_name: str
    association: str | None
    association_index: str | None
    association_column: str | None
    association_owner_column: str | None
    association_fk: str | None
    association_owner_fk: str | None
    association_pk: str | None
    create_annotation: str
    create_default: str | None
    update_annotation: str
    read_annotation: str
    summary_annotation: str | None
    filter_annotation: str
    id_type: str
    path_type: str
    target_var: str
    sample_n: int = 5
    check: Check = "any"
    nested_check: Check = "any"
    nested_dependency: str | None = None
    nested_codes: tuple[int, ...] = ()
    scoped_lookup: bool = False
    setup_client: str = "client"
    shared_row: str | None = None
    """The tests' variable for the one row that every required reference to this
    target shares, when there are several (``home_team`` and ``away_team``)."""
    declares_row: bool = False
    """Whether this is the first of those references, which declares the row."""

    @property
    def setup_param(self) -> str:
        """The test parameter for :attr:`setup_client`, when it is another one,
        or when the target's rows need rows only an administrator makes."""
        own = self.setup_client == "client" and not self.target.admin_rows
        return "" if own else ", admin_client: AsyncClient"

    @property
    def label(self) -> str:
        """Words for messages: ``author`` or ``tags``."""
        return self.name.replace("_", " ")

    @property
    def a_label(self) -> str:
        """:attr:`label` with its article: ``an author``."""
        return with_article(self.label)

    @property
    def a_label_name(self) -> str:
        """:attr:`a_label` in a test's name: ``an_author``."""
        return self.a_label.replace(" ", "_")

    @property
    def a_target_noun(self) -> str:
        """:attr:`target_noun` with its article: ``an author``."""
        return with_article(self.target_noun)

    @property
    def inverse_label(self) -> str:
        """The inverse relationship in words: ``books``."""
        return self.inverse.replace("_", " ")

    @property
    def route_name(self) -> str:
        """The nested list route's name: ``list-by-author``, ``list-by-tag``."""
        return f"list-by-{self.row_var.replace('_', '-')}"

    @property
    def nested_label(self) -> str:
        """One referenced row in words: ``author``, ``tag`` (of ``tags``)."""
        return self.row_var.replace("_", " ")

    @property
    def a_nested_label(self) -> str:
        """:attr:`nested_label` with its article: ``an author``, ``a tag``."""
        return with_article(self.nested_label)

    @property
    def a_nested_label_name(self) -> str:
        """:attr:`a_nested_label` in a test's name: ``an_author``, ``a_tag``."""
        return self.a_nested_label.replace(" ", "_")

    @property
    def nested_param(self) -> str:
        """The nested list's path parameter, the one row's id: ``author_id``.

        The list filter of the same name (``?tag_id=``) narrows it.
        """
        return f"{self.row_var}_id" if self.many else self.key

    @property
    def nested_errors(self) -> list[str]:
        """The error statuses the nested list route documents."""
        return sorted([*(str(code) for code in self.nested_codes), "404"])

    @property
    def target_noun(self) -> str:
        """The referenced resource in words: ``author``."""
        return self.target.human

    @property
    def row_var(self) -> str:
        """The tests' variable for one referenced row: ``author``, ``tag``."""
        return singular_of(self.name) if self.many else self.name

    @property
    def loader(self) -> str | None:
        """How list and get load it (see :func:`loader_of`); None: not read."""
        return loader_of(self.spec)

    @property
    def nested_loads(self) -> tuple[Load, ...]:
        """What the related rows load in turn: a summary reads their relations."""
        return self.target.loads if self.summary else ()
