"""A project read once for a change: answers, manifest and the files it touches."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath
from typing import Literal

from scaffold.engine.apply import ensure_no_journal
from scaffold.project import layout
from scaffold.project.answers import IdType, find_project, read_answers
from scaffold.project.layout import (
    MANIFEST_FILE,
    MODELS_FILE,
    ROUTER_FILE,
    VERSIONS_DIR,
    model_path,
)
from scaffold.project.manifest import (
    Manifest,
    ResourceRecord,
    base_path,
    find_records,
    read_manifest,
)
from scaffold.project.relations import embedding
from scaffold.spec import ResourceSpec
from scaffold.spec.naming import resource_names

__all__ = [
    "ProjectSnapshot",
    "read_recorded",
    "read_snapshot",
    "resource_paths",
]

P = PurePosixPath


@dataclass(frozen=True)
class ProjectSnapshot:
    """What planning a change needs to know about a project, read once.

    Attributes:
        root: The project directory.
        database: ``sqlite`` or ``postgres``.
        id_type: ``uuid`` or ``int``.
        auth: Whether the project has users (``new project --auth``).
        jobs: Whether it has background jobs (``new project --jobs``).
        manifest: The record of what scaffold generated.
        files: Current text of the files the change reads or would write
            (absent files are missing from the mapping).
        revisions: Revision file name → source, from ``alembic/versions``.
    """

    root: Path
    database: Literal["sqlite", "postgres"]
    id_type: IdType
    auth: bool = False
    jobs: bool = False
    manifest: Manifest = field(default_factory=Manifest)
    files: dict[PurePosixPath, str] = field(default_factory=dict)
    revisions: dict[str, str] = field(default_factory=dict)


def resource_paths(resource: ResourceSpec) -> dict[str, PurePosixPath]:
    """Template name → project path of each file that belongs to ``resource``."""
    return layout.resource_paths(resource.names.module, resource.names.plural)


def read_snapshot(
    root: Path, resources: Sequence[ResourceSpec], *, also: Sequence[str] = ()
) -> ProjectSnapshot:
    """Read the project's answers, manifest and every file the change touches.

    Args:
        root: The project root.
        resources: The resources the change renders.
        also: Other project paths the change reads.

    Raises:
        ProjectError: The answers file or manifest is unreadable, the project
            was made with options this version does not know, or a killed run
            left a journal behind.
    """
    ensure_no_journal(root)
    answers = read_answers(root)
    manifest = read_manifest(root)
    wanted = {
        P(ROUTER_FILE),
        P(MODELS_FILE),
        P(layout.PYPROJECT_FILE),
        P(MANIFEST_FILE),
        P(layout.ERRORS_FILE),
        P(layout.COMMON_SCHEMAS_FILE),
        P(layout.DATABASE_FILE),
    }
    wanted.update(P(path) for path in also)
    for resource in resources:
        for path in resource_paths(resource).values():
            wanted.update((path, base_path(path)))
        wanted.update(
            model_path(resource_names(relation.target).module)
            for relation in resource.relations
        )
    # Their rows' relations are loaded by the resources embedding them
    names = [resource.names.singular for resource in resources]
    for spec in embedding(manifest.specs, names).values():
        path = resource_paths(spec)["repository.py.jinja"]
        wanted.update((path, base_path(path)))
        wanted.update(
            model_path(resource_names(relation.target).module)
            for relation in spec.relations
        )
    files = {
        path: (root / path).read_text(encoding="utf-8")
        for path in sorted(wanted)
        if (root / path).is_file()
    }
    versions = root / VERSIONS_DIR
    revisions = {
        path.name: path.read_text(encoding="utf-8")
        for path in sorted(versions.glob("*.py"))
    }
    return ProjectSnapshot(
        root,
        answers.database,
        answers.id_type,
        auth=answers.auth,
        jobs=answers.jobs,
        manifest=manifest,
        files=files,
        revisions=revisions,
    )


def read_recorded(
    project: Path, names: Sequence[str]
) -> tuple[ProjectSnapshot, list[ResourceRecord]]:
    """Find the project and read it for a change to recorded resources ``names``.

    Raises:
        ProjectError: No project, or a killed run left a journal behind.
        SpecError: A name is not a resource the manifest records.
    """
    root = find_project(project)
    ensure_no_journal(root)
    records = find_records(read_manifest(root), names)
    snapshot = read_snapshot(root, [record.spec for record in records])
    return snapshot, records
