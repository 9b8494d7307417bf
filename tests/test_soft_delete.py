"""``--soft-delete`` resources: the spec key, refusals, what they render.

A real run of a soft-delete resource's checks is in ``test_data_options.py``.
"""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from scaffold.migrations.field_ops import column_steps
from scaffold.migrations.model_schema import read_tables
from scaffold.migrations.schema_ops import schema_change
from scaffold.project.access import rule_targets
from scaffold.project.manifest import Manifest
from scaffold.project.relations import Target
from scaffold.render.view import build_view
from scaffold.spec import load_spec_file, parse_cli_resource, parse_field
from tests.conftest import RenderOnce, tree_digest
from tests.e2e import run_scaffold

FIELDS = ["name:str(100)", "email:email?:unique", "code:str(20):unique"]


@pytest.fixture(scope="module")
def rendered(
    tmp_path_factory: pytest.TempPathFactory, render_once: RenderOnce
) -> dict[bool, Path]:
    """Two fresh projects, never modified, by whether they have auth."""
    return {
        auth: render_once(
            tmp_path_factory.mktemp("auth" if auth else "open"), name="shop", auth=auth
        )
        for auth in (True, False)
    }


def copy_of(project: Path, tmp_path: Path) -> Path:
    """A private copy of ``project``."""
    return Path(shutil.copytree(project, tmp_path / "shop"))


def add_writers(project: Path, *extra: str) -> str:
    """Add a soft-delete ``writer`` resource and return its rendered files."""
    result = run_scaffold(
        "add", "resource", "writer", *FIELDS, "--soft-delete", *extra,
        "--no-check", "-q", cwd=project,
    )  # fmt: skip
    assert result.returncode == 0, result.stderr
    return "\n".join(
        (project / path).read_text()
        for path in (
            "app/models/writer.py",
            "app/repositories/writer.py",
            "app/services/writer.py",
            "app/api/v1/endpoints/writers.py",
        )
    )


def test_the_flag_and_the_spec_key_set_soft_delete(tmp_path: Path) -> None:
    spec_file = tmp_path / "writers.yaml"
    spec_file.write_text(
        "resources:\n  - name: writer\n    soft_delete: true\n"
        "    fields: {name: str}\n  - name: tag\n    fields: {name: str}\n"
    )

    writer, tag = load_spec_file(spec_file)

    assert parse_cli_resource("writer", ["name:str"], soft_delete=True).soft_delete
    assert not parse_cli_resource("writer", ["name:str"]).soft_delete
    assert (writer.soft_delete, tag.soft_delete) == (True, False)


def test_the_manifest_records_soft_delete(
    rendered: dict[bool, Path], tmp_path: Path
) -> None:
    project = copy_of(rendered[True], tmp_path)

    add_writers(project)

    manifest = json.loads((project / ".scaffold/manifest.json").read_text())
    assert manifest["resources"]["writer"]["spec"]["soft_delete"] is True


@pytest.mark.parametrize(
    ("fields", "problem"),
    [
        (["deleted_at:datetime"], "'deleted_at' is reserved for soft delete"),
        (["deleted:bool"], "no field may be called 'deleted'; rename the field"),
    ],
)
def test_fields_that_clash_with_soft_delete_are_refused_and_nothing_changes(
    rendered: dict[bool, Path], tmp_path: Path, fields: list[str], problem: str
) -> None:
    project = copy_of(rendered[True], tmp_path)
    before = tree_digest(project)

    result = run_scaffold(
        "add", "resource", "writer", *fields, "--soft-delete", "--no-check",
        cwd=project,
    )  # fmt: skip

    assert result.returncode == 2
    assert problem in result.stderr
    assert tree_digest(project) == before


def test_the_flag_is_refused_with_a_spec_file(
    rendered: dict[bool, Path], tmp_path: Path
) -> None:
    project = copy_of(rendered[True], tmp_path)
    spec_file = tmp_path / "writers.yaml"
    spec_file.write_text("resources:\n  - name: writer\n    fields: {name: str}\n")

    result = run_scaffold(
        "add", "resource", "--spec", str(spec_file), "--soft-delete", "--no-check",
        cwd=project,
    )  # fmt: skip

    assert result.returncode == 2
    assert "set them per resource in the file" in result.stderr


def test_apply_refuses_to_switch_soft_delete_and_changes_nothing(
    rendered: dict[bool, Path], tmp_path: Path
) -> None:
    project = copy_of(rendered[True], tmp_path)
    add_writers(project)
    spec_file = tmp_path / "writers.yaml"
    spec_file.write_text(
        "resources:\n  - name: writer\n    fields:\n      name: str(100)\n"
        "      email: email?:unique\n      code: str(20):unique\n"
    )
    before = tree_digest(project)

    result = run_scaffold("apply", str(spec_file), "--no-check", cwd=project)

    assert result.returncode == 2
    assert "soft_delete cannot be switched on an existing resource" in result.stderr
    assert tree_digest(project) == before


def test_unique_fields_are_partial_indexes_in_the_model_and_the_migration(
    rendered: dict[bool, Path], tmp_path: Path
) -> None:
    project = copy_of(rendered[True], tmp_path)
    add_writers(project)
    model = (project / "app/models/writer.py").read_text()
    (migration,) = (project / "alembic/versions").glob("*_create_writers_table.py")
    revision = migration.read_text()

    # No UNIQUE constraint: deleted rows keep their values without blocking
    assert "unique=True" not in model.split("__table_args__")[1].split("id:")[1]
    assert "UniqueConstraint" not in revision
    for name, column in (("uq_writers_email", "email"), ("uq_writers_code", "code")):
        assert f'Index(\n            "{name}",\n            "{column}",\n' in model
        assert f'op.f("{name}"),\n        "writers",\n        ["{column}"],' in revision
    assert model.count('sqlite_where=column("deleted_at").is_(None)') == 2
    assert model.count('postgresql_where=column("deleted_at").is_(None)') == 2
    assert revision.count('postgresql_where=sa.column("deleted_at").is_(None)') == 2
    assert "deleted_at: Mapped[datetime | None] = mapped_column(index=True)" in model
    assert 'sa.Column("deleted_at", sa.DateTime(timezone=True), nullable=True)' in (
        revision
    )
    assert (
        'op.drop_index(op.f("uq_writers_email"), table_name="writers")'
        in (revision.split("def downgrade")[1])
    )


def test_reads_hide_deleted_rows_and_delete_marks_them(
    rendered: dict[bool, Path], tmp_path: Path
) -> None:
    project = copy_of(rendered[True], tmp_path)
    repository = add_writers(project).split('"""Database access')[1]
    service = (project / "app/services/writer.py").read_text()

    get = repository.split("async def get(")[1].split("async def ")[0]
    assert "Writer.deleted_at.is_(None)" in get
    by_email = repository.split("async def get_by_email(")[1].split("async def ")[0]
    assert "Writer.deleted_at.is_(None)" in by_email
    listed = repository.split("async def list(")[1].split("async def ")[0]
    assert "Writer.deleted_at.is_not(None)\n            if query.deleted" in listed
    delete = repository.split("async def delete(")[1].split("async def ")[0]
    assert "writer.deleted_at = datetime.now(UTC)" in delete
    assert "session.delete" not in delete
    assert "if query.deleted and not self._is_admin():" in service
    assert 'values = {"email": writer.email, "code": writer.code}' in service


def test_routes_document_what_they_answer(
    rendered: dict[bool, Path], tmp_path: Path
) -> None:
    project = copy_of(rendered[True], tmp_path)
    add_writers(project, "--read", "public")
    endpoints = (project / "app/api/v1/endpoints/writers.py").read_text()

    listed = endpoints.split('name="list"')[1].split("async def")[0]
    assert "error_responses(401, 403)" in listed
    deleted = endpoints.split('name="delete"')[1].split("async def")[0]
    assert "error_responses(401, 403, 404)" in deleted
    restore = endpoints.split('"/{writer_id}/restore"')[1].split("async def")[0]
    assert "dependencies=[Depends(require_admin)]" in restore
    assert "error_responses(401, 403, 404, 409)" in restore


def test_without_auth_the_deleted_rows_are_open_like_every_route(
    rendered: dict[bool, Path], tmp_path: Path
) -> None:
    project = copy_of(rendered[False], tmp_path)

    add_writers(project)

    endpoints = (project / "app/api/v1/endpoints/writers.py").read_text()
    service = (project / "app/services/writer.py").read_text()
    restore = endpoints.split('"/{writer_id}/restore"')[1].split("async def")[0]
    assert "Depends(" not in restore
    assert "error_responses(404, 409)" in restore
    assert "_is_admin" not in service


def test_references_to_a_soft_delete_resource_know_it_keeps_deleted_rows() -> None:
    writer = parse_cli_resource("writer", ["name:str"], soft_delete=True)
    book = parse_cli_resource("book", ["title:str", "writer:ref"])
    shelf = parse_cli_resource("shelf", ["writers:refs"])
    targets = rule_targets(
        {"writer": Target.of(writer.names)}, [writer, book, shelf], Manifest(), True
    )

    views = [
        build_view(spec, id_type="uuid", targets=targets, project_auth=True)
        for spec in (book, shelf)
    ]

    # The lookups that check a reference leave deleted writers out
    assert [view.relations[0].target.soft_delete for view in views] == [True, True]


def test_field_commands_keep_unique_fields_partial(
    rendered: dict[bool, Path], tmp_path: Path
) -> None:
    # Given a soft-delete resource
    project = copy_of(rendered[True], tmp_path)
    add_writers(project)

    # When a unique field is added, then a unique field renamed
    for command in (
        ("add", "field", "writer", "pen_name:str(50)?:unique"),
        ("rename", "field", "writer", "email", "contact_email"),
    ):
        result = run_scaffold(*command, "--no-check", "-q", cwd=project)
        assert result.returncode == 0, result.stderr
    versions = project / "alembic/versions"
    (added,) = versions.glob("*_add_pen_name_to_writers.py")
    (renamed,) = versions.glob("*_rename_*contact_email*.py")

    # Then each revision drops and creates partial unique indexes, never constraints
    live = 'sa.column("deleted_at").is_(None)'
    for revision in (added.read_text(), renamed.read_text()):
        assert "unique_constraint" not in revision
        assert f"sqlite_where={live}" in revision
        assert f"postgresql_where={live}" in revision
    assert '["pen_name"],\n        unique=True,' in added.read_text()
    assert (
        'op.drop_index(op.f("uq_writers_email"), table_name="writers")'
        in (renamed.read_text().split("def downgrade")[0])
    )
    model = (project / "app/models/writer.py").read_text()
    assert '"uq_writers_contact_email",\n            "contact_email",' in model


def test_making_a_field_unique_counts_duplicates_among_rows_not_deleted() -> None:
    old, new = parse_field("name:str"), parse_field("name:str:unique")

    (guard,) = column_steps("writers", old, new, soft_delete=True).guards

    assert "FROM writers WHERE deleted_at IS NULL GROUP BY name" in guard
    assert "HAVING count(*) > 1) AND deleted_at IS NULL" in guard


def test_an_upgrade_revision_makes_a_unique_index_partial_as_the_model_says(
    rendered: dict[bool, Path], tmp_path: Path
) -> None:
    # Given a model with a unique email, then the same with soft delete
    before = copy_of(rendered[True], tmp_path / "before")
    after = copy_of(rendered[True], tmp_path / "after")
    run_scaffold("add", "resource", "writer", *FIELDS, "--no-check", cwd=before)
    add_writers(after)
    old = read_tables((before / "app/models/writer.py").read_text())["writers"]
    new = read_tables((after / "app/models/writer.py").read_text())["writers"]

    # When the statements between them are written
    change = schema_change(old, new)

    # Then the constraint goes and the index comes over the rows not deleted
    live = "sa.column('deleted_at').is_(None)"
    assert new.indexes["uq_writers_email"].where == live
    assert (
        'op.create_index(op.f("uq_writers_email"), "writers", ["email"], '
        f"unique=True, sqlite_where={live}, postgresql_where={live})"
    ) in change.upgrade.after
    assert "adds index uq_writers_email" in change.summary
