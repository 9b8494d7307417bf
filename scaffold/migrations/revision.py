"""Alembic revisions written without a database: naming, ids and the head.

The current head is read from the revision files' source (never imported), so
``scaffold add resource`` neither needs the project's environment nor a live
database to chain a new revision onto the history.
"""

from __future__ import annotations

import ast
import datetime as dt
import hashlib
import os
import re
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Literal

from scaffold.errors import ProjectError
from scaffold.migrations.graph import read_graph

__all__ = [
    "Revision",
    "RevisionParts",
    "chain_time",
    "current_head",
    "generation_time",
    "new_revision",
    "revision_parts",
    "revision_stamp",
]

_STAMP = re.compile(r"(\d{4})_(\d{2})_(\d{2})_(\d{2})(\d{2})_")


@dataclass(frozen=True)
class Revision:
    """A new revision: its id, parent, date and file name."""

    revision: str
    down_revision: str | tuple[str, ...] | None
    create_date: str
    filename: str


def generation_time() -> dt.datetime:
    """The time recorded in new revisions.

    ``SOURCE_DATE_EPOCH`` (the reproducible-builds convention) pins it, so that
    the same inputs give byte-identical output; otherwise it is now, in UTC.
    """
    epoch = os.environ.get("SOURCE_DATE_EPOCH")
    if epoch:
        try:
            return dt.datetime.fromtimestamp(int(epoch), tz=dt.UTC)
        except (ValueError, OverflowError, OSError) as exc:
            raise ProjectError(
                f"SOURCE_DATE_EPOCH={epoch!r} is not a whole number of seconds; "
                "unset it or give seconds since 1970"
            ) from exc
    return dt.datetime.now(dt.UTC).replace(microsecond=0)


def current_head(revisions: Mapping[str, str]) -> str | None:
    """The single head of the history in ``revisions`` (file name → source).

    Returns:
        The head's revision id, or None for an empty history.

    Raises:
        ProjectError: A revision file cannot be read, or the history has more
            than one head.
    """
    heads = read_graph(revisions).heads
    if len(heads) > 1:
        raise ProjectError(
            f"the migration history has {len(heads)} heads ({', '.join(heads)}); "
            "merge them first with: scaffold migrations merge"
        )
    return heads[0] if heads else None


def revision_stamp(filename: str | None) -> dt.datetime | None:
    """The time in a revision's file name (``2026_01_31_1405_...``), if any."""
    match = _STAMP.match(filename or "")
    if match is None:
        return None
    year, month, day, hour, minute = map(int, match.groups())
    try:
        return dt.datetime(year, month, day, hour, minute, tzinfo=dt.UTC)
    except ValueError:
        return None


def chain_time(when: dt.datetime, after: str | None) -> dt.datetime:
    """``when``, moved past the time in the parent's file name ``after``.

    File names then sort in chain order even when the clock is pinned
    (``SOURCE_DATE_EPOCH``), several revisions are made in the same minute, or
    the parent was made later than ``when`` on another machine.
    """
    parent = revision_stamp(after)
    minute = when.replace(second=0, microsecond=0)
    if parent is not None and minute <= parent:
        return parent + dt.timedelta(minutes=1)
    return when


def new_revision(
    table: str,
    *,
    down_revision: str | None,
    when: dt.datetime,
    action: Literal["create", "drop"] = "create",
    after: str | None = None,
) -> Revision:
    """Name the revision that creates (or drops) ``table`` after ``down_revision``.

    The id is derived from its parent, its action and its table, so
    regenerating the same change gives the same id; the file name follows the
    project's ``alembic.ini`` template: ``2026_01_31_1405_create_books_table.py``,
    with a time after the parent's (``after``, its file name) so that the
    files sort in chain order.
    """
    when = chain_time(when, after)
    key = (
        f"{down_revision}:{table}"
        if action == "create"
        else f"{down_revision}:drop:{table}"
    )
    digest = hashlib.sha256(key.encode()).hexdigest()
    return Revision(
        revision=digest[:12],
        down_revision=down_revision,
        create_date=str(when),
        filename=f"{when:%Y_%m_%d_%H%M}_{action}_{table}_table.py",
    )


@dataclass(frozen=True)
class RevisionParts:
    """What a drop revision takes from the revision that created the table."""

    imports: str
    upgrade: str
    downgrade: str


def revision_parts(source: str) -> RevisionParts:
    """The imports and the bodies of ``upgrade`` and ``downgrade`` of a revision.

    Raises:
        ProjectError: The source is not a revision with both functions.
    """
    try:
        tree = ast.parse(source)
    except SyntaxError as exc:
        raise ProjectError(f"the revision does not parse (line {exc.lineno})") from exc
    lines = source.splitlines(keepends=True)

    def segment(nodes: list[ast.stmt]) -> str:
        return "".join(lines[nodes[0].lineno - 1 : nodes[-1].end_lineno])

    imports = [
        node for node in tree.body if isinstance(node, ast.Import | ast.ImportFrom)
    ]
    functions = {
        node.name: node for node in tree.body if isinstance(node, ast.FunctionDef)
    }
    bodies = {}
    for name in ("upgrade", "downgrade"):
        function = functions.get(name)
        if function is None or not imports:
            raise ProjectError(f"the revision has no {name}() function")
        body = function.body
        if (
            len(body) > 1
            and isinstance(body[0], ast.Expr)
            and isinstance(body[0].value, ast.Constant)
        ):
            body = body[1:]
        bodies[name] = segment(body)
    return RevisionParts(
        "\n".join(segment([node]) for node in imports),
        bodies["upgrade"],
        bodies["downgrade"],
    )
