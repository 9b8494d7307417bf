"""Access rules (``--read``/``--write``), and the project's own files kept safe."""

from __future__ import annotations

import json
import shutil
from pathlib import Path, PurePosixPath
from typing import Any

import pytest

from scaffold.changes.add_resource import preview_resources
from scaffold.errors import SpecError
from scaffold.project.access import (
    recorded_rules,
    resolve_rules,
    rule_targets,
    with_rules,
)
from scaffold.project.manifest import Manifest
from scaffold.project.relations import Target
from scaffold.project.skeleton import skeleton_paths
from scaffold.project.snapshot import resource_paths
from scaffold.spec import parse_cli_resource
from scaffold.spec.naming import resource_names
from tests.conftest import RenderOnce, tree_digest
from tests.e2e import run_scaffold


@pytest.fixture(scope="module")
def rendered(
    tmp_path_factory: pytest.TempPathFactory, render_once: RenderOnce
) -> dict[bool, Path]:
    """A project rendered (not checked) with and without auth."""
    parent = tmp_path_factory.mktemp("rendered")
    return {
        auth: render_once(parent, name="with-auth" if auth else "no-auth", auth=auth)
        for auth in (True, False)
    }


def copy_of(project: Path, tmp_path: Path) -> Path:
    """A copy of ``project`` a test may change."""
    return Path(shutil.copytree(project, tmp_path / project.name))


# -- rules --------------------------------------------------------------------


@pytest.mark.parametrize(
    ("options", "read", "write"),
    [
        ({}, "user", "admin"),
        ({"owned": True}, "owner", "owner"),
        ({"owned": True, "read": "user"}, "user", "owner"),
        ({"read": "public"}, "public", "admin"),
        ({"write": "user"}, "user", "user"),
        ({"auth": "none"}, "public", "public"),
        ({"auth": "user"}, "user", "user"),
        ({"auth": "user", "owned": True}, "owner", "owner"),
    ],
)
def test_rules_default_to_users_read_admins_write(
    options: dict[str, Any], read: str, write: str
) -> None:
    resource = parse_cli_resource("note", ["title:str"], **options)

    rules = resolve_rules(resource, project_auth=True)

    assert (rules.read, rules.write) == (read, write)


def test_a_project_without_auth_is_public() -> None:
    rules = resolve_rules(parse_cli_resource("note", ["a:str"]), project_auth=False)

    assert (rules.read, rules.write, rules.owned) == ("public", "public", False)


def test_a_record_from_before_the_rules_keeps_its_behaviour() -> None:
    # Given a spec recorded with auth left to the project's default (then: user)
    resource = parse_cli_resource("note", ["title:str"])

    # When its rules are read back / Then users read and write, as before
    recorded = recorded_rules(resource, project_auth=True)
    assert (recorded.read, recorded.write) == ("user", "user")


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--read", "admin", "--write", "user"], "write 'user' is looser than read"),
        (["--write", "public"], "write 'public' is looser than read 'user'"),
        (["--read", "owner"], "read 'owner' needs rows with owners; add --owned"),
        (["--owned", "--write", "public"], "is owned, so its owners"),
        (["--owned", "--write", "admin"], "use write 'owner'"),
        (["--owned", "--read", "admin"], "write 'owner' is looser than read 'admin'"),
        (["--auth", "user", "--read", "user"], "give either auth or read/write"),
    ],
)
def test_nonsense_rules_exit_2_before_anything_is_written(
    rendered: dict[bool, Path], tmp_path: Path, args: list[str], message: str
) -> None:
    project = copy_of(rendered[True], tmp_path)
    before = tree_digest(project)

    result = run_scaffold(
        "add", "resource", "note", "title:str", *args, "--no-check", "-q", cwd=project
    )

    assert result.returncode == 2, result.stderr
    assert message in result.stderr
    assert result.stderr.count("\n") == 1
    assert tree_digest(project) == before


def test_a_summary_of_a_stricter_target_is_refused(
    rendered: dict[bool, Path], tmp_path: Path
) -> None:
    # Given admin-only tags, and books anyone may read that embed them
    project = copy_of(rendered[True], tmp_path)
    spec = tmp_path / "spec.yaml"
    spec.write_text(
        "resources:\n"
        "  - {name: tag, fields: {name: str}, read: admin}\n"
        "  - {name: book, read: public, fields: {title: str, "
        "tags: {type: refs, summary: true}}}\n"
    )
    before = tree_digest(project)

    # When they are generated
    result = run_scaffold("add", "resource", "--spec", str(spec), cwd=project)

    # Then exit 2 names both resources and the fix, and nothing is written
    assert result.returncode == 2, result.stderr
    assert "book.tags embeds tags (summary), which read 'admin'" in result.stderr
    assert "drop the summary" in result.stderr
    assert tree_digest(project) == before


def test_public_writes_may_not_refer_to_rows_anonymous_callers_cannot_read(
    rendered: dict[bool, Path], tmp_path: Path
) -> None:
    project = copy_of(rendered[True], tmp_path)
    spec = tmp_path / "spec.yaml"
    spec.write_text(
        "resources:\n"
        "  - {name: tag, fields: {name: str}}\n"
        "  - {name: book, auth: none, fields: {title: str, tags: refs}}\n"
    )

    result = run_scaffold("add", "resource", "--spec", str(spec), cwd=project)

    assert result.returncode == 2, result.stderr
    assert "book.tags refers to 'tag', which anonymous callers" in result.stderr


def test_the_manifest_records_the_resolved_rules(
    rendered: dict[bool, Path], tmp_path: Path
) -> None:
    project = copy_of(rendered[True], tmp_path)

    result = run_scaffold(
        "add", "resource", "review", "body:str", "--owned", "--read", "user",
        "--no-check", "-q", cwd=project,
    )  # fmt: skip

    assert result.returncode == 0, result.stderr
    manifest = json.loads((project / ".scaffold" / "manifest.json").read_text())
    spec = manifest["resources"]["review"]["spec"]
    assert (spec["read"], spec["write"], spec["owned"]) == ("user", "owner", True)
    schemas = (project / "app" / "schemas" / "review.py").read_text()
    assert "    owner_id: UUID\n" in schemas


# -- the project's own files ---------------------------------------------------

#: Where each layer of a resource lives, and how its file names the resource.
_LAYERS = {
    "app/models": "singular",
    "app/schemas": "singular",
    "app/repositories": "singular",
    "app/services": "singular",
    "app/api/v1/endpoints": "plural",
    "tests/api": "plural",
}


def _resource_landing_on(path: PurePosixPath) -> tuple[str, str | None] | None:
    """The resource name (and plural) whose files would include ``path``."""
    kind = _LAYERS.get(str(path.parent))
    stem = path.stem.removeprefix("test_") if kind == "plural" else path.stem
    if kind is None or path.suffix != ".py" or stem.startswith("_"):
        return None
    if kind == "singular":
        return stem, None
    return stem, stem


@pytest.mark.parametrize("auth", [True, False])
def test_no_resource_may_land_on_a_file_of_the_project_itself(
    rendered: dict[bool, Path], auth: bool
) -> None:
    # Given every file a new project of this kind has, from the template
    skeleton = sorted(skeleton_paths(auth=auth))
    assert PurePosixPath("app/main.py") in skeleton
    assert (PurePosixPath("app/models/user.py") in skeleton) is auth
    landed = []
    for path in skeleton:
        named = _resource_landing_on(path)
        if named is None:
            continue
        name, plural = named
        if plural is None and name.endswith("s"):
            # a module named like a plural (credentials.py) takes a resource
            # given its plural explicitly
            plural = f"{name}_list"

        # When a resource whose files include it is asked for / Then it is refused
        with pytest.raises(SpecError) as refused:
            resource = parse_cli_resource(name, ["title:str"], plural=plural)
            assert path in resource_paths(resource).values()
            preview_resources([resource], project=rendered[auth])
        message = str(refused.value)
        assert "clashes with the generated project's own" in message or (
            "would replace the project's own" in message and str(path) in message
        )
        landed.append(path)
    assert landed, "the template has files where a resource could land"
    if auth:
        assert PurePosixPath("app/models/refresh_token.py") in landed


@pytest.mark.parametrize("name", ["account", "token", "credential", "session"])
def test_business_nouns_do_not_land_on_the_files_of_auth(
    rendered: dict[bool, Path], name: str
) -> None:
    # Given a project with auth, whose own modules serve users' accounts and
    # tokens / When a bank's account or a ledger's token is added / Then none
    # of its files is one of the project's own, and the plan is made
    resource = parse_cli_resource(name, ["title:str"])
    own = skeleton_paths(auth=True)
    assert not set(resource_paths(resource).values()) & own
    _, plan = preview_resources([resource], project=rendered[True])
    assert set(resource_paths(resource).values()) <= {op.path for op in plan.ops}


@pytest.mark.parametrize("name", ["user", "refresh_token"])
def test_adding_a_resource_over_the_user_model_exits_2_and_changes_nothing(
    rendered: dict[bool, Path], tmp_path: Path, name: str
) -> None:
    project = copy_of(rendered[True], tmp_path)
    before = tree_digest(project)

    result = run_scaffold(
        "add", "resource", name, "name:str", "--force", "--no-check", cwd=project
    )

    assert result.returncode == 2, result.stderr
    assert f"{resource_names(name).module}.py" in result.stderr
    assert "scaffold new project wrote" in result.stderr
    assert "Traceback" not in result.stderr
    assert tree_digest(project) == before


def test_a_file_another_resource_generated_is_not_replaced_without_force(
    rendered: dict[bool, Path], tmp_path: Path
) -> None:
    # Given books, whose endpoints module is recorded as generated for them
    project = copy_of(rendered[True], tmp_path)
    added = run_scaffold(
        "add", "resource", "book", "title:str", "--no-check", "-q", cwd=project
    )
    assert added.returncode == 0, added.stderr
    before = tree_digest(project)

    # When another resource's files would land on theirs (same plural)
    result = run_scaffold(
        "add", "resource", "volume", "title:str", "--plural", "books",
        "--no-check", "-q", cwd=project,
    )  # fmt: skip

    # Then it stops, naming the files, and nothing is written
    assert result.returncode != 0
    assert "app/api/v1/endpoints/books.py" in result.stderr
    assert "--force" in result.stderr
    assert tree_digest(project) == before


def test_targets_know_which_of_their_rows_need_an_administrator_first() -> None:
    # Given doctors only administrators write, a user's appointments with a
    # doctor, a user's prescriptions of their own appointments, and notes that
    # refer to nothing
    specs = [
        with_rules(spec, project_auth=True)
        for spec in (
            parse_cli_resource("doctor", ["name:str"], write="admin"),
            parse_cli_resource("appointment", ["doctor:ref"], owned=True),
            parse_cli_resource("prescription", ["appointment:ref"], owned=True),
            parse_cli_resource("note", ["text:str", "doctor:ref?"], owned=True),
        )
    ]
    names = {spec.names.singular: spec.names for spec in specs}
    targets = {name: Target.of(spec_names) for name, spec_names in names.items()}

    # When their rules and needs are worked out
    ruled = rule_targets(targets, specs, Manifest(), project_auth=True)

    # Then an appointment needs a doctor an administrator makes, a
    # prescription needs one too, through the caller's own appointment, and an
    # optional reference needs nothing
    needs = {name: (t.admin_rows, t.user_rows) for name, t in ruled.items()}
    assert needs == {
        "doctor": (False, False),
        "appointment": (True, False),
        "prescription": (True, True),
        "note": (False, False),
    }
    # And without users nobody needs an administrator
    public = [
        spec.model_copy(update={"read": "public", "write": "public", "owned": False})
        for spec in specs
    ]
    plain = rule_targets(targets, public, Manifest(), project_auth=False)
    assert not any(t.admin_rows or t.user_rows for t in plain.values())
