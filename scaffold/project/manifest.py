"""The project's record of what scaffold generated: ``.scaffold/``.

``.scaffold/manifest.json`` (committed with the project) holds the version of
scaffold that last wrote the project, the SHA-256 of every file as scaffold
generated it, and for every resource its validated spec, its files and its
migration. ``.scaffold/base/`` keeps the text of each resource file as last
generated: the common ancestor of a three-way merge when the resource is
regenerated. From the hashes, :func:`file_states` tells which generated files
the user has modified or removed since.

The manifest carries its format (``format``); an older format is migrated to
the current one as it is read (see :data:`MIGRATIONS`), so every command sees
one shape, and the next write stores it.

Everything here is pure: reading returns data, and the new manifest is
returned as text for the caller's plan to write with the rest of a change.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable, Iterable, Mapping, Sequence
from enum import StrEnum
from pathlib import Path, PurePosixPath
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, ValidationError

from scaffold import __version__
from scaffold.errors import ProjectError, SpecError
from scaffold.project.layout import BASE_DIR, MANIFEST_FILE, STATE_DIR
from scaffold.spec import ResourceSpec

__all__ = [
    "FORMAT",
    "MIGRATIONS",
    "FileState",
    "JobRecord",
    "Manifest",
    "ResourceRecord",
    "TemplateRecord",
    "base_path",
    "digest",
    "file_states",
    "find_records",
    "has_conflict_markers",
    "migrate_manifest",
    "read_manifest",
]


P = PurePosixPath

#: The manifest format this version writes.
FORMAT = 3


def _from_format_1(data: dict[str, Any]) -> dict[str, Any]:
    """Format 1 (0.1.0) had no ``format`` and no ``skeleton_version``.

    Its skeleton was rendered by the version it records (every format-1
    writer was 0.1.0), and it kept no base copy of the skeleton's files.
    """
    return {**data, "skeleton_version": data.get("scaffold_version", "0.1.0")}


def _from_format_2(data: dict[str, Any]) -> dict[str, Any]:
    """Format 2 recorded no template per file: which template produced a file
    generated before is unknown, and stays unrecorded until it is rendered again.
    """
    return {**data, "templates": data.get("templates", {})}


#: Format N → the function that turns a format-N manifest into format N + 1.
MIGRATIONS: dict[int, Callable[[dict[str, Any]], dict[str, Any]]] = {
    1: _from_format_1,
    2: _from_format_2,
}


def migrate_manifest(data: dict[str, Any]) -> dict[str, Any]:
    """A manifest's JSON data in the current :data:`FORMAT`.

    Raises:
        ProjectError: The manifest comes from a newer scaffold.
    """
    found = data.get("format", 1)
    if not isinstance(found, int) or found > FORMAT or found < 1:
        raise ProjectError(
            f"{MANIFEST_FILE} has format {found!r}, which this scaffold (format "
            f"{FORMAT}) cannot read; upgrade scaffold"
        )
    for version in range(found, FORMAT):
        data = MIGRATIONS[version](data)
    return {**data, "format": FORMAT}


def digest(text: str | bytes) -> str:
    """The SHA-256 of a file's content, as recorded in the manifest."""
    data = text.encode() if isinstance(text, str) else text
    return hashlib.sha256(data).hexdigest()


def base_path(path: PurePosixPath | str) -> PurePosixPath:
    """Where the last generated text of ``path`` is kept."""
    return P(BASE_DIR) / path


class FileState(StrEnum):
    """How a generated file on disk compares with what scaffold generated."""

    UNMODIFIED = "unmodified"
    MODIFIED = "modified"
    CONFLICT = "conflict"
    MISSING = "missing"


def has_conflict_markers(data: bytes) -> bool:
    """Whether a file holds unresolved ``<<<<<<<`` / ``>>>>>>>`` merge markers."""
    lines = data.splitlines()
    return any(line.startswith(b"<<<<<<< ") for line in lines) and any(
        line.startswith(b">>>>>>> ") for line in lines
    )


class ResourceRecord(BaseModel):
    """One generated resource.

    Attributes:
        spec: The validated spec it was generated from.
        files: The files that belong to it alone (model, schemas, repository,
            service, endpoints, tests), which regeneration re-renders.
        migration: The revision file that creates its table.
        revision: That revision's id.
    """

    model_config = ConfigDict(extra="forbid", frozen=True)

    spec: ResourceSpec
    files: tuple[str, ...]
    migration: str
    revision: str


class TemplateRecord(BaseModel):
    """The template that rendered a generated file.

    Attributes:
        template: Its name, e.g. ``resource/service.py.jinja``.
        source: ``override`` (the project's ``.scaffold/templates/``) or
            ``bundled`` (scaffold's own).
        sha256: The SHA-256 of the template's text.
    """

    model_config = ConfigDict(extra="forbid", frozen=True)

    template: str
    source: Literal["bundled", "override"]
    sha256: str


class JobRecord(BaseModel):
    """One background job added by ``scaffold add job``.

    Attributes:
        files: Its module and its test.
    """

    model_config = ConfigDict(extra="forbid", frozen=True)

    files: tuple[str, ...]


class Manifest(BaseModel):
    """The content of ``.scaffold/manifest.json``.

    Attributes:
        format: The manifest's format (:data:`FORMAT`).
        scaffold_version: The scaffold that last wrote the project.
        skeleton_version: The scaffold whose project template last rendered
            the skeleton (``new project`` or ``upgrade``).
        files: Every generated file → SHA-256 of its text as generated.
        resources: Resource name (singular) → its record.
        jobs: Job name → its record (written only once a job was added).
        overrides: Template name → SHA-256 of the bundled template when the
            project ejected it to ``.scaffold/templates/`` (written only once
            one was ejected).
        templates: Generated file → the template that rendered it last (a
            resource's or a job's files).
    """

    model_config = ConfigDict(extra="forbid", frozen=True)

    format: int = FORMAT
    scaffold_version: str = __version__
    skeleton_version: str = __version__
    files: dict[str, str] = {}
    resources: dict[str, ResourceRecord] = {}
    jobs: dict[str, JobRecord] = {}
    overrides: dict[str, str] = {}
    templates: dict[str, TemplateRecord] = {}

    @property
    def specs(self) -> dict[str, ResourceSpec]:
        """Resource name (singular) → its recorded spec."""
        return {name: record.spec for name, record in self.resources.items()}

    def with_files(self, files: Mapping[PurePosixPath, str]) -> Manifest:
        """This manifest with ``files`` (path → generated text) recorded."""
        hashes = dict(self.files)
        hashes.update((str(path), digest(text)) for path, text in files.items())
        return self._with_hashes(hashes)

    def without_files(self, paths: Iterable[PurePosixPath | str]) -> Manifest:
        """This manifest with ``paths`` no longer recorded as generated."""
        gone = {str(path) for path in paths}
        hashes = {path: sha for path, sha in self.files.items() if path not in gone}
        templates = {
            path: record for path, record in self.templates.items() if path not in gone
        }
        return self._with_hashes(hashes).model_copy(update={"templates": templates})

    def with_templates(
        self, records: Mapping[PurePosixPath, TemplateRecord]
    ) -> Manifest:
        """This manifest with the template that rendered each of ``records``."""
        templates = {**self.templates, **{str(p): r for p, r in records.items()}}
        return self.model_copy(update={"templates": dict(sorted(templates.items()))})

    def _with_hashes(self, hashes: dict[str, str]) -> Manifest:
        files = dict(sorted(hashes.items()))
        return self.model_copy(update={"files": files, "scaffold_version": __version__})

    def files_of(self, names: Iterable[str]) -> dict[str, str]:
        """The hashes of the files recorded for the resources ``names`` alone.

        Only those are a resource's to update: a file scaffold generated for
        another resource, or for the project itself, stays in the user's hands.
        """
        own = {
            path
            for name in names
            if (record := self.resources.get(name)) is not None
            for path in record.files
        }
        return {path: sha for path, sha in self.files.items() if path in own}

    def with_resource(self, record: ResourceRecord) -> Manifest:
        """This manifest with ``record`` added or replaced."""
        resources = {**self.resources, record.spec.names.singular: record}
        return self.model_copy(update={"resources": dict(sorted(resources.items()))})

    def without_resource(self, name: str) -> Manifest:
        """This manifest without resource ``name``."""
        resources = {key: value for key, value in self.resources.items() if key != name}
        return self.model_copy(update={"resources": resources})

    def with_job(self, name: str, record: JobRecord) -> Manifest:
        """This manifest with job ``name`` recorded."""
        jobs = {**self.jobs, name: record}
        return self.model_copy(update={"jobs": dict(sorted(jobs.items()))})

    def with_override(self, name: str, sha: str) -> Manifest:
        """This manifest with template ``name`` ejected from bundled text ``sha``."""
        overrides = dict(sorted({**self.overrides, name: sha}.items()))
        return self.model_copy(update={"overrides": overrides})

    def dump(self) -> str:
        """The manifest as stable, diff-friendly JSON text."""
        data = self.model_dump(mode="json", exclude_defaults=False)
        for optional in ("jobs", "overrides", "templates"):
            if not data[optional]:
                del data[optional]
        return json.dumps(data, indent=2, sort_keys=True, ensure_ascii=False) + "\n"


def read_manifest(root: Path) -> Manifest:
    """Read the project's manifest; an empty one if the project has none yet.

    Raises:
        ProjectError: The manifest exists but cannot be read or understood.
    """
    path = root / MANIFEST_FILE
    if not path.is_file():
        return Manifest(files={}, resources={})
    try:
        data = json.loads(path.read_bytes())
        if not isinstance(data, dict):
            raise ValueError("not a JSON object")
        # Validated as JSON, as it was written: values keep their JSON meaning
        # (a spec's Decimal bound is read back as a Decimal).
        return Manifest.model_validate_json(json.dumps(migrate_manifest(data)))
    except (OSError, ValueError) as exc:
        first = exc.errors()[0]["msg"] if isinstance(exc, ValidationError) else exc
        raise ProjectError(
            f"cannot read {MANIFEST_FILE} ({first}); restore it from version control"
        ) from exc


def file_states(root: Path, manifest: Manifest) -> dict[str, FileState]:
    """Each generated file → unmodified, modified by the user, in conflict
    (unresolved merge markers), or missing.
    """
    states = {}
    for path, sha in manifest.files.items():
        target = root / path
        if not target.is_file():
            states[path] = FileState.MISSING
            continue
        data = target.read_bytes()
        if digest(data) == sha:
            states[path] = FileState.UNMODIFIED
        elif has_conflict_markers(data):
            states[path] = FileState.CONFLICT
        else:
            states[path] = FileState.MODIFIED
    return states


def find_records(manifest: Manifest, names: Sequence[str]) -> list[ResourceRecord]:
    """The manifest's records of resources ``names``.

    Raises:
        SpecError: A name is not a resource of the project (all are listed).
    """
    known = manifest.resources
    problems = []
    records = []
    for name in names:
        record = known.get(name) or next(
            (
                candidate
                for candidate in known.values()
                if name in (candidate.spec.names.plural, candidate.spec.names.module)
            ),
            None,
        )
        if record is None:
            listed = ", ".join(sorted(known)) or "none yet"
            problems.append(
                f"no resource {name!r} in {STATE_DIR}/manifest.json (resources: "
                f"{listed}); add it with: scaffold add resource {name} ..."
            )
        else:
            records.append(record)
    if problems:
        raise SpecError(*problems)
    return records
