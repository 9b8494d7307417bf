"""``scaffold apply SPEC_FILE [--prune]``: make the project what the file says.

The spec file is the truth. Against the manifest, each of its resources is
new (added, as ``add resource`` adds it), changed (evolved, as the field
commands evolve it: one revision per resource; a field's ``renamed_from:``
marks a rename, which is never guessed) or the same (left alone). Resources
the manifest records and the file does not list are removed only with
``--prune``. Running it again changes nothing.

The steps (the resources first, then each evolution, then the removals) are
one transaction: if one fails, none of them is left written. The project's
checks run once, at the end.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

from scaffold.changes.add_resource import add_resources
from scaffold.changes.apply_steps import field_steps
from scaffold.changes.evolve import evolve, plan_evolution
from scaffold.changes.reference_evolution import diff_references
from scaffold.changes.remove_resource import remove_resources
from scaffold.changes.transaction import (
    all_or_nothing,
    guard,
    ready_to_check,
    verify,
)
from scaffold.engine.events import NullReporter, Reporter
from scaffold.errors import SpecError, UsageError
from scaffold.project.access import with_rules
from scaffold.project.answers import find_project
from scaffold.project.snapshot import read_snapshot
from scaffold.spec import ResourceSpec, load_spec_file
from scaffold.spec._files import read_data
from scaffold.spec.diff import diff_fields
from scaffold.tools.check import CheckResult

__all__ = ["ApplyPlan", "apply_spec", "plan_apply"]


@dataclass(frozen=True)
class ApplyPlan:
    """What ``scaffold apply`` will do.

    Attributes:
        root: The project root.
        source: The spec file.
        add: Resources to add.
        evolve: Resources to change, with their renames (new name → old).
        changes: For each resource to change, its changes for people.
        remove: Resources to remove (``--prune``).
    """

    root: Path
    source: Path
    add: tuple[ResourceSpec, ...]
    evolve: tuple[tuple[ResourceSpec, Mapping[str, str]], ...]
    changes: Mapping[str, tuple[str, ...]]
    remove: tuple[str, ...]

    def summary(self) -> list[str]:
        """One line per step, in the order they run."""
        lines = [f"add {spec.names.singular}" for spec in self.add]
        for spec, _ in self.evolve:
            done = "; ".join(self.changes[spec.names.singular])
            lines.append(f"change {spec.names.singular}: {done}")
        lines += [f"remove {name}" for name in self.remove]
        return lines or ["nothing to change: the project matches the file"]


def _renames(path: Path, specs: list[ResourceSpec]) -> dict[str, dict[str, str]]:
    """Resource → new field name → ``renamed_from``, as the file says."""
    data, _ = read_data(path)
    entries = data.get("resources", []) if isinstance(data, dict) else []
    found: dict[str, dict[str, str]] = {}
    for spec, entry in zip(specs, entries, strict=False):
        fields = entry.get("fields", {}) if isinstance(entry, dict) else {}
        for name, value in fields.items():
            if isinstance(value, dict) and isinstance(value.get("renamed_from"), str):
                found.setdefault(spec.names.singular, {})[name] = value["renamed_from"]
    return found


def plan_apply(source: Path, *, project: Path, prune: bool = False) -> ApplyPlan:
    """Compare the spec file with the manifest; write nothing.

    Raises:
        SpecError: The file is invalid, a rename names a field that the
            resource never had, or it turns ``versioned`` on or off for a
            resource that exists.
        UsageError: The file switches soft_delete on or off, or changes the
            pagination, of a resource the project has.
    """
    root = find_project(project)
    specs = load_spec_file(source)
    snapshot = read_snapshot(root, [])
    renames = _renames(source, specs)
    add: list[ResourceSpec] = []
    evolve_: list[tuple[ResourceSpec, Mapping[str, str]]] = []
    described: dict[str, tuple[str, ...]] = {}
    for spec in specs:
        name = spec.names.singular
        record = snapshot.manifest.resources.get(name)
        if record is None:
            add.append(spec)
            continue
        if record.spec.soft_delete != spec.soft_delete:
            raise UsageError(
                f"{name}: soft_delete cannot be switched on an existing resource "
                f"(it changes its table, routes and tests); set it back to "
                f"{str(record.spec.soft_delete).lower()}, or remove the resource "
                "and add it again"
            )
        if spec.versioned != record.spec.versioned:
            raise SpecError(
                f"resource {name!r}: apply does not turn versioned on or off for a "
                f"resource that exists yet; keep versioned: "
                f"{str(record.spec.versioned).lower()} in the file"
            )
        if record.spec.pagination != spec.pagination:
            raise UsageError(
                f"{name}: pagination cannot be switched on an existing resource "
                "by apply (it changes its list's parameters, answer and tests); "
                f"set it back to {record.spec.pagination}, or remove the resource "
                "and add it again"
            )
        wanted = with_rules(spec, project_auth=snapshot.auth)
        linked = {relation.name for relation in record.spec.relations}
        had = {field.name for field in record.spec.fields} | linked
        # A rename already applied is a plain field now: run twice, change once.
        renamed = {
            new: old
            for new, old in renames.get(name, {}).items()
            if not (new in had and old not in had)
        }
        fields_renamed = {new: old for new, old in renamed.items() if old not in linked}
        changes = diff_fields(record.spec, wanted, fields_renamed)
        moved = diff_references(record.spec, wanted, renamed)
        if changes or moved:
            evolve_.append((wanted, renamed))
            described[name] = (
                *(change.describe() for change in changes),
                *moved.describe(),
            )
    listed = {spec.names.singular for spec in specs}
    remove = tuple(
        name for name in snapshot.manifest.resources if prune and name not in listed
    )
    return ApplyPlan(root, source, tuple(add), tuple(evolve_), described, remove)


def _evolve(
    root: Path,
    spec: ResourceSpec,
    renames: Mapping[str, str],
    allow_data_loss: bool,
    allow_dirty: bool,
    reporter: Reporter,
    command: str,
) -> None:
    """Change one resource to ``spec`` as its field commands would, in turn."""
    recorded = read_snapshot(root, []).manifest.resources[spec.names.singular].spec
    for step in field_steps(recorded, spec, renames, allow_data_loss=allow_data_loss):
        snapshot = read_snapshot(root, [step.spec, recorded])
        record = snapshot.manifest.resources[spec.names.singular]
        evolution = plan_evolution(
            snapshot,
            record,
            step.spec,
            step.options,
            title=step.title,
            command=command,
        )
        guard(root, evolution.plan, allow_dirty=allow_dirty)
        evolve(evolution, check=False, reporter=reporter)


def apply_spec(
    plan: ApplyPlan,
    *,
    check: bool = True,
    allow_data_loss: bool = False,
    allow_dirty: bool = False,
    reporter: Reporter | None = None,
) -> tuple[CheckResult, ...]:
    """Carry out ``plan``, all or nothing: add, evolve, remove; then check.

    Raises:
        UsageError: An evolution breaks a data rule (see the field commands).
        MergeConflictError: An evolution wrote conflict markers.
        CheckFailedError: A check failed afterwards.
    """
    reporter = reporter or NullReporter()
    root = plan.root
    ready_to_check(check)
    with all_or_nothing(root):
        if plan.add:
            reporter.stage(f"Adding {', '.join(s.names.singular for s in plan.add)}")
            add_resources(
                plan.add, project=root, check=False, allow_dirty=allow_dirty,
                reporter=reporter,
            )  # fmt: skip
        for spec, renames in plan.evolve:
            reporter.stage(f"Changing {spec.names.singular}")
            _evolve(
                root, spec, renames, allow_data_loss, allow_dirty, reporter,
                command=f"scaffold apply {plan.source}",
            )  # fmt: skip
        if plan.remove:
            remove_resources(
                plan.remove, project=root, check=False, allow_dirty=allow_dirty,
                reporter=reporter,
            )  # fmt: skip
    if not (plan.add or plan.evolve or plan.remove):
        return ()
    return verify(root, check=check, reporter=reporter)
