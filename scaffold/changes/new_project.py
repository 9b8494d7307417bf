"""``scaffold new project``: validate the request, render it, then check it.

The pipeline is: :class:`ProjectRequest` (the validated job) → :func:`render_project`
(Copier renders into a staging directory beside the target, which is renamed
into place only when rendering succeeded) → the project's own checks.
"""

from __future__ import annotations

import os
import re
import shutil
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path, PurePosixPath
from typing import Literal

from pydantic import BaseModel, ConfigDict, ValidationError, field_validator
from pydantic_core import ErrorDetails

from scaffold import __version__
from scaffold.changes.transaction import ready_to_check, verify
from scaffold.engine.apply import process_umask
from scaffold.engine.events import NullReporter, Reporter
from scaffold.engine.interrupt import Interrupted, note_undone, shielded
from scaffold.engine.plan import Action, FileOp, Plan
from scaffold.errors import ProjectError, UsageError
from scaffold.project.answers import IdType
from scaffold.project.layout import MANIFEST_FILE, STATE_DIR, templates_root
from scaffold.project.local_env import write_local_env
from scaffold.project.manifest import Manifest, base_path
from scaffold.project.overrides import skeleton_templates, template_records
from scaffold.project.skeleton import dependency_names
from scaffold.tools.check import CheckResult
from scaffold.tools.lock import lock_dependencies

__all__ = [
    "ProjectRequest",
    "ProjectResult",
    "create_project",
    "preview_project",
    "render_project",
]

_NAME = re.compile(r"[a-z][a-z0-9]*(?:[-_][a-z0-9]+)*")
_MAX_NAME_LENGTH = 50


def suggest_project_name(name: str) -> str | None:
    """A valid project name close to ``name``, or ``None`` when none is obvious."""
    candidate = re.sub(r"(?<=[a-z0-9])(?=[A-Z])", "-", name.strip())
    candidate = re.sub(r"[^a-z0-9]+", "-", candidate.lower()).strip("-")
    candidate = re.sub(r"^[0-9-]+", "", candidate)[:_MAX_NAME_LENGTH].strip("-")
    return candidate if candidate and _NAME.fullmatch(candidate) else None


class ProjectRequest(BaseModel):
    """Everything ``scaffold new project`` needs, validated once.

    Attributes:
        name: The project (and directory, and distribution) name.
        database: The database the project is set up for.
        id_type: The primary-key type resources get.
        auth: Users, JWT login and access rules (``--auth``, the default).
        jobs: Background jobs on Redis with an arq worker (``--jobs``).
        parent: The directory the project is created in.
    """

    model_config = ConfigDict(extra="forbid", frozen=True)

    name: str
    database: Literal["sqlite", "postgres"] = "sqlite"
    id_type: IdType = "uuid"
    auth: bool = True
    jobs: bool = False
    parent: Path = Path()

    @field_validator("name")
    @classmethod
    def _valid_name(cls, name: str) -> str:
        if len(name) > _MAX_NAME_LENGTH or not _NAME.fullmatch(name):
            hint = suggest_project_name(name)
            fix = f"; did you mean {hint!r}?" if hint and hint != name else ""
            raise ValueError(
                f"invalid project name {name!r}: use lowercase ASCII letters, "
                "digits and single hyphens or underscores, starting with a "
                f"letter, at most {_MAX_NAME_LENGTH} characters{fix}"
            )
        from packaging.utils import canonicalize_name

        if canonicalize_name(name) in dependency_names():
            suffix = "_service" if "_" in name else "-service"
            raise ValueError(
                f"project name {name!r} is the name of a package the project "
                "depends on, and uv cannot install a project that depends on "
                f"itself; choose another name, e.g. '{name}{suffix}'"
            )
        return name

    @property
    def target(self) -> Path:
        """The directory the project is written to."""
        return self.parent / self.name

    def copier_data(self) -> dict[str, str | bool]:
        """The answers given to the Copier template."""
        return {
            "project_name": self.name,
            "database": self.database,
            "id_type": self.id_type,
            "auth": self.auth,
            "jobs": self.jobs,
            "scaffold_version": __version__,
        }

    @classmethod
    def build(cls, **values: object) -> ProjectRequest:
        """Validate ``values`` into a request, as one :class:`UsageError` if bad."""
        try:
            return cls.model_validate(values)
        except ValidationError as exc:
            raise UsageError(*map(_problem, exc.errors())) from exc


def _problem(error: ErrorDetails) -> str:
    """One readable line for one Pydantic error."""
    if error["type"] == "value_error":
        return str(error.get("ctx", {}).get("error", error["msg"]))
    where = ".".join(str(part) for part in error["loc"])
    return f"{where}: {error['msg']} (got {error['input']!r})"


@dataclass(frozen=True)
class ProjectResult:
    """What ``scaffold new project`` produced."""

    path: Path
    files: tuple[Path, ...]
    checks: tuple[CheckResult, ...] = ()


def _check_target(request: ProjectRequest) -> None:
    """Refuse a missing parent or a target directory that holds anything."""
    parent = request.parent
    if not parent.is_dir():
        raise ProjectError(
            f"parent directory {str(parent)!r} does not exist; create it first "
            "or pass another --directory"
        )
    target = request.target
    if target.is_symlink() or (target.exists() and not target.is_dir()):
        raise ProjectError(
            f"{str(target)!r} exists and is not a directory; choose another "
            "project name or --directory"
        )
    if target.is_dir() and any(target.iterdir()):
        raise ProjectError(
            f"directory {str(target)!r} already exists and is not empty; choose "
            "another project name or --directory, or remove it first"
        )


def _remove(directory: Path) -> None:
    """Remove ``directory`` and everything in it.

    Tried again for a few seconds while it still exists: the last writes of
    a tool that was just stopped can land after a first removal.
    """
    deadline = time.monotonic() + 5
    shutil.rmtree(directory, ignore_errors=True)
    while directory.exists() and time.monotonic() < deadline:
        time.sleep(0.05)
        shutil.rmtree(directory, ignore_errors=True)


def render_project(
    request: ProjectRequest, *, reporter: Reporter | None = None
) -> tuple[Path, ...]:
    """Render the project template into ``request.target``, all or nothing.

    Copier renders into a staging directory next to the target (so on the same
    filesystem), which is renamed into place once complete. An error or an
    interrupt part-way removes the staging directory and leaves no trace. A
    project with auth also gets a git-ignored ``.env`` holding a random
    ``SECRET_KEY``, which is not part of the template's recorded output, and
    every project its ``uv.lock`` (see :mod:`scaffold.tools.lock`).

    Returns:
        The paths written, relative to the project root, sorted.

    Raises:
        ProjectError: The target is in the way or the parent is missing.
    """
    reporter = reporter or NullReporter()
    _check_target(request)
    reporter.stage(f"Rendering project {request.name!r}")
    # A name known before the directory exists, so that an interrupt landing
    # right after it is made still finds it to remove.
    staging = request.parent / f".{request.name}.{os.getpid()}.staging"
    try:
        staging.mkdir(mode=0o700)
        _render_into(staging, request)
        if request.auth:
            write_local_env(staging)
        problem = lock_dependencies(staging)
        if problem is not None:
            reporter.stage(problem)
        staging.chmod(0o777 & ~process_umask())
        if request.target.is_dir():
            request.target.rmdir()  # it was checked to be empty
        staging.rename(request.target)
    except BaseException as exc:
        with shielded():
            _remove(staging)
        note_undone(exc, f"removed {request.name}, which was not finished")
        raise
    files = _files_under(request.target)
    for path in files:
        reporter.wrote("create", path)
    return files


def _render_into(directory: Path, request: ProjectRequest) -> None:
    """Render the template into the empty ``directory``, with its manifest."""
    # Copier is slow to import: only the commands that render a project pay.
    from copier import run_copy

    run_copy(
        str(templates_root() / "project"),
        directory,
        data=request.copier_data(),
        defaults=True,
        overwrite=True,
        quiet=True,
        skip_tasks=True,
    )
    generated = {
        PurePosixPath(path.as_posix()): (directory / path).read_text(encoding="utf-8")
        for path in _files_under(directory)
    }
    manifest = (
        Manifest(files={}, resources={})
        .with_files(generated)
        .with_templates(template_records(directory, skeleton_templates(generated)))
    )
    (directory / STATE_DIR).mkdir()
    (directory / MANIFEST_FILE).write_text(manifest.dump(), encoding="utf-8")
    # The skeleton as generated: the common ancestor of ``scaffold upgrade``.
    for path, text in generated.items():
        base = directory / base_path(path)
        base.parent.mkdir(parents=True, exist_ok=True)
        base.write_text(text, encoding="utf-8")


def _files_under(directory: Path) -> tuple[Path, ...]:
    """Every file under ``directory``, relative to it, sorted."""
    return tuple(
        sorted(
            path.relative_to(directory)
            for path in directory.rglob("*")
            if path.is_file()
        )
    )


def preview_project(request: ProjectRequest) -> Plan:
    """The files ``scaffold new project`` would create (``--dry-run``).

    The project is rendered into a temporary directory elsewhere, read, and
    deleted: nothing is written next to the target.

    Raises:
        ProjectError: The target is in the way or the parent is missing.
    """
    _check_target(request)
    with tempfile.TemporaryDirectory(prefix="scaffold-dry-run-") as temporary:
        staging = Path(temporary) / request.name
        staging.mkdir()
        _render_into(staging, request)
        ops = [
            FileOp(
                PurePosixPath(request.name) / path.as_posix(),
                (staging / path).read_text(encoding="utf-8"),
                Action.CREATE,
            )
            for path in _files_under(staging)
        ]
    return Plan(tuple(ops))


def create_project(
    request: ProjectRequest,
    *,
    check: bool = True,
    db_url: str | None = None,
    reporter: Reporter | None = None,
) -> ProjectResult:
    """Render a new project and, unless ``check`` is false, prove it passes.

    Args:
        request: The validated job.
        check: Run the project's checks (see :func:`check_project`) afterwards.
        db_url: Database URL for the checks; the environment's otherwise.
        reporter: Receives progress events.

    Returns:
        The project's path, its files and the check results.

    Raises:
        ProjectError: The project could not be created.
        CheckFailedError: The project was created but a check failed.
    """
    reporter = reporter or NullReporter()
    ready_to_check(check)
    files = render_project(request, reporter=reporter)
    try:
        checks = verify(request.target, check=check, db_url=db_url, reporter=reporter)
    except (Interrupted, KeyboardInterrupt) as exc:
        # Ctrl-C during uv sync or a check: the project is not proven, and a
        # rerun of the same command must find the way clear.
        with shielded():
            _remove(request.target)
        note_undone(exc, f"removed {request.name}, which was not finished")
        raise
    return ProjectResult(request.target, files, checks)
