"""Access rules of generated resources: who may read and who may write.

A resource's ``read`` and ``write`` rules are ``public`` (anyone), ``user``
(signed-in users), ``owner`` (each row's owner; needs ``owned``) or ``admin``
(administrators). Administrators may read and write every row. This module
resolves the defaults, refuses combinations that make no sense (before
anything is written) and works out how a resource checks the rows it refers
to, whose own rules decide who may see them.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import PurePosixPath
from typing import Literal

from scaffold.errors import SpecError
from scaffold.project.manifest import Manifest
from scaffold.project.relations import Target, loads_of, resolve_targets
from scaffold.spec import ResourceSpec, Rule

__all__ = [
    "RULES",
    "Check",
    "Rules",
    "check_kind",
    "recorded_rules",
    "resolve_rules",
    "resolved_targets",
    "rule_problems",
    "rule_targets",
    "stricter",
    "with_rules",
]

RULES: tuple[Rule, ...] = ("public", "user", "owner", "admin")
"""Every rule, from the loosest to the strictest."""

Check = Literal["any", "admin", "owner"]
"""How a referenced row is checked: any row, administrators only, or scoped
to the caller's own rows (every row for an administrator)."""

_SHORTHAND: dict[str, Rule] = {"none": "public", "user": "user", "admin": "admin"}


@dataclass(frozen=True)
class Rules:
    """A resource's resolved rules."""

    read: Rule
    write: Rule
    owned: bool


def stricter(first: Rule, second: Rule) -> Rule:
    """The stricter of two rules (``owner`` lies between ``user`` and ``admin``)."""
    return max(first, second, key=RULES.index)


def resolve_rules(resource: ResourceSpec, *, project_auth: bool) -> Rules:
    """The rules ``resource`` asks for, with the project's defaults filled in.

    ``auth`` is a shorthand for both rules (``none`` is ``public``); an owned
    resource with ``auth user`` is its owners' alone. Without explicit rules a
    project with auth lets signed-in users read shared data and administrators
    write it, and owners alone read and write owned rows; a project without
    auth is public.
    """
    owned = resource.owned
    if resource.read is None and resource.write is None and resource.auth:
        rule = _SHORTHAND[resource.auth]
        if owned and rule == "user":
            rule = "owner"
        return Rules(rule, rule, owned)
    if not project_auth:
        return Rules(resource.read or "public", resource.write or "public", owned)
    read = resource.read or ("owner" if owned else "user")
    write = resource.write or ("owner" if owned else "admin")
    return Rules(read, write, owned)


def recorded_rules(resource: ResourceSpec, *, project_auth: bool) -> ResourceSpec:
    """A recorded spec with its rules spelled out.

    ``add resource`` records both rules; a record without them predates the
    rules and was generated with ``auth`` alone, which then meant ``user`` in
    a project with auth when not given.
    """
    if resource.read is not None or resource.write is not None:
        return resource
    default = "user" if project_auth else "none"
    legacy = resource.model_copy(update={"auth": resource.auth or default})
    return with_rules(legacy, project_auth=project_auth)


def with_rules(resource: ResourceSpec, *, project_auth: bool) -> ResourceSpec:
    """``resource`` with both rules resolved, as the manifest records them.

    Raises:
        SpecError: The rules make no sense together, or need users that the
            project does not have.
    """
    problems = rule_problems(resource, project_auth=project_auth)
    if problems:
        raise SpecError(*problems)
    rules = resolve_rules(resource, project_auth=project_auth)
    return resource.model_copy(
        update={"auth": None, "read": rules.read, "write": rules.write}
    )


def rule_problems(resource: ResourceSpec, *, project_auth: bool) -> list[str]:
    """What is wrong with the rules of ``resource``, one message each."""
    name = resource.names.singular
    if resource.auth is not None and (resource.read or resource.write):
        return [
            f"resource {name!r}: auth is a shorthand for read and write; give "
            "either auth or read/write"
        ]
    rules = resolve_rules(resource, project_auth=project_auth)
    if not project_auth:
        if rules.owned or {rules.read, rules.write} != {"public"}:
            if rules.owned:
                asked = "owned"
            elif resource.auth is not None:
                asked = f"auth {resource.auth!r}"
            else:
                kind = "read" if rules.read != "public" else "write"
                asked = f"{kind} {getattr(rules, kind)!r}"
            return [
                f"resource {name!r} needs users ({asked}), but the project was made "
                "with --no-auth and has none; drop --owned, --read, --write and "
                "--auth (owned, read, write and auth in a spec file)"
            ]
        return []
    problems = []
    for kind in ("read", "write"):
        if getattr(rules, kind) == "owner" and not rules.owned:
            problems.append(
                f"resource {name!r}: {kind} 'owner' needs rows with owners; add "
                "--owned (owned: true in a spec file) or choose another rule"
            )
    if rules.owned and rules.write != "owner":
        problems.append(
            f"resource {name!r} is owned, so its owners (and administrators) "
            f"change its rows, which write {rules.write!r} contradicts; use write "
            "'owner' (the default with --owned), or drop --owned for rows that "
            "administrators alone change"
        )
    elif RULES.index(rules.write) < RULES.index(rules.read):
        problems.append(
            f"resource {name!r}: write {rules.write!r} is looser than read "
            f"{rules.read!r}, so someone could change rows they cannot read; make "
            "write at least as strict as read"
        )
    return problems


def check_kind(target: Target, guaranteed: Rule) -> Check:
    """How a caller who passed ``guaranteed`` is checked for a row of ``target``.

    Args:
        target: The referenced resource, with its rules.
        guaranteed: What the route already required of the caller.
    """
    if guaranteed == "admin" or target.read in ("public", "user"):
        return "any"
    return "admin" if target.read == "admin" else "owner"


def resolved_targets(
    resources: Sequence[ResourceSpec],
    files: Mapping[PurePosixPath, str],
    manifest: Manifest,
    project_auth: bool,
) -> dict[str, Target]:
    """Find every resource ``resources`` refer to, with its rules.

    Raises:
        SpecError: A referenced resource is missing (see
            :func:`~scaffold.project.relations.resolve_targets`), or a reference that
            its resource's rules cannot honour.
    """
    names = {name: record.spec.names for name, record in manifest.resources.items()}
    targets = resolve_targets(resources, files, names)
    return rule_targets(targets, resources, manifest, project_auth)


def rule_targets(
    targets: Mapping[str, Target],
    resources: Sequence[ResourceSpec],
    manifest: Manifest,
    project_auth: bool,
) -> dict[str, Target]:
    """``targets`` with their rules, checking every reference against them.

    Args:
        targets: The referenced resources by singular name.
        resources: The resources being rendered, rules resolved.
        manifest: The project's record; a target neither rendered nor
            recorded (a hand-written model) is taken as readable and
            writable by every signed-in user.
        project_auth: Whether the project has users.

    Raises:
        SpecError: A reference that its resource's rules cannot honour.
    """
    specs = {**manifest.specs, **{r.names.singular: r for r in resources}}
    needs = _RowNeeds(specs, project_auth)
    ruled = {}
    for name, target in targets.items():
        spec = specs.get(name)
        if spec is None:
            rule: Rule = "user" if project_auth else "public"
            ruled[name] = dataclasses.replace(target, read=rule, write=rule)
            continue
        rules = needs.rules[name]
        ruled[name] = dataclasses.replace(
            target,
            read=rules.read,
            write=rules.write,
            owned=rules.owned,
            soft_delete=spec.soft_delete,
            versioned=spec.versioned,
            admin_rows=needs.admin_rows(name),
            user_rows=needs.user_rows(name),
            loads=loads_of(specs, name),
        )
    problems = [
        problem
        for resource in resources
        for problem in _reference_problems(resource, ruled, project_auth)
    ]
    if problems:
        raise SpecError(*problems)
    return ruled


def _reference_problems(
    resource: ResourceSpec, targets: Mapping[str, Target], project_auth: bool
) -> list[str]:
    rules = resolve_rules(resource, project_auth=project_auth)
    problems = []
    for relation in resource.relations:
        target = targets[relation.target]
        where = f"{resource.names.singular}.{relation.name}"
        plural = target.plural.replace("_", " ")
        if rules.write == "public" and target.read != "public":
            problems.append(
                f"{where} refers to {target.singular!r}, which anonymous callers "
                f"may not read, but anyone may write {resource.names.human_plural}; "
                f"use write 'user' or stricter for {resource.names.singular!r}, "
                f"or read 'public' for {target.singular!r}"
            )
        if relation.summary and RULES.index(target.read) > RULES.index(rules.read):
            problems.append(
                f"{where} embeds {plural} (summary), which read {target.read!r} "
                f"keeps from some who may read {resource.names.human_plural} (read "
                f"{rules.read!r}); drop the summary (the ids stay), or make read "
                f"of {resource.names.singular!r} at least {target.read!r}"
            )
    return problems


class _RowNeeds:
    """What creating a row of each resource needs first, for its tests.

    Also each resource's rules, resolved once for :func:`rule_targets`.
    """

    def __init__(self, specs: Mapping[str, ResourceSpec], project_auth: bool) -> None:
        self.specs = specs
        self.project_auth = project_auth
        self.rules = {
            name: resolve_rules(
                recorded_rules(spec, project_auth=project_auth),
                project_auth=project_auth,
            )
            for name, spec in specs.items()
        }

    def _required(self, name: str) -> list[str]:
        spec = self.specs.get(name)
        if spec is None or not self.project_auth:
            return []
        return [
            r.target
            for r in spec.relations
            if not r.optional and not r.many and r.target != name
            if r.target in self.specs
        ]

    def admin_rows(self, name: str) -> bool:
        """Whether a row of ``name`` needs rows only administrators create."""
        return any(
            self.rules[target].write == "admin" or self.admin_rows(target)
            for target in self._required(name)
        )

    def user_rows(self, name: str) -> bool:
        """Whether it also needs rows of the caller's own that need such rows."""
        return self.rules[name].write != "admin" and any(
            self.rules[target].read == "owner" and self.admin_rows(target)
            for target in self._required(name)
        )
