"""``scaffold upgrade``: bring a project up to the installed templates.

The skeleton is rendered again with the installed project template and the
answers in ``.copier-answers.yml``; every file is settled three-way against
the skeleton as it was last generated (``.scaffold/base/``, or for a project
made by a release that kept no bases, that release's frozen template) and the
user's file. The resources' wiring is replayed on both sides of the router and
the model registry, so it never shows as a difference. Every resource is then
regenerated as ``scaffold regenerate`` does. Revisions are never edited: a
revision the new skeleton adds is chained onto the current head, and a
release's schema changes to the skeleton's own tables come as a new revision
(``templates/releases/VERSION/upgrade/``). What the new resource templates
change in the resources' tables comes as one revision chained first
(:mod:`scaffold.changes.upgrade_schema`).
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass
from pathlib import Path, PurePosixPath

from scaffold import __version__
from scaffold.changes.add_job import register_job
from scaffold.changes.kernel import render_resource, wire, with_backups
from scaffold.changes.regenerate import settle
from scaffold.changes.transaction import carry_out, guard
from scaffold.changes.upgrade_merge import chain_revisions, settle_skeleton
from scaffold.changes.upgrade_overrides import merge_overrides
from scaffold.changes.upgrade_schema import schema_revision
from scaffold.engine.apply import ensure_no_journal
from scaffold.engine.events import NullReporter, Reporter
from scaffold.engine.plan import Action, FileOp, Plan, conflict_error
from scaffold.errors import MergeConflictError
from scaffold.migrations.graph import read_graph
from scaffold.project.answers import find_project, raw_answers
from scaffold.project.layout import (
    MANIFEST_FILE,
    MODELS_FILE,
    ROUTER_FILE,
    VERSIONS_DIR,
    WORKER_FILE,
    templates_root,
)
from scaffold.project.manifest import base_path, digest
from scaffold.project.overrides import (
    resource_templates,
    skeleton_overrides,
    skeleton_templates,
    template_records,
)
from scaffold.project.skeleton import release_template, render_skeleton
from scaffold.project.snapshot import ProjectSnapshot, read_snapshot
from scaffold.project.steps import parse_version, run_steps
from scaffold.render.environment import pending_overrides
from scaffold.render.upgrade_revisions import release_versions
from scaffold.tools.check import CheckResult
from scaffold.tools.format import format_python

__all__ = [
    "Upgrade",
    "UpgradeResult",
    "plan_upgrade",
    "preview_upgrade",
    "read_for_upgrade",
    "upgrade_project",
]

P = PurePosixPath
SHARED = (P(ROUTER_FILE), P(MODELS_FILE))


@dataclass(frozen=True)
class Upgrade:
    """A planned upgrade and what the user must be told about it."""

    plan: Plan
    notes: tuple[str, ...]


def _read(root: Path, paths: set[P]) -> dict[P, str]:
    return {
        path: (root / path).read_text(encoding="utf-8")
        for path in sorted(paths)
        if (root / path).is_file()
    }


def _wired(snapshot: ProjectSnapshot, files: dict[P, str]) -> dict[P, str]:
    """``files`` with every resource wired into the router and model registry,
    and every job registered with the worker, as the commands did.
    """
    manifest = snapshot.manifest
    edited: dict[P, str] = {}
    if all(path in files for path in SHARED) and manifest.resources:
        graph = read_graph(snapshot.revisions)
        records = sorted(
            manifest.resources.values(),
            key=lambda record: (
                len(graph.ancestors([record.revision])),
                record.migration,
            ),
        )
        shared = dataclasses.replace(
            snapshot, files={path: files[path] for path in SHARED}
        )
        edited.update(wire(shared, [record.spec for record in records]))
    worker = files.get(P(WORKER_FILE))
    if worker is not None and manifest.jobs:
        for name in manifest.jobs:
            worker = register_job(worker, name)
        edited[P(WORKER_FILE)] = worker
    if not edited:
        return files
    return {**files, **format_python(edited, pyproject=files.get(P("pyproject.toml")))}


def _bases(
    root: Path, snapshot: ProjectSnapshot, answers: dict[str, object]
) -> tuple[dict[P, str], bool]:
    """The skeleton as last generated, and whether a release's frozen template
    rebuilt it.

    A base kept under ``.scaffold/base/`` is certain; one rebuilt from the
    frozen template of the manifest's skeleton version is used only where,
    with the wiring replayed, it hashes as the manifest recorded.
    """
    manifest = snapshot.manifest
    own = {P(path) for record in manifest.resources.values() for path in record.files}
    own |= {P(record.migration) for record in manifest.resources.values()}
    own |= {P(path) for job in manifest.jobs.values() for path in job.files}
    skeleton = {
        P(path) for path in manifest.files if P(path).parent != P(VERSIONS_DIR)
    } - own
    stored = _read(root, {base_path(path) for path in skeleton})
    bases = {
        path: stored[base_path(path)] for path in skeleton if base_path(path) in stored
    }
    missing = skeleton - set(bases)
    template = release_template(manifest.skeleton_version)
    if not missing or template is None:
        return bases, False
    version = {**answers, "scaffold_version": manifest.skeleton_version}
    plain = render_skeleton(template, version)
    frozen = _wired(snapshot, dict(plain))
    rebuilt = False
    for path in missing & set(frozen):
        if digest(frozen[path]) == manifest.files.get(str(path)):
            bases[path] = plain[path]
            rebuilt = True
    return bases, rebuilt


def plan_upgrade(snapshot: ProjectSnapshot, *, force: bool = False) -> Upgrade:
    """Plan the upgrade of the project in ``snapshot``; write nothing.

    Raises:
        ProjectError: The history has several heads (merge them first).
        ConflictError: A modified file has no base to merge with (and not
            ``force``).
    """
    root = snapshot.root
    manifest = snapshot.manifest
    answers = raw_answers(root)
    overrides = merge_overrides(root, manifest)
    new = render_skeleton(
        templates_root() / "project",
        {**answers, "scaffold_version": __version__},
        overrides=skeleton_overrides(overrides.texts),
    )
    bases, frozen = _bases(root, snapshot, answers)
    paths = set(new) | set(bases)
    found = _read(root, paths)
    ours, ran = run_steps(found, manifest.skeleton_version, __version__)
    bases, _ = run_steps(bases, manifest.skeleton_version, __version__)
    theirs = _wired(snapshot, new)
    wired_bases = _wired(snapshot, bases)
    notes = [f"ran the {step.version} upgrade step" for step in ran]
    notes += overrides.notes

    # A step's move leaves nothing at the old place.
    ops: list[FileOp] = [
        *overrides.ops,
        *(
            FileOp(path, None, Action.DELETE, text)
            for path, text in found.items()
            if path not in ours and path not in new
        ),
    ]
    paths |= set(ours)
    refused: list[P] = []
    recorded: dict[P, str] = {}
    gone: list[P] = []
    new_revisions: dict[P, str] = {}
    for path in sorted(paths):
        if path.parent == P(VERSIONS_DIR):
            if path in new and path not in bases and path not in ours:
                new_revisions[path] = new[path]
            continue
        op = settle_skeleton(
            path,
            ours.get(path),
            wired_bases.get(path),
            theirs.get(path),
            manifest.files.get(str(path)),
            force=force,
            refused=refused,
            notes=notes,
        )
        if op is None:
            continue
        ops.append(op)
        if op.action is Action.DELETE:
            gone.append(path)
        elif path in theirs:
            recorded[path] = theirs[path]

    # Every resource, regenerated against the new skeleton.
    pyproject = theirs.get(P("pyproject.toml"))
    rendered: dict[P, str] = {}
    with pending_overrides(root, overrides.texts):
        for record in manifest.resources.values():
            rendered.update(render_resource(snapshot, record.spec))
    rendered = format_python(rendered, pyproject=pyproject)

    # The resources' schema first, so its row counts run before any change.
    revisions = dict(snapshot.revisions)
    schema, schema_notes = schema_revision(snapshot, rendered, revisions)
    notes += schema_notes
    revisions.update({path.name: text for path, text in schema.items()})
    releases = [
        version
        for version in release_versions()
        if (frozen and version == manifest.skeleton_version)
        or parse_version(manifest.skeleton_version)
        <= parse_version(version)
        < parse_version(__version__)
    ]
    chained = chain_revisions(revisions, new_revisions, releases, answers)
    created = format_python({**schema, **chained}, pyproject=pyproject)
    ops += [FileOp(path, text, Action.CREATE) for path, text in created.items()]
    recorded.update(created)
    if chained:
        notes.append(
            f"{len(chained)} new revision(s) for the new skeleton's schema: "
            + ", ".join(path.name for path in chained)
        )

    for path, text in rendered.items():
        op = settle(path, text, snapshot, force=force, refused=refused)
        if op is not None:
            ops.append(op)
    recorded.update(rendered)
    if refused:
        raise conflict_error(refused)
    lock = P("pyproject.toml")
    if any(
        op.path == lock and op.action not in (Action.IDENTICAL, Action.KEEP)
        for op in ops
    ):
        notes.append("pyproject.toml changed: run 'uv lock' and commit uv.lock")

    upgraded = overrides.recorded(manifest).without_files(gone).with_files(recorded)
    own = {p: name for p, name in resource_templates(manifest).items() if p in rendered}
    own.update(skeleton_templates(new))
    upgraded = upgraded.with_templates(template_records(root, own, overrides.texts))
    upgraded = upgraded.model_copy(update={"skeleton_version": __version__})
    state = {P(MANIFEST_FILE): upgraded.dump()}
    state.update({base_path(path): text for path, text in new.items()})
    state.update({base_path(path): text for path, text in rendered.items()})
    # A file the new skeleton no longer has, deleted now or by you before,
    # leaves no base copy behind.
    dropped = {p for p in bases if p not in new and (p in gone or p not in found)}
    stale = _read(root, {base_path(path) for path in dropped} - set(state))
    ops += [FileOp(path, None, Action.DELETE, text) for path, text in stale.items()]
    current = _read(root, set(state))
    for path, text in state.items():
        before = current.get(path)
        action = Action.CREATE if before is None else Action.UPDATE
        ops.append(
            FileOp(path, text, Action.IDENTICAL if before == text else action, before)
        )
    plan = Plan(tuple(ops))
    return Upgrade(with_backups(plan, manifest), tuple(notes))


def read_for_upgrade(root: Path) -> ProjectSnapshot:
    """The project read for an upgrade: every resource's files and bases."""
    from scaffold.project.manifest import read_manifest

    manifest = read_manifest(root)
    return read_snapshot(root, [record.spec for record in manifest.resources.values()])


def preview_upgrade(
    *, project: Path, force: bool = False, allow_dirty: bool = False
) -> tuple[Path, Upgrade]:
    """Find the project and plan its upgrade (``--dry-run``, ``--check``).

    Refuses, as the real run does, to touch files with uncommitted changes.
    """
    root = find_project(project)
    ensure_no_journal(root)
    upgrade = plan_upgrade(read_for_upgrade(root), force=force)
    guard(root, upgrade.plan, allow_dirty=allow_dirty)
    return root, upgrade


@dataclass(frozen=True)
class UpgradeResult:
    """What ``scaffold upgrade`` did."""

    root: Path
    plan: Plan
    notes: tuple[str, ...]
    checks: tuple[CheckResult, ...] = ()


def upgrade_project(
    *,
    project: Path,
    force: bool = False,
    allow_dirty: bool = False,
    check: bool = True,
    reporter: Reporter | None = None,
) -> UpgradeResult:
    """Upgrade the project to the installed templates, merging the user's edits.

    Raises:
        MergeConflictError: Files were written with conflict markers (checks
            are not run).
        CheckFailedError: A check failed afterwards.
    """
    reporter = reporter or NullReporter()
    reporter.stage(f"Upgrading to scaffold {__version__}")
    root, upgrade = preview_upgrade(
        project=project, force=force, allow_dirty=allow_dirty
    )
    checks = carry_out(
        root, upgrade.plan, check=check, reporter=reporter, settle=_merged
    )
    return UpgradeResult(root, upgrade.plan, upgrade.notes, checks)


def _merged(plan: Plan) -> bool:
    conflicts = plan.paths(Action.CONFLICT)
    if conflicts:
        raise MergeConflictError(
            *(
                f"{path}: your edits and the new templates changed the same lines; "
                "it was written with <<<<<<< yours / >>>>>>> scaffold markers"
                for path in conflicts
            ),
            "resolve the markers (your other edits were kept), then run: "
            "scaffold check",
        )
    return bool(plan.changes)
