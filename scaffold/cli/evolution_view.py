"""How a field command's ``--dry-run`` shows its plan: files, revision, SQL, risks."""

from __future__ import annotations

import json
from typing import TYPE_CHECKING

from scaffold.cli.console import escape, out, print_plan

if TYPE_CHECKING:
    from scaffold.changes.evolve import Evolution

__all__ = ["evolution_json", "print_evolution"]

_NO_SQL = (
    "(the PostgreSQL SQL needs the project's environment: run uv sync in the "
    "project, then this dry run again)"
)


#: What the dry run says when the change writes no revision.
_NO_REVISION = "none: the database schema does not change, so no revision is written"


def _sql(evolution: Evolution) -> str | None:
    from scaffold.tools.offline_sql import postgres_sql

    if evolution.revision_path is None:
        return None

    text = next(
        op.content
        for op in evolution.plan.ops
        if op.path == evolution.revision_path and op.content is not None
    )
    return postgres_sql(evolution.root, text)


def print_evolution(evolution: Evolution) -> None:
    """The file diffs (the revision among them), then the SQL and the risks."""
    print_plan(evolution.plan)
    console = out()
    console.print("\nChanges:")
    for change in evolution.changes:
        console.print(f"  {escape(change.describe())}")
    console.print("\nSQL on PostgreSQL (upgrade):")
    if evolution.revision_path is None:
        console.print(f"  {_NO_REVISION}", highlight=False)
    else:
        console.print(escape(_sql(evolution) or _NO_SQL), highlight=False)
    console.print("\nData risks:")
    lines = [f"DESTRUCTIVE: {line}" for line in evolution.revision.destructive]
    lines += list(evolution.revision.risks)
    for line in lines or ["none: no existing value changes"]:
        console.print(f"  {escape(line)}", highlight=False)
    for line in evolution.stale:
        console.print(f"  still names a field that is gone: {escape(line)}")


def evolution_json(evolution: Evolution) -> str:
    """The plan as JSON, for CI: files with diffs, revision, SQL, risks."""
    return json.dumps(
        {
            "files": [
                {
                    "path": op.path.as_posix(),
                    "action": op.action.value,
                    "diff": op.diff(),
                }
                for op in evolution.plan.ops
            ],
            "changes": [change.describe() for change in evolution.changes],
            "revision": (
                None
                if evolution.revision_path is None
                else evolution.revision_path.as_posix()
            ),
            "sql": _sql(evolution),
            "destructive": list(evolution.revision.destructive),
            "risks": list(evolution.revision.risks),
            "stale": list(evolution.stale),
        },
        indent=2,
    )
