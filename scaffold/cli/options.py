"""The options and choices the ``scaffold`` commands share.

Typer reads them from the command signatures in :mod:`scaffold.cli`; they live
here so that module stays a list of thin commands.
"""

from enum import StrEnum
from pathlib import Path
from typing import Annotated

import typer

__all__ = [
    "Access",
    "AllowDirtyOption",
    "CheckOption",
    "Database",
    "DryRunOption",
    "ForceOption",
    "IdType",
    "JsonOption",
    "PaginationOption",
    "ProjectOption",
    "QuietOption",
    "RuleOption",
    "VerboseOption",
]


class Database(StrEnum):
    """The databases a generated project can be set up for."""

    sqlite = "sqlite"
    postgres = "postgres"


class Access(StrEnum):
    """Who may call a resource's endpoints."""

    none = "none"
    user = "user"
    admin = "admin"


class PaginationOption(StrEnum):
    """How a resource's list pages."""

    offset = "offset"
    cursor = "cursor"


class RuleOption(StrEnum):
    """Who may read, or who may write, a resource's rows."""

    public = "public"
    user = "user"
    admin = "admin"
    owner = "owner"


class IdType(StrEnum):
    """The primary-key types resources can get."""

    uuid = "uuid"
    int = "int"


VerboseOption = Annotated[
    bool, typer.Option("--verbose", "-v", help="List every file written.")
]
QuietOption = Annotated[bool, typer.Option("--quiet", "-q", help="Print only errors.")]
ProjectOption = Annotated[
    Path,
    typer.Option(
        "--project", "-p", help="A directory inside the project.", file_okay=False
    ),
]
CheckOption = Annotated[
    bool,
    typer.Option(
        "--check/--no-check",
        help="Run the project's checks and migration round trip afterwards.",
    ),
]
DryRunOption = Annotated[
    bool,
    typer.Option("--dry-run", help="Show each file's action and diff; write nothing."),
]
JsonOption = Annotated[
    bool, typer.Option("--json", help="With --dry-run: print the plan as JSON.")
]
ForceOption = Annotated[
    bool,
    typer.Option(
        "--force",
        help="Overwrite files you modified, keeping a backup under .scaffold/backup/.",
    ),
]
AllowDirtyOption = Annotated[
    bool,
    typer.Option(
        "--allow-dirty", help="Change files that have uncommitted changes in git."
    ),
]
