"""scaffold's public Python API: every command, callable without the CLI.

Each writing command has a ``preview_*`` (the ``--dry-run``: plan, commit
check, nothing written) and a function that carries the change out and checks
the project. The CLI is a thin layer over exactly these functions.

Example:
    >>> from pathlib import Path
    >>> from scaffold.api import add_resources, parse_cli_resource
    >>> book = parse_cli_resource("book", ["title:str(200)"])
    >>> add_resources([book], project=Path("shop"))  # doctest: +SKIP
"""

from __future__ import annotations

from scaffold.changes.add_job import JobResult, add_job, preview_job
from scaffold.changes.add_resource import AddResult, add_resources, preview_resources
from scaffold.changes.history import (
    HistoryResult,
    merge_heads,
    preview_history,
    rebase_heads,
)
from scaffold.changes.new_project import (
    ProjectRequest,
    ProjectResult,
    create_project,
    preview_project,
)
from scaffold.changes.regenerate import (
    RegenerateResult,
    preview_regeneration,
    regenerate_resources,
)
from scaffold.changes.remove_resource import (
    RemoveResult,
    preview_removal,
    remove_resources,
)
from scaffold.changes.upgrade import UpgradeResult, preview_upgrade, upgrade_project
from scaffold.engine.apply import recover
from scaffold.engine.plan import Plan
from scaffold.errors import (
    CheckFailedError,
    ProjectError,
    ScaffoldError,
    SpecError,
    UsageError,
)
from scaffold.spec import ResourceSpec, load_spec_file, parse_cli_resource
from scaffold.tools.check import CheckResult, check_project

__all__ = [
    "AddResult",
    "CheckFailedError",
    "CheckResult",
    "HistoryResult",
    "JobResult",
    "Plan",
    "ProjectError",
    "ProjectRequest",
    "ProjectResult",
    "RegenerateResult",
    "RemoveResult",
    "ResourceSpec",
    "ScaffoldError",
    "SpecError",
    "UpgradeResult",
    "UsageError",
    "add_job",
    "add_resources",
    "check_project",
    "create_project",
    "load_spec_file",
    "merge_heads",
    "parse_cli_resource",
    "preview_history",
    "preview_job",
    "preview_project",
    "preview_regeneration",
    "preview_removal",
    "preview_resources",
    "preview_upgrade",
    "rebase_heads",
    "recover",
    "regenerate_resources",
    "remove_resources",
    "upgrade_project",
]
