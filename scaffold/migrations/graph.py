"""The shape of a project's Alembic history, read from the revision files.

Every revision file is parsed (never imported) for its ``revision`` and
``down_revision``; from those, :class:`RevisionGraph` tells the heads, the
revisions whose parent is missing, and which revisions lie on which branch.
``scaffold check`` reports a history that Alembic cannot upgrade in one go
(more than one head, a missing parent) with the command that fixes it.
"""

from __future__ import annotations

import ast
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from scaffold.errors import ProjectError
from scaffold.project.layout import VERSIONS_DIR

__all__ = ["Node", "RevisionGraph", "assigned", "read_graph"]


def assigned(tree: ast.Module, name: str) -> object:
    """The literal value a module assigns to ``name`` at its top level."""
    for node in tree.body:
        target = None
        if isinstance(node, ast.AnnAssign) and isinstance(node.target, ast.Name):
            target, value = node.target.id, node.value
        elif isinstance(node, ast.Assign) and len(node.targets) == 1:
            first = node.targets[0]
            target = first.id if isinstance(first, ast.Name) else None
            value = node.value
        if target == name and value is not None:
            return ast.literal_eval(value)
    return None


@dataclass(frozen=True)
class Node:
    """One revision: its id, its file and its parents' ids."""

    revision: str
    filename: str
    parents: tuple[str, ...]


@dataclass(frozen=True)
class RevisionGraph:
    """The revisions of a history, by id."""

    nodes: dict[str, Node]

    @property
    def heads(self) -> list[str]:
        """The revisions no other revision follows, in file-name order."""
        parents = {parent for node in self.nodes.values() for parent in node.parents}
        heads = [node for node in self.nodes.values() if node.revision not in parents]
        return [node.revision for node in sorted(heads, key=lambda n: n.filename)]

    @property
    def missing_parents(self) -> list[tuple[Node, str]]:
        """Each revision whose parent is in no file, with that parent's id."""
        return [
            (node, parent)
            for node in sorted(self.nodes.values(), key=lambda n: n.filename)
            for parent in node.parents
            if parent not in self.nodes
        ]

    def ancestors(self, revisions: Iterable[str]) -> set[str]:
        """``revisions`` and every revision they follow, directly or not."""
        seen: set[str] = set()
        stack = [revision for revision in revisions if revision in self.nodes]
        while stack:
            revision = stack.pop()
            if revision in seen:
                continue
            seen.add(revision)
            stack.extend(p for p in self.nodes[revision].parents if p in self.nodes)
        return seen

    def filename(self, revision: str | None) -> str | None:
        """The file of ``revision`` (None for none or an unknown id)."""
        node = self.nodes.get(revision) if revision else None
        return node.filename if node else None

    def merge_of(self, parents: Iterable[str]) -> Node | None:
        """An existing revision that merges exactly ``parents``, if any."""
        wanted = set(parents)
        return next(
            (
                node
                for node in sorted(self.nodes.values(), key=lambda n: n.filename)
                if len(node.parents) > 1 and set(node.parents) == wanted
            ),
            None,
        )

    def problems(self) -> list[str]:
        """What keeps ``alembic upgrade head`` from working, each with its fix."""
        problems = [
            f"{VERSIONS_DIR}/{node.filename} follows revision {parent!r}, which no "
            "file defines; restore that revision from version control, or set "
            "down_revision to an existing one"
            for node, parent in self.missing_parents
        ]
        heads = self.heads
        if len(heads) > 1:
            files = ", ".join(str(self.filename(head)) for head in heads)
            problems.append(
                f"the migration history has {len(heads)} heads ({files}); join them "
                "with: scaffold migrations merge (or re-chain scaffold's unapplied "
                "revisions with: scaffold migrations rebase)"
            )
        return problems


def read_graph(revisions: Mapping[str, str]) -> RevisionGraph:
    """The graph of ``revisions`` (file name → source).

    Files that assign no string ``revision`` (helpers beside the revisions)
    are left out.

    Raises:
        ProjectError: A revision file does not parse.
    """
    nodes = {}
    for filename, source in sorted(revisions.items()):
        try:
            tree = ast.parse(source)
            revision = assigned(tree, "revision")
            down = assigned(tree, "down_revision")
        except (SyntaxError, ValueError, TypeError) as exc:
            raise ProjectError(
                f"{VERSIONS_DIR}/{filename} cannot be read as an Alembic revision "
                f"({exc}); fix or remove it, then run again"
            ) from exc
        if not isinstance(revision, str):
            continue
        if isinstance(down, str):
            parents: tuple[str, ...] = (down,)
        elif isinstance(down, tuple | list):
            parents = tuple(str(item) for item in down)
        else:
            parents = ()
        nodes[revision] = Node(revision, filename, parents)
    return RevisionGraph(nodes)
