"""The resource templates: they render valid, deterministic Python, or fail loudly."""

from __future__ import annotations

import ast
import datetime as dt
import fnmatch
import json
import re
import subprocess
from dataclasses import replace
from pathlib import Path, PurePosixPath
from typing import Literal

import pytest

from scaffold.errors import ScaffoldError
from scaffold.migrations.revision import Revision, new_revision, revision_parts
from scaffold.project.layout import templates_root
from scaffold.project.relations import Target
from scaffold.render.environment import environment, render_template, template_loader
from scaffold.render.view import ResourceView, build_view
from scaffold.spec import Rule, parse_cli_resource
from scaffold.spec.naming import resource_names
from scaffold.tools.format import format_python, ruff_binary

#: The templates of one resource's files; the drop migration of ``remove
#: resource`` is rendered from another context, and tested with that command;
#: ``_macros.jinja`` holds the code shapes the others import.
TEMPLATES = sorted(
    path.name
    for path in (templates_root() / "resource").glob("*.jinja")
    if path.name not in ("drop_migration.py.jinja", "merge_migration.py.jinja")
    and not path.name.startswith("_")
)
WHEN = dt.datetime(2026, 1, 31, 14, 5, tzinfo=dt.UTC)

SMALL = ["title:str:unique", "pages:int?", "status:enum(draft,published)"]
RESOURCES = {
    "small": SMALL,
    "every type": [
        "title:str:unique",
        "code:str(8):index:pattern=^[A-Z]{3}\\d$",
        "body:text?",
        "qty:int:min=0:default=1",
        "ratio:float?",
        "price:decimal(10,2):default=1.50",
        "ok:bool:default=true",
        "day:date?",
        "at:datetime?",
        "ref:uuid:default=12345678-1234-5678-1234-567812345678",
        "mail:email:unique",
        "site:url?",
        "meta:json?",
        "status:enum(draft,in-review):default=draft",
    ],
    "clashing names": ["date:date:unique", "datetime:datetime?", "dt:str"],
    "nothing sortable": ["meta:json"],
    "bounds": [
        "name:str(20):min=2:max=10",
        "body:text?:max=500",
        "price:decimal(5,2):min=0:max=999.99",
        "rank:int:min=1",
    ],
    "list parameter names": [
        "size:str(8):index",
        "page:int:index",
        "sort:str?",
        "q:date?",
    ],
    "date defaults": [
        "day:date:default=2024-01-31",
        "at:datetime:default=2024-01-31T12:00:00Z",
    ],
}


IdType = Literal["uuid", "int"]


def view_of(fields: list[str], id_type: IdType = "uuid") -> ResourceView:
    return build_view(parse_cli_resource("book", fields), id_type=id_type)


def revision() -> Revision:
    return new_revision("books", down_revision="0123456789ab", when=WHEN)


def render_paths(view: ResourceView) -> dict[PurePosixPath, str]:
    """Every resource template rendered for ``view``, by module path, unformatted."""
    return {
        PurePosixPath(name.removesuffix(".jinja")): render_template(
            name, r=view, m=revision()
        )
        for name in TEMPLATES
    }


def render_view(view: ResourceView) -> dict[str, str]:
    """Every resource template rendered for ``view``, by template name."""
    return {name: render_template(name, r=view, m=revision()) for name in TEMPLATES}


def render_all(fields: list[str], id_type: IdType = "uuid") -> dict[str, str]:
    return render_view(view_of(fields, id_type))


def test_every_resource_template_is_found() -> None:
    # One template per file a resource gets (the drop revision is remove's,
    # the merge revision that of migrations merge)
    assert TEMPLATES == [
        "endpoints.py.jinja",
        "migration.py.jinja",
        "model.py.jinja",
        "repository.py.jinja",
        "schemas.py.jinja",
        "service.py.jinja",
        "tests.py.jinja",
    ]


@pytest.mark.parametrize("id_type", ["uuid", "int"])
@pytest.mark.parametrize("template", TEMPLATES)
def test_template_renders_python_that_parses(template: str, id_type: IdType) -> None:
    source = render_template(template, r=view_of(SMALL, id_type), m=revision())

    tree = ast.parse(source, filename=template)

    # It compiles (which also refuses what parses but cannot run, such as a
    # misplaced return or await), starts with a module docstring, documents
    # every public class and function (tests are named for what they prove),
    # and carries no template artefact
    compile(source, template, "exec")
    assert ast.get_docstring(tree), f"{template} starts with a module docstring"
    undocumented = [
        node.name
        for node in ast.walk(tree)
        if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef | ast.ClassDef)
        and not node.name.startswith(("_", "test_"))
        and not ast.get_docstring(node)
    ]
    assert undocumented == [], f"{template}: no docstring on {undocumented}"
    for artefact in ("{{", "}}", "{%", "%}", "{#", "#}"):
        assert artefact not in source, f"{template} contains {artefact!r}"


@pytest.mark.parametrize("name", ["test", "testimonial", "tester"])
def test_a_resource_named_like_a_test_gives_pytest_only_tests_to_collect(
    name: str,
) -> None:
    # Given a resource whose name starts with "test", as pytest's own names do
    view = build_view(parse_cli_resource(name, ["title:str"]), id_type="uuid")
    tests = render_template("tests.py.jinja", r=view, m=revision())

    # Then every module-level function pytest collects (its name starts with
    # "test") is a test: it takes fixtures only, never a parameter with a
    # default, as the helpers building bodies do
    collected = [
        node
        for node in ast.parse(tests).body
        if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef)
        and node.name.startswith("test")
    ]
    assert collected
    for function in collected:
        assert function.name.startswith("test_"), function.name
        assert not function.args.defaults, function.name
    # And the generated project's pytest takes its model class, which the
    # test module imports, for no test class (pytest matches each entry of
    # python_classes as a prefix, or as a glob when it has one)
    pyproject = (templates_root() / "project/template/pyproject.toml.jinja").read_text()
    line = re.search(r"^python_classes = (.*)$", pyproject, re.MULTILINE)
    assert line is not None
    patterns = json.loads(line[1])

    def collected_class(name: str) -> bool:
        return any(
            name.startswith(p) or ("[" in p and fnmatch.fnmatchcase(name, p))
            for p in patterns
        )

    assert not collected_class(view.class_name)
    assert collected_class("TestBooks")


def test_a_field_named_like_a_list_parameter_filters_through_name_eq() -> None:
    # Given fields named like the list's paging, sort and search parameters
    schemas = render_all(RESOURCES["list parameter names"])["schemas.py.jinja"]
    query = schemas[schemas.index("class BookQuery") :]

    # Then the paging parameters keep their names, inherited from PageQuery,
    # and each field filters by equality through <name>__eq, by range and by
    # "is null" through its suffixed names
    assert "class BookQuery(PageQuery):" in query
    assert "\n    size:" not in query
    assert "\n    page:" not in query
    omitted = " | SkipJsonSchema[None] = omittable("
    list_of = "Annotated[list[SizeField], Field(max_length=100)]"
    assert f"\n    size__eq: {list_of}{omitted}" in query
    assert f"\n    page__eq: PageFilter{omitted}" in query
    assert f"\n    page__gte: PageFilter{omitted}" in query
    assert f"\n    q__lt: IsoDate{omitted}" in query
    assert f"\n    sort__isnull: bool{omitted}" in query
    repository = render_all(RESOURCES["list parameter names"])["repository.py.jinja"]
    assert "Book.size.in_(query.size__eq)" in repository
    assert "Book.page == query.page__eq" in repository


def test_declared_bounds_become_named_check_constraints_in_model_and_migration() -> (
    None
):
    # Given fields with a declared min or max
    modules = render_all(RESOURCES["bounds"])

    # Then the model and the migration name one CHECK per bound, a string's
    # max only where it is below the column's length
    model, migration = modules["model.py.jinja"], modules["migration.py.jinja"]
    for name, expression in [
        ("name_min_length", 'func.length(column("name")) >= 2'),
        ("name_max_length", 'func.length(column("name")) <= 10'),
        ("body_max_length", 'func.length(column("body")) <= 500'),
        ("price_min", 'column("price") >= 0'),
        ("price_max", 'column("price") <= 999.99'),
        ("rank_min", 'column("rank") >= 1'),
    ]:
        assert f"CheckConstraint({expression}, name={name!r})" in model
        in_migration = expression.replace("func.", "sa.func.").replace(
            "column(", "sa.column("
        )
        assert (
            f"sa.CheckConstraint({in_migration}, name=op.f('ck_books_{name}'))"
        ) in migration
    assert model.count("CheckConstraint(") == 6
    # And the generated tests prove the database refuses a value past each
    # bound, but for a decimal's max its precision refuses already
    tests = modules["tests.py.jinja"].replace("'", '"')
    cases = tests[
        tests.index('("field", "value")') : tests.index("async def test_the_database")
    ]
    assert cases.count("\n        (") == 5
    for case in ['("name", "x" * 1)', '("name", "x" * 11)', '("body", "x" * 501)',
                 '("price", -0.01)', '("rank", 0)']:  # fmt: skip
        assert case in cases


def test_model_defines_the_class_and_the_enum() -> None:
    tree = ast.parse(render_all(SMALL)["model.py.jinja"])

    classes = {node.name for node in tree.body if isinstance(node, ast.ClassDef)}
    assert {"Book", "BookStatus"} <= classes


def test_migration_records_the_revision_it_was_given() -> None:
    tree = ast.parse(render_all(SMALL)["migration.py.jinja"])

    assigned = {
        node.target.id: ast.literal_eval(node.value)
        for node in tree.body
        if isinstance(node, ast.AnnAssign)
        and isinstance(node.target, ast.Name)
        and node.value is not None
    }
    assert assigned["revision"] == revision().revision
    assert assigned["down_revision"] == "0123456789ab"


@pytest.mark.parametrize("kind", sorted(RESOURCES))
def test_rendering_twice_is_byte_identical(kind: str) -> None:
    first = render_all(RESOURCES[kind])
    second = render_all(RESOURCES[kind])

    assert first == second


def pyflakes(
    modules: dict[str, str], directory: Path
) -> subprocess.CompletedProcess[str]:
    """Run pyflakes' checks (undefined names, unused imports...) over ``modules``."""
    for name, source in modules.items():
        (directory / name.removesuffix(".jinja")).write_text(source, encoding="utf-8")
    return subprocess.run(
        [
            ruff_binary(),
            "check",
            "--isolated",
            "--select",
            "F",
            "--output-format",
            "concise",
            "--no-cache",
            str(directory),
        ],
        capture_output=True,
        text=True,
        check=False,
    )


@pytest.mark.parametrize("id_type", ["uuid", "int"])
@pytest.mark.parametrize("kind", sorted(RESOURCES))
def test_rendered_modules_have_no_undefined_or_unused_names(
    kind: str, id_type: IdType, tmp_path: Path
) -> None:
    # Given every module of a resource, rendered
    modules = render_all(RESOURCES[kind], id_type)

    # When pyflakes' checks run over them / Then there is nothing to report
    result = pyflakes(modules, tmp_path)
    assert result.returncode == 0, result.stdout + result.stderr


@pytest.mark.parametrize("pagination", ["offset", "cursor"])
def test_a_resource_named_page_renders_beside_the_generic_page(
    pagination: str, tmp_path: Path
) -> None:
    # Given a resource named page, whose Page and PageQuery are the names of
    # the generic list answer and query
    resource = parse_cli_resource("page", ["title:str", "slug:str(80):unique"])
    resource = resource.model_copy(update={"pagination": pagination})
    view = build_view(resource, id_type="uuid")
    modules = render_view(view)

    # Then its modules import the generic ones under other names, and use
    # them: nothing is undefined, unused or shadowed
    result = pyflakes(modules, tmp_path)
    assert result.returncode == 0, result.stdout + result.stderr
    service, schemas = modules["service.py.jinja"], modules["schemas.py.jinja"]
    if pagination == "offset":
        assert "from app.schemas.common import Page as PageOf" in service
        assert "-> PageOf[PageRead]:" in service
        assert "class PageQuery(PagingQuery):" in schemas
    else:
        assert "-> CursorPage[PageRead]:" in service
        assert "class PageQuery(CursorQuery):" in schemas


@pytest.mark.parametrize("versioned", [False, True])
def test_a_resource_named_request_renders_clean(
    versioned: bool, tmp_path: Path
) -> None:
    # Given a help desk's requests, versioned or not (a versioned resource's
    # endpoints take FastAPI's Response), whose class is called Request
    resource = parse_cli_resource("request", ["subject:str"])
    resource = resource.model_copy(update={"versioned": versioned})
    view = build_view(resource, id_type="uuid")
    modules = render_view(view)

    # Then nothing in its modules is undefined, unused or shadowed
    result = pyflakes(modules, tmp_path)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "class Request(" in modules["model.py.jinja"]


def test_fields_named_like_builtins_are_attributes_and_suffixed_parameters(
    tmp_path: Path,
) -> None:
    # Given a book's format, an address's zip and a course's credits: names
    # of Python builtins, too common in real models to refuse
    fields = ["format:enum(hardcover,paperback)", "zip:str(10):unique", "credits:int"]
    view = build_view(parse_cli_resource("book", fields), id_type="uuid")
    modules = render_view(view)

    # Then they are the model's attributes, and a function taking one as a
    # parameter calls it zip_, shadowing nothing
    model = modules["model.py.jinja"]
    assert "    zip: Mapped[str] = mapped_column(" in model
    assert "    credits: Mapped[int]" in model
    repository = modules["repository.py.jinja"]
    assert "async def get_by_zip(self, zip_: str) -> Book | None:" in repository
    assert "Book.zip == zip_" in repository
    result = pyflakes(modules, tmp_path)
    assert result.returncode == 0, result.stdout + result.stderr


def target(name: str) -> Target:
    """The referenced resource ``name``, with the default rules."""
    return Target.of(resource_names(name))


#: Every combination of rules that ``add resource`` accepts in a project with auth.
VALID_RULES = [
    ("public", "public", False),
    ("public", "user", False),
    ("public", "admin", False),
    ("user", "user", False),
    ("user", "admin", False),
    ("admin", "admin", False),
    ("public", "owner", True),
    ("user", "owner", True),
    ("owner", "owner", True),
]


@pytest.mark.parametrize("versioned", [False, True])
@pytest.mark.parametrize("id_type", ["uuid", "int"])
@pytest.mark.parametrize(("read", "write", "owned"), VALID_RULES)
def test_every_access_rule_renders_modules_without_undefined_or_unused_names(
    read: Rule,
    write: Rule,
    owned: bool,
    id_type: IdType,
    versioned: bool,
    tmp_path: Path,
) -> None:
    # Given every module of a resource with access rules, in a project with auth,
    # referring to an owned resource and to one only administrators read (each
    # versioned or not, with the referenced category)
    resource = parse_cli_resource(
        "post",
        [*SMALL, "note:ref?", "secrets:refs(secret)", "category:ref"],
        read=read,
        write=write,
        owned=owned,
        versioned=versioned,
    )
    targets = {
        "note": replace(target("note"), read="owner", write="owner", owned=True),
        "secret": replace(target("secret"), read="admin", write="admin"),
        "category": replace(
            target("category"), read="user", write="admin", versioned=versioned
        ),
    }
    view = build_view(resource, id_type=id_type, targets=targets, project_auth=True)
    rendered = render_paths(view)
    modules = {str(path): text for path, text in format_python(rendered).items()}

    # When pyflakes' checks run over them (imports sorted, as add resource
    # does) / Then there is nothing to report
    result = pyflakes(modules, tmp_path)
    assert result.returncode == 0, result.stdout + result.stderr


def test_owned_resource_scopes_every_query_to_its_owner() -> None:
    resource = parse_cli_resource("book", SMALL, owned=True)
    view = build_view(resource, id_type="uuid", project_auth=True)

    repository = render_template("repository.py.jinja", r=view)
    service = render_template("service.py.jinja", r=view)
    model = render_template("model.py.jinja", r=view)
    migration = render_template("migration.py.jinja", r=view, m=revision())

    assert repository.count("Book.owner_id == self.owner_id") == 2
    assert "Book(**values, owner_id=self.caller.id)" in service
    assert "BookRepository(session, self._owner_scope())" in service
    assert "_ensure_may_change" not in service
    assert 'ForeignKey("users.id", ondelete="CASCADE")' in model
    assert "fk_books_owner_id_users" in migration
    assert "ix_books_owner_id" in migration


def test_owned_resource_others_read_checks_the_owner_before_a_change() -> None:
    resource = parse_cli_resource("review", SMALL, owned=True, read="user")
    view = build_view(resource, id_type="uuid", project_auth=True)

    repository = render_template("repository.py.jinja", r=view)
    service = render_template("service.py.jinja", r=view)
    schemas = render_template("schemas.py.jinja", r=view)

    assert "owner_id" not in repository
    assert service.count("self._ensure_may_change(review)") == 2
    assert "raise ForbiddenError(" in service
    assert "    owner_id: UUID\n" in schemas


@pytest.mark.parametrize(
    ("auth", "project_auth", "read", "write"),
    [
        (None, True, "get_current_user", "require_admin"),
        (None, False, None, None),
        ("none", True, None, None),
        ("user", True, "get_current_user", "get_current_user"),
        ("admin", True, "require_admin", "require_admin"),
    ],
)
def test_access_defaults_to_users_read_admins_write_in_projects_with_auth(
    auth: Literal["none", "user", "admin"] | None,
    project_auth: bool,
    read: str | None,
    write: str | None,
) -> None:
    resource = parse_cli_resource("book", SMALL, auth=auth)

    view = build_view(resource, id_type="uuid", project_auth=project_auth)

    assert view.access.read_dependency == read
    assert view.access.write_dependency == write


def test_a_reference_is_checked_by_the_rules_of_its_target() -> None:
    # Given a post users write, referring to an owned note and admin-only secrets
    resource = parse_cli_resource(
        "post", [*SMALL, "note:ref?", "secrets:refs(secret)"], write="user"
    )
    targets = {
        "note": replace(target("note"), read="owner", write="owner", owned=True),
        "secret": replace(target("secret"), read="admin", write="admin"),
    }

    # When its service is rendered
    view = build_view(resource, id_type="uuid", targets=targets, project_auth=True)
    service = render_template("service.py.jinja", r=view)

    # Then the note is looked up among the caller's, the secrets for admins only
    assert "get_note(note_id, self._owner_scope())" in service
    assert "get_secrets(wanted) if self._is_admin() else []" in service


def test_missing_context_name_is_a_scaffold_error_naming_the_template() -> None:
    with pytest.raises(ScaffoldError) as caught:
        render_template("model.py.jinja")

    message = str(caught.value)
    assert "model.py.jinja" in message
    assert "'r' is undefined" in message


def test_migration_without_its_revision_names_the_template() -> None:
    # Given the view but not the revision the migration template also needs
    with pytest.raises(ScaffoldError, match=r"migration\.py\.jinja.*'m' is undefined"):
        render_template("migration.py.jinja", r=view_of(SMALL))


class _Without:
    """A view that lacks one attribute."""

    def __init__(self, view: ResourceView, missing: str) -> None:
        self._view = view
        self._missing = missing

    def __getattr__(self, name: str) -> object:
        if name == self._missing:
            raise AttributeError(name)
        return getattr(self._view, name)


def test_missing_view_attribute_is_an_error_not_an_empty_string() -> None:
    # Given a view lacking a name the template only prints (in docstrings)
    view = _Without(view_of(SMALL), "doc_noun")

    # Then rendering fails, rather than writing "Return one ." into the module
    with pytest.raises(ScaffoldError, match=r"endpoints\.py\.jinja.*doc_noun"):
        render_template("endpoints.py.jinja", r=view)


def test_unknown_template_is_a_scaffold_error_naming_it() -> None:
    with pytest.raises(ScaffoldError, match=r"no_such\.py\.jinja"):
        render_template("no_such.py.jinja", r=view_of(SMALL))


def test_one_environment_per_project_looks_in_its_templates_first(
    tmp_path: Path,
) -> None:
    # Given a project with its own drop-migration template
    own = tmp_path / ".scaffold" / "templates" / "resource" / "drop_migration.py.jinja"
    own.parent.mkdir(parents=True)
    own.write_text("# ours: {{ table }}\n", encoding="utf-8")

    # Then its environment is built once and renders the project's template,
    # while the bundled templates stay what every other project gets
    assert environment(tmp_path) is environment(tmp_path)
    assert environment(tmp_path) is not environment(None)
    assert render_template("drop_migration.py.jinja", project=tmp_path, table="t") == (
        "# ours: t\n"
    )
    source, filename, _ = template_loader(tmp_path).get_source(
        environment(tmp_path), "resource/model.py.jinja"
    )
    assert filename == str(templates_root() / "resource" / "model.py.jinja")
    assert "class {{ r.class_name }}(" in source


def test_a_template_the_project_adds_later_is_used_from_then_on(
    tmp_path: Path,
) -> None:
    # Given a project rendered with the bundled template in this process
    bundled = render_template(
        "drop_migration.py.jinja",
        project=tmp_path,
        table="books",
        resource="book",
        created="0123456789ab",
        m=revision(),
        parts=revision_parts(
            render_template("migration.py.jinja", r=view_of(SMALL), m=revision())
        ),
    )
    assert bundled.startswith('"""Drop the books table.')

    # When the project gets its own version of it
    own = tmp_path / ".scaffold/templates/resource/drop_migration.py.jinja"
    own.parent.mkdir(parents=True)
    own.write_text("# ours: {{ table }}\n", encoding="utf-8")

    # Then the next render uses it
    again = render_template("drop_migration.py.jinja", project=tmp_path, table="t")
    assert again == "# ours: t\n"
