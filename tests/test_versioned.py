"""``versioned`` resources: the option and what it renders.

A versioned resource has a ``version`` column that SQLAlchemy checks on every
write; reads send it as the ``ETag`` and changes must send it back in
``If-Match`` (428 without one, 412 when stale). A real run of a versioned
resource's checks, on both databases, is in ``test_data_options.py``.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import replace
from pathlib import Path

import pytest

from scaffold.errors import SpecError
from scaffold.migrations.revision import new_revision
from scaffold.project.manifest import read_manifest
from scaffold.project.relations import Target
from scaffold.render.environment import render_template
from scaffold.render.view import build_view
from scaffold.spec import Rule, load_spec_file, parse_cli_resource
from scaffold.spec.naming import resource_names
from tests.conftest import tree_digest
from tests.e2e import run_scaffold

FIELDS = ["title:str(100):unique", "pages:int?", "price:decimal(8,2):default=0"]
WHEN = dt.datetime(2026, 1, 31, 14, 5, tzinfo=dt.UTC)


def render(
    name: str, *, versioned: bool, owned: bool = False, read: Rule | None = None
) -> str:
    """The module ``name`` of a ``book`` resource in a project with auth."""
    resource = parse_cli_resource(
        "book", FIELDS, versioned=versioned, owned=owned, read=read
    )
    view = build_view(resource, id_type="uuid", project_auth=True)
    revision = new_revision("books", down_revision=None, when=WHEN)
    return render_template(name, r=view, m=revision)


def test_the_spec_key_and_the_flag_make_a_resource_versioned(tmp_path: Path) -> None:
    # Given a spec file with one versioned resource and one that is not
    spec = tmp_path / "spec.yaml"
    spec.write_text(
        "resources:\n"
        "  - name: book\n    versioned: true\n    fields: {title: str}\n"
        "  - name: tag\n    fields: {name: str}\n"
    )

    # When it is loaded, and the same resource is given on the command line
    book, tag = load_spec_file(spec)
    flagged = parse_cli_resource("book", ["title:str"], versioned=True)

    # Then only the one that asks is versioned
    assert (book.versioned, tag.versioned, flagged.versioned) == (True, False, True)


@pytest.mark.parametrize(
    ("spec", "message"),
    [
        (
            "resources:\n  - name: memo\n    versioned: 'yes'\n    fields: {a: str}\n",
            "resources[0].versioned: Input should be a valid boolean (got 'yes')",
        ),
        (
            "resources:\n  - name: memo\n    versioned: true\n"
            "    fields: {version: int}\n",
            "field 'version' would clash with; rename the field or drop versioned",
        ),
    ],
)
def test_a_bad_versioned_spec_is_refused_in_one_line(
    project: Path, spec: str, message: str
) -> None:
    # Given a spec file whose versioned resource is wrong
    path = project.parent / "spec.yaml"
    path.write_text(spec)
    before = tree_digest(project)

    # When it is added
    result = run_scaffold("add", "resource", "--spec", str(path), cwd=project)

    # Then one line names the problem and the fix, exit 2, nothing written
    assert result.returncode == 2, result.stderr
    assert result.stderr.count("\n") == 1
    assert message in result.stderr
    assert tree_digest(project) == before


def test_the_flag_with_a_spec_file_is_refused_in_one_line(project: Path) -> None:
    # Given a spec file
    spec = project.parent / "memo.yaml"
    spec.write_text("resources:\n  - name: memo\n    fields: {title: str}\n")
    before = tree_digest(project)

    # When --versioned comes with it
    result = run_scaffold(
        "add", "resource", "--spec", str(spec), "--versioned", cwd=project
    )

    # Then one line says to set it in the file, exit 2, nothing written
    assert result.returncode == 2, result.stderr
    assert result.stderr.count("\n") == 1
    assert "--versioned and --pagination apply to a resource named on the" in (
        result.stderr
    )
    assert tree_digest(project) == before


def test_a_field_named_version_is_refused_only_on_a_versioned_resource() -> None:
    with pytest.raises(SpecError, match="rename the field or drop versioned"):
        parse_cli_resource("memo", ["version:int"], versioned=True)

    assert parse_cli_resource("memo", ["version:int"]).fields[0].name == "version"


def test_versioned_and_soft_delete_together_are_refused_for_now() -> None:
    with pytest.raises(SpecError, match="cannot be combined yet"):
        parse_cli_resource("memo", ["title:str"], versioned=True, soft_delete=True)


def test_a_versioned_model_guards_every_write_with_its_version() -> None:
    model = render("model.py.jinja", versioned=True)
    migration = render("migration.py.jinja", versioned=True)
    schemas = render("schemas.py.jinja", versioned=True)

    assert 'version: Mapped[int] = mapped_column(server_default=text("1"))' in model
    assert '"version_id_col": cls.__table__.c.version' in model
    assert '"eager_defaults": True' in model
    assert (
        'sa.Column("version", sa.Integer(), server_default=sa.text("1"), '
        "nullable=False)" in migration
    )
    assert "    version: int = Field(" in schemas


def test_versioned_routes_send_etags_and_need_if_match() -> None:
    endpoints = render("endpoints.py.jinja", versioned=True)
    service = render("service.py.jinja", versioned=True)
    repository = render("repository.py.jinja", versioned=True)

    # ETag on create, get, replace and update; If-Match on the three changes
    assert endpoints.count('response.headers["ETag"] = etag(book.version)') == 4
    assert endpoints.count("openapi_extra=IF_MATCH_REQUIRED,") == 3
    assert endpoints.count("if_match: IfMatch,") == 3
    assert "await service.delete(book, if_match)" in endpoints
    assert endpoints.count("error_responses(400, 401, 403, 404, 409, 412, 428)") == 2
    assert "error_responses(401, 403, 404, 409, 412, 428)" in endpoints
    # the service checks the header after the owner and turns a lost race into 412
    assert service.count("ensure_current(if_match, book.version)") == 2
    assert service.count("except StaleDataError as exc:") == 2
    assert "if self.session.is_modified(book):\n            book.version += 1" in (
        repository
    )


def test_an_owned_versioned_resource_checks_the_owner_before_the_version() -> None:
    service = render("service.py.jinja", versioned=True, owned=True, read="user")

    change = service[service.index("async def _change") :]
    assert change.index("self._ensure_may_change(book)") < change.index(
        "ensure_current(if_match, book.version)"
    )


@pytest.mark.parametrize(
    "name",
    [
        "model.py.jinja",
        "migration.py.jinja",
        "schemas.py.jinja",
        "repository.py.jinja",
        "service.py.jinja",
        "endpoints.py.jinja",
        "tests.py.jinja",
    ],
)
def test_a_resource_that_is_not_versioned_has_none_of_it(name: str) -> None:
    text = render(name, versioned=False)

    for word in ("version", "ETag", "If-Match", "if_match", "StaleDataError"):
        assert word not in text, word


def test_a_referring_resources_tests_delete_a_versioned_target_with_if_match() -> None:
    # Given a review that refers to a versioned book
    resource = parse_cli_resource("review", ["body:str", "book:ref:on_delete=cascade"])
    book = replace(
        Target.of(resource_names("book")), read="user", write="user", versioned=True
    )
    view = build_view(
        resource, id_type="uuid", targets={"book": book}, project_auth=True
    )

    # When its tests are rendered / Then they delete the book at any version
    tests = render_template("tests.py.jinja", r=view)
    assert 'headers={"If-Match": "*"}' in tests


def test_the_manifest_records_versioned_for_later_commands(project: Path) -> None:
    # Given a versioned book, added on its own
    added = run_scaffold(
        "add", "resource", "book", "title:str", "--versioned", "--no-check", cwd=project
    )
    assert added.returncode == 0, added.stderr

    # When a review that refers to it is added later
    result = run_scaffold(
        "add", "resource", "review", "body:str", "book:ref", "--no-check", cwd=project
    )

    # Then the manifest knows the book is versioned, and the review's tests
    # send If-Match when they delete a book
    assert result.returncode == 0, result.stderr
    assert read_manifest(project).resources["book"].spec.versioned is True
    tests = (project / "tests/api/test_reviews.py").read_text()
    assert 'headers={"If-Match": "*"}' in tests


def test_a_project_that_predates_versioned_resources_is_told_to_upgrade(
    project: Path,
) -> None:
    # Given a project whose errors module has no precondition errors yet
    errors = project / "app/core/errors.py"
    text = errors.read_text()
    start = text.index("class PreconditionFailedError(")
    errors.write_text(text[:start] + text[text.index("class InvalidReference") :])
    before = tree_digest(project)

    # When a versioned resource is added
    result = run_scaffold(
        "add", "resource", "book", "title:str", "--versioned", "-q", cwd=project
    )

    # Then one line says to upgrade first, exit 2, nothing written
    assert result.returncode == 2, result.stderr
    assert result.stderr.count("\n") == 1
    assert "has no PreconditionFailedError" in result.stderr
    assert "run scaffold upgrade" in result.stderr
    assert tree_digest(project) == before


@pytest.mark.parametrize("recorded", [False, True])
def test_apply_refuses_to_turn_versioned_on_or_off_for_a_resource_that_exists(
    project: Path, recorded: bool
) -> None:
    # Given a book, versioned or not
    flag = ["--versioned"] if recorded else []
    added = run_scaffold(
        "add", "resource", "book", "title:str", *flag, "--no-check", cwd=project
    )
    assert added.returncode == 0, added.stderr
    before = tree_digest(project)

    # When a spec file asks for the other, with a new field too
    spec = project.parent / "books.yaml"
    spec.write_text(
        f"resources:\n  - name: book\n    versioned: {str(not recorded).lower()}\n"
        "    fields: {title: str, pages: 'int?'}\n"
    )
    result = run_scaffold("apply", str(spec), "--no-check", cwd=project)

    # Then one line says to keep it, exit 2, nothing written
    assert result.returncode == 2, result.stderr
    assert result.stderr.count("\n") == 1
    assert f"keep versioned: {str(recorded).lower()} in the file" in result.stderr
    assert tree_digest(project) == before
