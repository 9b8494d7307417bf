"""Relationships between resources: ``ref`` / ``refs`` fields end to end.

Spec parsing and refusals, the order resources are generated in, the inverse
side added to an existing model, and generated projects that pass their checks.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

from scaffold.changes.add_resource import preview_resources
from scaffold.changes.new_project import ProjectRequest, render_project
from scaffold.edit.inverse import add_inverse
from scaffold.edit.wiring import WiringError
from scaffold.errors import SpecError
from scaffold.project.relations import Target, existing_target, order_resources
from scaffold.spec import OnDelete, load_spec_file, parse_cli_resource
from tests.conftest import tree_digest
from tests.e2e import run_scaffold

BOOKSTORE = (
    Path(__file__).resolve().parents[1] / "examples" / "specs" / "bookstore.yaml"
)


def _messages(error: pytest.ExceptionInfo[SpecError]) -> str:
    return str(error.value)


# Spec parsing


NESTED_SUMMARIES = """\
version: 1
resources:
  - name: tag
    fields: {name: str}
  - name: author
    fields: {name: str}
  - name: post
    fields:
      title: str
      author: {type: ref, summary: true}
      tags: {type: refs, summary: true}
  - name: comment
    fields:
      body: str
      post: {type: ref, summary: true}
      reply_to: {type: ref, to: comment, optional: true, inverse: replies}
"""


def test_a_summary_loads_what_the_summarised_rows_read_with_them(
    project: Path, tmp_path: Path
) -> None:
    # Given comments that embed their post, which embeds its author and tags
    spec_file = tmp_path / "blog.yaml"
    spec_file.write_text(NESTED_SUMMARIES)

    # When they are rendered
    _, plan = preview_resources(load_spec_file(spec_file), project=project)
    files = {str(op.path): op.content or "" for op in plan.ops}

    # Then reading a comment loads its post with the post's author and tags
    # (the post's read schema returns them), each in a fixed number of queries
    comments = files["app/repositories/comment.py"]
    code = "".join(comments.split())  # as ruff wraps it
    assert (
        "_LOAD=(joinedload(Comment.post).options("
        "joinedload(Post.author),selectinload(Post.tags)),)"
    ) in code
    assert "from app.models.post import Post" in comments
    assert (
        "fromsqlalchemy.ormimportInstrumentedAttribute,joinedload,selectinload" in code
    )
    # And the post loads its own, as before
    posts = "".join(files["app/repositories/post.py"].split())
    assert "_LOAD=(joinedload(Post.author),selectinload(Post.tags),)" in posts


def test_ref_defaults_to_the_field_name_and_restrict() -> None:
    # Given a required and an optional reference and a many-to-many one
    book = parse_cli_resource(
        "book", ["title:str", "author:ref", "editor:ref(person)?", "tags:refs"]
    )

    # Then each names its target, key, deletion rule and inverse
    author, editor, tags = book.relations
    assert (author.target, author.key, author.optional) == (
        "author",
        "author_id",
        False,
    )
    assert author.on_delete is OnDelete.RESTRICT
    assert (editor.target, editor.key, editor.on_delete) == (
        "person",
        "editor_id",
        OnDelete.SET_NULL,
    )
    assert (tags.target, tags.key, tags.many) == ("tag", "tag_ids", True)
    assert {author.inverse, editor.inverse, tags.inverse} == {"books"}
    assert [field.name for field in book.fields] == ["title"]


def test_a_self_reference_defaults_its_inverse_to_children() -> None:
    category = parse_cli_resource("category", ["name:str", "parent:ref(category)?"])

    assert category.relations[0].inverse == "children"
    assert category.targets == ()


@pytest.mark.parametrize(
    ("fields", "expected"),
    [
        (["author:ref(a,b)"], "ref takes the name of the referenced resource"),
        (["tags:refs?"], "a refs field is a list that may be empty"),
        (["author:ref:unique"], "'unique' does not apply to ref fields"),
        (["parent:ref(book)"], "a reference to the resource itself must be optional"),
        (["author:ref", "author_id:int"], "also a declared field"),
        (["author:ref", "writer:ref(author)"], "would both add 'books' to 'author'"),
    ],
)
def test_bad_references_are_refused_with_their_fix(
    fields: list[str], expected: str
) -> None:
    with pytest.raises(SpecError) as error:
        parse_cli_resource("book", ["title:str", *fields])

    assert expected in _messages(error)


def test_the_spec_file_sets_on_delete_inverse_and_summary(tmp_path: Path) -> None:
    # Given a spec file using the mapping form of ref and refs
    spec = tmp_path / "s.yaml"
    spec.write_text(
        "resources:\n"
        "- name: book\n"
        "  fields:\n"
        "    title: str\n"
        "    writer: {type: ref, to: person, on_delete: cascade, inverse: works,"
        " summary: true}\n"
        "    tags: {type: refs, summary: true}\n",
        encoding="utf-8",
    )

    # When it is loaded
    (book,) = load_spec_file(spec)

    # Then every option is kept
    writer, tags = book.relations
    assert (writer.target, writer.on_delete, writer.inverse, writer.summary) == (
        "person",
        OnDelete.CASCADE,
        "works",
        True,
    )
    assert (tags.many, tags.summary) == (True, True)


def test_spec_file_problems_are_all_reported_with_their_location(
    tmp_path: Path,
) -> None:
    spec = tmp_path / "s.yaml"
    spec.write_text(
        "resources:\n"
        "- name: book\n"
        "  fields:\n"
        "    author: {type: ref, on_delete: set null}\n"
        "    tags: {type: refs, on_delete: cascade}\n"
        "    title: {type: str, to: author}\n",
        encoding="utf-8",
    )

    with pytest.raises(SpecError) as error:
        load_spec_file(spec)

    text = _messages(error)
    assert "resources[0].fields.author.on_delete: on_delete 'set null' needs" in text
    assert "resources[0].fields.tags.on_delete: on_delete applies to ref" in text
    assert "resources[0].fields.title.to: 'to' does not apply to str" in text


def test_the_json_schema_knows_ref_fields() -> None:
    from scaffold.spec import spec_json_schema

    mapping = spec_json_schema()["$defs"]["FieldMapping"]
    assert {"ref", "refs"} <= set(mapping["properties"]["type"]["enum"])
    assert {"to", "on_delete", "inverse", "summary"} <= set(mapping["properties"])


# Ordering


def test_referenced_resources_come_first_in_call_order_otherwise() -> None:
    review = parse_cli_resource("review", ["body:text", "book:ref"])
    book = parse_cli_resource("book", ["title:str", "author:ref", "tags:refs"])
    author = parse_cli_resource("author", ["name:str"])
    tag = parse_cli_resource("tag", ["name:str"])
    category = parse_cli_resource("category", ["name:str", "parent:ref(category)?"])

    ordered = order_resources([review, book, category, author, tag])

    assert [r.names.singular for r in ordered] == [
        "author",
        "tag",
        "book",
        "review",
        "category",
    ]


def test_a_cycle_between_resources_is_refused() -> None:
    a = parse_cli_resource("alpha", ["name:str", "beta:ref"])
    b = parse_cli_resource("beta", ["name:str", "alpha:ref"])

    with pytest.raises(SpecError) as error:
        order_resources([a, b])

    assert "cycle (alpha -> beta -> alpha)" in _messages(error)


# The inverse side on an existing model

AUTHOR_MODEL = '''"""The ``Author`` model."""

from uuid import UUID, uuid4

from sqlalchemy.orm import Mapped, mapped_column

from app.core.database import Base, TimestampMixin


class Author(TimestampMixin, Base):
    """An author."""

    __tablename__ = "authors"

    id: Mapped[UUID] = mapped_column(primary_key=True, default=uuid4)
    name: Mapped[str]

    def __str__(self) -> str:
        return self.name
'''
AUTHOR = Target("author", "Author", "author", "authors", "authors", "authors", "author")


def test_the_inverse_is_added_once_after_the_columns() -> None:
    book = parse_cli_resource("book", ["title:str", "author:ref"])

    edited = add_inverse(
        AUTHOR_MODEL,
        AUTHOR,
        book.relations[0],
        book.names,
        path="app/models/author.py",
    )

    tree = ast.parse(edited)
    cls = next(node for node in tree.body if isinstance(node, ast.ClassDef))
    names = [
        node.target.id
        for node in cls.body
        if isinstance(node, ast.AnnAssign) and isinstance(node.target, ast.Name)
    ]
    assert names == ["id", "name", "books"]
    # naming its key column, so a second path between the tables is no ambiguity
    assert (
        '        back_populates="author",\n'
        '        foreign_keys="Book.author_id",\n'
        '        passive_deletes="all",\n'
    ) in edited
    assert "if TYPE_CHECKING:\n    from app.models.book import Book\n" in edited
    assert "from sqlalchemy.orm import relationship\n" in edited
    assert edited.endswith("        return self.name\n")  # the rest is untouched
    again = add_inverse(
        edited,
        AUTHOR,
        book.relations[0],
        book.names,
        path="app/models/author.py",
    )
    assert again == edited


def test_an_inverse_name_already_taken_is_refused() -> None:
    book = parse_cli_resource("book", ["title:str", "author:ref"])
    taken = AUTHOR_MODEL.replace("    name: Mapped[str]\n", "    books: Mapped[int]\n")

    with pytest.raises(SpecError) as error:
        add_inverse(taken, AUTHOR, book.relations[0], book.names, path="x")

    assert "already has an attribute 'books'" in _messages(error)


def test_a_model_without_its_class_is_left_alone_with_the_lines_to_add() -> None:
    book = parse_cli_resource("book", ["title:str", "author:ref"])

    with pytest.raises(WiringError) as error:
        add_inverse(
            '"""Nothing here."""\n',
            AUTHOR,
            book.relations[0],
            book.names,
            path="app/models/author.py",
        )

    message = str(error.value)
    assert "app/models/author.py no longer has the shape scaffold expects" in message
    assert "from app.models.book import Book" in message
    assert 'relationship( back_populates="author"' in message


# Through the CLI


def test_a_reference_to_a_resource_not_yet_added_is_refused(project: Path) -> None:
    # Given a project without authors
    before = tree_digest(project)

    # When a book referring to an author is added
    result = run_scaffold(
        "add", "resource", "book", "title:str", "author:ref", "--no-check", cwd=project
    )

    # Then it is refused with the fix, and nothing is written
    assert result.returncode == 2
    assert "book.author refers to resource 'author'" in result.stderr
    assert "add 'author' first" in result.stderr
    assert "Traceback" not in result.stderr
    assert tree_digest(project) == before


@pytest.mark.parametrize("target", ["user", "api_key"])
def test_a_reference_to_a_model_of_the_project_itself_is_refused(
    project: Path, target: str
) -> None:
    # Given a project with auth, whose users and API keys are its own models
    # (not resources: there is no test helper that creates them, and deleting
    # a user knows nothing of rows that refer to it)
    before = tree_digest(project)

    # When a task referring to one is added
    field = f"assignee:ref({target})?"
    result = run_scaffold(
        "add", "resource", "task", "title:str", field, "--no-check", cwd=project
    )

    # Then it is refused with what to do instead, and nothing is written
    assert result.returncode == 2
    assert (
        f"task.assignee refers to {target!r}, a model of the project's own "
        f"(app/models/{target}.py)"
    ) in result.stderr
    assert "--owned" in result.stderr
    assert tree_digest(project) == before


def test_the_referencing_resource_can_be_added_in_a_second_command(
    project: Path,
) -> None:
    # Given a project with authors
    first = run_scaffold(
        "add", "resource", "author", "name:str", "--no-check", cwd=project
    )
    assert first.returncode == 0, first.stderr

    # When books referring to authors are added / Then the inverse side appears
    result = run_scaffold(
        "add", "resource", "book", "title:str", "author:ref", "--no-check", cwd=project
    )

    assert result.returncode == 0, result.stderr
    author = (project / "app/models/author.py").read_text(encoding="utf-8")
    assert 'books: Mapped[list["Book"]] = relationship(' in author
    router = (project / "app/api/v1/router.py").read_text(encoding="utf-8")
    assert "api_router.include_router(books.nested_router)" in router


# The bookstore spec's checks on SQLite and PostgreSQL (author -> book <- review,
# book <-> tag, category.parent) are those of examples/bookstore, generated from
# the same spec and checked by tests/test_examples.py.


def test_a_project_without_the_reference_error_is_refused(project: Path) -> None:
    # Given a project from before references (no InvalidReferenceError)
    errors = project / "app/core/errors.py"
    errors.write_text(
        errors.read_text(encoding="utf-8").replace(
            "class InvalidReferenceError(", "class SomethingElse("
        ),
        encoding="utf-8",
    )
    assert (
        run_scaffold(
            "add", "resource", "author", "name:str", "--no-check", cwd=project
        ).returncode
        == 0
    )
    before = tree_digest(project)

    # When a referencing resource is added
    result = run_scaffold(
        "add", "resource", "book", "title:str", "author:ref", "--no-check", cwd=project
    )

    # Then it is refused with what to do, and nothing is written
    assert result.returncode == 2
    assert "app/core/errors.py has no InvalidReferenceError" in result.stderr
    assert tree_digest(project) == before


def test_remove_refuses_a_referenced_resource_and_undoes_the_inverse(
    project: Path,
) -> None:
    # Given authors and tags, then books that refer to both
    for fields in (["author", "name:str"], ["tag", "name:str"]):
        added = run_scaffold("add", "resource", *fields, "--no-check", cwd=project)
        assert added.returncode == 0, added.stderr
    author = (project / "app/models/author.py").read_text(encoding="utf-8")
    tag = (project / "app/models/tag.py").read_text(encoding="utf-8")
    router = (project / "app/api/v1/router.py").read_text(encoding="utf-8")
    books = run_scaffold(
        "add",
        "resource",
        "book",
        "title:str",
        "author:ref",
        "tags:refs",
        "--no-check",
        cwd=project,
    )
    assert books.returncode == 0, books.stderr
    before = tree_digest(project)

    # When authors are removed / Then that is refused, since books refer to them
    refused = run_scaffold("remove", "resource", "author", "--no-check", cwd=project)
    assert refused.returncode == 2
    assert "book.author refers to 'author'; remove 'book' first" in refused.stderr
    assert tree_digest(project) == before

    # When books are removed / Then the other models and the router are as before
    removed = run_scaffold("remove", "resource", "book", "--no-check", cwd=project)
    assert removed.returncode == 0, removed.stderr
    assert (project / "app/models/author.py").read_text(encoding="utf-8") == author
    assert (project / "app/models/tag.py").read_text(encoding="utf-8") == tag
    assert (project / "app/api/v1/router.py").read_text(encoding="utf-8") == router


def test_regenerating_a_referenced_resource_keeps_its_inverse(project: Path) -> None:
    # Given the bookstore, with inverses added to authors, tags and categories
    added = run_scaffold(
        "add", "resource", "--spec", str(BOOKSTORE), "--no-check", cwd=project
    )
    assert added.returncode == 0, added.stderr
    before = tree_digest(project)

    # When the referenced and referencing resources are regenerated
    result = run_scaffold(
        "regenerate", "author", "book", "category", "tag", "--no-check", cwd=project
    )

    # Then nothing changes
    assert result.returncode == 0, result.stderr
    assert tree_digest(project) == before


#: People, and books referring to labels, to a sequel and twice to people:
#: two foreign keys between the same two tables, which each relationship
#: (and each inverse) tells apart by naming its own, and two required
#: references whose rows the generated tests create. A user's reminders refer
#: to their own loans, which refer to books only administrators add: the
#: reminders' tests make each loan as its user, with a book an administrator
#: made.
BOOKS_AND_PEOPLE = """\
resources:
  - name: person
    fields:
      name: str
  - name: book
    fields:
      title: str
      labels: refs
      sequel: ref(book)?
      author: {type: ref, to: person, inverse: written_books}
      editor: {type: ref, to: person, inverse: edited_books}
  - name: loan
    owned: true
    fields:
      book: ref
      due_on: date
  - name: reminder
    owned: true
    fields:
      loan: ref
      follow_up: {type: ref, to: loan, optional: true, inverse: follow_ups}
      note: str
"""


@pytest.mark.e2e
def test_resources_referring_to_each_other_pass_their_checks_with_integer_ids(
    tmp_path: Path,
) -> None:
    # Given a project with integer ids and labels (the checks below cover them)
    render_project(ProjectRequest.build(name="ints", parent=tmp_path, id_type="int"))
    project = tmp_path / "ints"
    first = run_scaffold(
        "add", "resource", "label", "name:str:unique", "--no-check", cwd=project
    )
    assert first.returncode == 0, first.stderr + first.stdout
    (tmp_path / "books.yaml").write_text(BOOKS_AND_PEOPLE)

    # When people, books referring to them twice (and to labels, and
    # optionally to a sequel), loans of books and reminders of loans are added
    result = run_scaffold(
        "add", "resource", "--spec", str(tmp_path / "books.yaml"), cwd=project
    )

    # Then format, lint, types, every test module and the migrations pass
    assert result.returncode == 0, result.stderr + result.stdout
    person = (project / "app/models/person.py").read_text()
    assert 'foreign_keys="Book.editor_id"' in person
    reminders = (project / "tests/api/test_reminders.py").read_text()
    assert "test_loans.shared_references(admin_client, n)" in reminders
    assert "test_loans.shared_references(admin_client, 5)" in reminders


def test_a_hand_written_model_is_found_with_its_table() -> None:
    source = AUTHOR_MODEL.replace('"authors"', '"writers"')

    found = existing_target("author", source)

    assert found is not None
    assert (found.class_name, found.table, found.url_path) == (
        "Author",
        "writers",
        "authors",
    )
    assert existing_target("author", '"""No model here."""\n') is None
    assert existing_target("author", "def broken(:\n") is None
    assert existing_target("author", None) is None


def test_the_inverse_of_a_link_names_its_association_table() -> None:
    # Given books with tags (many-to-many) and the tag model
    book = parse_cli_resource("book", ["title:str", "tags:refs"])
    tag = Target("tag", "Tag", "tag", "tags", "tags", "tags", "tag")
    model = AUTHOR_MODEL.replace("Author", "Tag").replace("authors", "tags")

    # When its inverse is edited in
    edited = add_inverse(model, tag, book.relations[0], book.names, path="x")

    # Then Tag.books goes through books_tags, the table the books model declares
    assert (
        '    books: Mapped[list["Book"]] = relationship(\n'
        '        secondary="books_tags",\n'
        '        back_populates="tags",\n'
        "        passive_deletes=True,\n"
        "    )\n"
    ) in edited
