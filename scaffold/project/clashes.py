"""The refusals of ``add resource`` that need only the specs and the manifest.

Two resources of one command that would generate the same module or table,
and a resource the project already has, are refused before anything is
rendered, together with the access-rule and project-file problems found
beside them.
"""

from __future__ import annotations

from collections.abc import Sequence

from scaffold.errors import SpecError
from scaffold.project.manifest import Manifest
from scaffold.spec import ResourceSpec

__all__ = ["existing_resource_problem", "refuse_clashes"]


def refuse_clashes(
    resources: Sequence[ResourceSpec],
    *,
    manifest: Manifest,
    problems: Sequence[str] = (),
) -> None:
    """Refuse resources that clash with each other or with the project.

    Args:
        resources: The resources of the command.
        manifest: The project's record of what scaffold generated.
        problems: Problems found already (access rules, the project's own
            files), reported together with the clashes.

    Raises:
        SpecError: Every problem and clash, one per line.
    """
    problems = list(problems)
    seen: dict[str, str] = {}
    for resource in resources:
        names = resource.names
        for key in (names.module, names.table, names.plural):
            if key in seen and seen[key] != names.singular:
                problems.append(
                    f"resources {seen[key]!r} and {names.singular!r} would both "
                    f"generate {key!r}; rename one of them"
                )
            seen.setdefault(key, names.singular)
        if names.singular in manifest.resources:
            recorded = manifest.resources[names.singular].spec
            problems.append(existing_resource_problem(recorded, resource))
    if problems:
        raise SpecError(*problems)


def existing_resource_problem(recorded: ResourceSpec, wanted: ResourceSpec) -> str:
    """The refusal of ``add resource`` for a resource the project already has.

    ``regenerate`` renders the recorded spec again, so it is the fix only when
    nothing new was asked for. A changed spec points to the field commands.

    Args:
        recorded: The spec the manifest records.
        wanted: The spec of this command.

    Returns:
        The one-line problem and fix.
    """
    name = recorded.names.singular
    if recorded == wanted:
        return (
            f"resource {name!r} already exists; to re-render it with the "
            f"installed templates, run: scaffold regenerate {name}"
        )
    had = _declared(recorded)
    new = [field for field in _declared(wanted) if field not in had]
    if new:
        return (
            f"resource {name!r} already exists; to add "
            f"{'fields' if len(new) != 1 else 'field'} {', '.join(new)}, run: "
            f"scaffold add field {name} FIELD... with their definitions (the "
            "migration keeps the rows)"
        )
    return (
        f"resource {name!r} already exists with other fields; change them with "
        f"scaffold alter field {name} FIELD..., scaffold rename field or "
        "scaffold remove field"
    )


def _declared(spec: ResourceSpec) -> list[str]:
    """The names of a spec's fields and references, in declaration order."""
    return [
        *(field.name for field in spec.fields),
        *(relation.name for relation in spec.relations),
    ]
