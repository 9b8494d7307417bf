"""The generated tests notice bugs: small mutations of a resource make them fail.

A project is generated from the bookstore example's spec; each mutation below
is one precise text substitution in one generated module, the kind of slip a
developer makes (an inverted filter, a dropped escape, an off-by-one page).
The resource's own generated test module must fail for every one of them.
The tests run on SQLite, whose ``LIKE`` ignores ASCII case already, so an
``ilike`` turned into ``like`` is not among them: only PostgreSQL tells the two
apart.
"""

from __future__ import annotations

import json
import os
import subprocess
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

from scaffold.tools.check import tool_environment
from tests.e2e import run_scaffold
from tests.environments import Prepare

SPEC = Path(__file__).resolve().parents[1] / "examples" / "specs" / "bookstore.yaml"


@dataclass(frozen=True)
class Mutation:
    """Replace ``old`` (found exactly once) by ``new`` in one generated file.

    Attributes:
        name: What the mutation breaks.
        path: The mutated module, relative to the project.
        old: The exact text the generated module holds.
        new: What replaces it.
        tests: The resource's generated test module, which must then fail.
        caught_by: The test in ``tests`` that fails first. Only it runs: it
            failing proves the module fails, at a fraction of the time.
    """

    name: str
    path: str
    old: str
    new: str
    tests: str
    caught_by: str


BOOK_REPOSITORY = "app/repositories/book.py"
BOOK_TESTS = "tests/api/test_books.py"
REVIEW_REPOSITORY = "app/repositories/review.py"
REVIEW_TESTS = "tests/api/test_reviews.py"
AUTHOR_REPOSITORY = "app/repositories/author.py"
AUTHOR_TESTS = "tests/api/test_authors.py"

MUTATIONS = [
    Mutation(
        "string filter inverted",
        BOOK_REPOSITORY,
        "statement.where(Book.title.in_(query.title))",
        "statement.where(Book.title.not_in(query.title))",
        BOOK_TESTS,
        "test_list_filters_by_each_filterable_field",
    ),
    Mutation(
        "unique string filter inverted",
        BOOK_REPOSITORY,
        "Book.isbn.in_(query.isbn)",
        "Book.isbn.not_in(query.isbn)",
        BOOK_TESTS,
        "test_list_filters_by_each_filterable_field",
    ),
    Mutation(
        "enum filter inverted",
        BOOK_REPOSITORY,
        "statement.where(Book.status.in_(query.status))",
        "statement.where(Book.status.not_in(query.status))",
        BOOK_TESTS,
        "test_list_filters_by_each_filterable_field",
    ),
    Mutation(
        "reference filter inverted",
        BOOK_REPOSITORY,
        "Book.author_id.in_(query.author_id)",
        "Book.author_id.not_in(query.author_id)",
        BOOK_TESTS,
        "test_list_filters_by_author_id",
    ),
    Mutation(
        "optional reference filter inverted",
        BOOK_REPOSITORY,
        "Book.category_id.in_(query.category_id)",
        "Book.category_id.not_in(query.category_id)",
        BOOK_TESTS,
        "test_list_filters_by_category_id",
    ),
    Mutation(
        "several enum values: all but the first ignored",
        BOOK_REPOSITORY,
        "Book.status.in_(query.status)",
        "Book.status == query.status[0]",
        BOOK_TESTS,
        "test_list_filters_by_several_values_of_a_field",
    ),
    Mutation(
        "several string values: all but the first ignored",
        BOOK_REPOSITORY,
        "Book.title.in_(query.title)",
        "Book.title == query.title[0]",
        BOOK_TESTS,
        "test_list_filters_by_several_values_of_a_field",
    ),
    Mutation(
        "lower bound of a number range inverted",
        BOOK_REPOSITORY,
        "Book.price >= query.price__gte",
        "Book.price <= query.price__gte",
        BOOK_TESTS,
        "test_list_filters_by_a_range_of_each_ordered_field",
    ),
    Mutation(
        "strict upper bound of a date range made inclusive",
        BOOK_REPOSITORY,
        "Book.published_on < query.published_on__lt",
        "Book.published_on <= query.published_on__lt",
        BOOK_TESTS,
        "test_list_filters_by_a_range_of_each_ordered_field",
    ),
    Mutation(
        "is-null filter inverted",
        BOOK_REPOSITORY,
        """Book.summary.is_(None)
                if query.summary__isnull
                else Book.summary.is_not(None)""",
        """Book.summary.is_not(None)
                if query.summary__isnull
                else Book.summary.is_(None)""",
        BOOK_TESTS,
        "test_list_filters_by_whether_an_optional_field_is_set",
    ),
    Mutation(
        "many-to-many filter inverted",
        BOOK_REPOSITORY,
        "Book.tags.any(Tag.id.in_(query.tag_id))",
        "~Book.tags.any(Tag.id.in_(query.tag_id))",
        BOOK_TESTS,
        "test_list_filters_by_one_of_the_tags",
    ),
    Mutation(
        "search LIKE wildcards not escaped",
        BOOK_REPOSITORY,
        'pattern = f"%{escape_like(query.q)}%"',
        'pattern = f"%{query.q}%"',
        BOOK_TESTS,
        "test_list_search_treats_a_percent_sign_literally",
    ),
    Mutation(
        "paging offset off by one page",
        BOOK_REPOSITORY,
        "offset = (query.page - 1) * query.size",
        "offset = query.page * query.size",
        BOOK_TESTS,
        "test_list_pages_through_books",
    ),
    Mutation(
        "a short page's total counted from the page alone",
        BOOK_REPOSITORY,
        "return rows, offset + len(rows)",
        "return rows, len(rows)",
        BOOK_TESTS,
        "test_list_pages_through_books",
    ),
    Mutation(
        "sort direction flipped",
        BOOK_REPOSITORY,
        "order = (column.desc(), Book.id.desc())",
        "order = (column.asc(), Book.id.asc())",
        BOOK_TESTS,
        "test_list_shows_the_newest_first_even_within_one_second",
    ),
    Mutation(
        "default sort oldest first",
        BOOK_REPOSITORY,
        'sort = query.sort or "-created_at"',
        'sort = query.sort or "created_at"',
        BOOK_TESTS,
        "test_list_shows_the_newest_first_even_within_one_second",
    ),
    Mutation(
        "owner scoping removed",
        "app/services/review.py",
        "if review.owner_id != caller.id and caller.role != Role.ADMIN:",
        "if review.owner_id is None and caller.role != Role.ADMIN:",
        REVIEW_TESTS,
        "test_another_user_may_not_change_a_review",
    ),
    Mutation(
        "cursor page repeats the row it starts after",
        REVIEW_REPOSITORY,
        "or_(column < value, and_(column == value, Review.id < last_id))",
        "or_(column <= value, and_(column == value, Review.id < last_id))",
        REVIEW_TESTS,
        "test_list_pages_through_reviews",
    ),
    Mutation(
        "cursor ties broken the wrong way",
        REVIEW_REPOSITORY,
        "or_(column > value, and_(column == value, Review.id > last_id))",
        "or_(column > value, and_(column == value, Review.id < last_id))",
        REVIEW_TESTS,
        "test_cursor_pages_walk_every_review_once_in_order",
    ),
    Mutation(
        "cursor made from the row after the page",
        REVIEW_REPOSITORY,
        "last = rows[query.size - 1]",
        "last = rows[query.size]",
        REVIEW_TESTS,
        "test_list_pages_through_reviews",
    ),
    Mutation(
        "cursor list never tells of a next page",
        REVIEW_REPOSITORY,
        ".limit(query.size + 1)",
        ".limit(query.size)",
        REVIEW_TESTS,
        "test_list_pages_through_reviews",
    ),
    Mutation(
        "cursor accepted for another sort",
        "app/schemas/common.py",
        'if data["sort"] != sort:',
        "if False:",
        REVIEW_TESTS,
        "test_list_refuses_a_cursor_made_for_another_sort",
    ),
    Mutation(
        "create answers 200 instead of 201",
        "app/api/v1/endpoints/books.py",
        "status_code=status.HTTP_201_CREATED",
        "status_code=status.HTTP_200_OK",
        BOOK_TESTS,
        "test_create_returns_the_new_book",
    ),
    Mutation(
        "length limit dropped",
        "app/schemas/book.py",
        "TitleField = Annotated[str, Field(min_length=1, max_length=200, pattern",
        "TitleField = Annotated[str, Field(min_length=1, pattern",
        BOOK_TESTS,
        "test_create_refuses_invalid_values",
    ),
    Mutation(
        "empty required string allowed",
        "app/schemas/book.py",
        "TitleField = Annotated[str, Field(min_length=1, max_length=200, pattern",
        "TitleField = Annotated[str, Field(max_length=200, pattern",
        BOOK_TESTS,
        "test_create_refuses_invalid_values",
    ),
    Mutation(
        "reference check removed",
        "app/services/book.py",
        'raise InvalidReferenceError("author_id", "No author has this id")',
        "pass",
        BOOK_TESTS,
        "test_create_refuses_a_reference_to_a_missing_row",
    ),
    Mutation(
        "PATCH applies unset fields",
        "app/services/book.py",
        "self._change(book, data.model_dump(exclude_unset=True), if_match)",
        "self._change(book, data.model_dump(), if_match)",
        BOOK_TESTS,
        "test_update_changes_only_the_fields_sent",
    ),
    Mutation(
        "If-Match not checked on a change",
        "app/services/book.py",
        "ensure_current(if_match, book.version)\n        await self._ensure",
        "await self._ensure",
        BOOK_TESTS,
        "test_of_two_changes_naming_the_same_version_only_the_first_succeeds",
    ),
    Mutation(
        "If-Match not checked on a delete",
        "app/services/book.py",
        "ensure_current(if_match, book.version)\n        try:",
        "try:",
        BOOK_TESTS,
        "test_a_change_without_if_match_answers_428",
    ),
    Mutation(
        "a change keeps the version",
        "app/repositories/book.py",
        "book.version += 1",
        "book.version += 0",
        BOOK_TESTS,
        "test_each_change_naming_the_current_etag_makes_a_new_version",
    ),
    Mutation(
        "no version in the WHERE of a write",
        "app/models/book.py",
        '"version_id_col": cls.__table__.c.version,',
        '"version_id_col": None,',
        BOOK_TESTS,
        "test_the_database_refuses_a_write_to_a_version_another_wrote",
    ),
    Mutation(
        "soft-deleted row still found by get",
        AUTHOR_REPOSITORY,
        "Author.id == author_id, Author.deleted_at.is_(None)",
        "Author.id == author_id",
        AUTHOR_TESTS,
        "test_delete_removes_the_author",
    ),
    Mutation(
        "soft delete removes the row",
        AUTHOR_REPOSITORY,
        "author.deleted_at = datetime.now(UTC)",
        "await self.session.delete(author)",
        AUTHOR_TESTS,
        "test_lists_the_deleted_authors_alone",
    ),
    Mutation(
        "unique check counts soft-deleted rows",
        AUTHOR_REPOSITORY,
        "Author.email == email, Author.deleted_at.is_(None)",
        "Author.email == email",
        AUTHOR_TESTS,
        "test_a_deleted_author_frees_its_unique_values_until_restored",
    ),
    Mutation(
        "deleted rows listed to everyone",
        "app/services/author.py",
        "if query.deleted and not self._is_admin():",
        "if query.deleted and self.caller is None:",
        AUTHOR_TESTS,
        "test_only_administrators_list_deleted_authors",
    ),
    Mutation(
        "reference to a soft-deleted row accepted",
        BOOK_REPOSITORY,
        "Author.id == author_id, Author.deleted_at.is_(None)",
        "Author.id == author_id",
        BOOK_TESTS,
        "test_a_deleted_author_keeps_its_books_and_takes_no_new_ones",
    ),
]


@pytest.fixture(scope="module")
def bookstore(tmp_path_factory: pytest.TempPathFactory, install: Prepare) -> Path:
    """A project generated from the bookstore spec, its environment installed."""
    parent = tmp_path_factory.mktemp("mutations")
    steps = [
        ("new", "project", "bookstore", "--no-check", "-q", "-d", str(parent)),
        ("add", "resource", "--spec", str(SPEC), "--no-check", "-q"),
    ]
    for number, step in enumerate(steps):
        result = run_scaffold(*step, cwd=parent / "bookstore" if number else parent)
        assert result.returncode == 0, result.stdout + result.stderr
    project = parent / "bookstore"
    install(project)
    return project


#: Runs the generated tests for :class:`MutationRunner`, in the project's own
#: Python. It imports every library the application and its tests import (the
#: list comes from a process that imports them) once, then forks a process per
#: request that runs pytest: each run imports the application and its tests
#: afresh, so it sees the mutated module, and pays only for those imports.
SERVER = """
import importlib, json, os, subprocess, sys

import pytest

OWN = ("app", "tests", "__main__")
# Every module of the tests: the fixtures import what they need as they run.
LIST = (
    "import importlib, pathlib, sys, app.main\\n"
    "for path in sorted(pathlib.Path('tests').rglob('test*.py')):\\n"
    "    importlib.import_module('.'.join(path.with_suffix('').parts))\\n"
    "import tests.conftest, tests.database\\n"
    "print(*sys.modules, sep=chr(10))"
)
listed = subprocess.run(
    [sys.executable, "-c", LIST], capture_output=True, text=True, check=True
)
for name in listed.stdout.split():
    if name.split(".")[0] not in OWN:
        try:
            importlib.import_module(name)
        except Exception:
            pass
assert not any(name.split(".")[0] in OWN[:2] for name in sys.modules)
for line in sys.stdin:
    request = json.loads(line)
    pid = os.fork()
    if pid == 0:
        log = os.open(request["log"], os.O_WRONLY | os.O_CREAT | os.O_TRUNC)
        os.dup2(log, 1)
        os.dup2(log, 2)
        code = pytest.main(["-x", "-q", "-p", "no:cacheprovider", *request["tests"]])
        sys.stdout.flush()
        sys.stderr.flush()
        os._exit(int(code))
    _, status = os.waitpid(pid, 0)
    print(os.waitstatus_to_exitcode(status), flush=True)
"""


class MutationRunner:
    """Runs generated tests in ``project``, stopping at the first failure.

    Each run is a fresh process forked from a server that has imported the
    libraries already (see :data:`SERVER`), so a run costs the application's
    import, not the whole interpreter's start. Python caches bytecode in the
    project even where the caller told it not to, so each run compiles (and
    rewrites the asserts of) only what changed; :func:`write_fresh` makes sure
    a mutated module is among what changed.
    """

    def __init__(self, project: Path, log: Path) -> None:
        env = tool_environment()
        env.pop("PYTHONDONTWRITEBYTECODE", None)
        self.log = log
        self.server = subprocess.Popen(
            [str(project / ".venv" / "bin" / "python"), "-c", SERVER],
            cwd=project,
            env=env,
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            text=True,
        )

    def run(self, *tests: str) -> tuple[int, str]:
        """Run ``tests`` (pytest node ids); return pytest's exit code and output."""
        assert self.server.stdin is not None and self.server.stdout is not None
        request = {"tests": list(tests), "log": str(self.log)}
        self.server.stdin.write(json.dumps(request) + "\n")
        self.server.stdin.flush()
        answer = self.server.stdout.readline()
        assert answer, f"the test server stopped (exit {self.server.poll()})"
        return int(answer), self.log.read_text()

    def close(self) -> None:
        """Stop the server."""
        assert self.server.stdin is not None
        self.server.stdin.close()
        self.server.wait(timeout=30)


@pytest.fixture
def runner(bookstore: Path, tmp_path: Path) -> Iterator[MutationRunner]:
    """A :class:`MutationRunner` for the bookstore project."""
    runner = MutationRunner(bookstore, tmp_path / "pytest.log")
    try:
        yield runner
    finally:
        runner.close()


def write_fresh(path: Path, text: str) -> None:
    """Write ``text`` to ``path`` with a modification time it never had.

    Cached bytecode is checked against the source's size and whole seconds of
    its time: a mutation of the same length written within the same second
    as the original would otherwise run the original's bytecode.
    """
    before = path.stat().st_mtime_ns
    path.write_text(text)
    fresh = max(path.stat().st_mtime_ns, before) + 2_000_000_000
    os.utime(path, ns=(fresh, fresh))


@pytest.mark.e2e
def test_every_mutation_is_caught_by_the_generated_tests(
    bookstore: Path, runner: MutationRunner
) -> None:
    # Given a generated project whose tests that catch the mutations pass as
    # generated
    code, output = runner.run(*sorted({f"{m.tests}::{m.caught_by}" for m in MUTATIONS}))
    assert code == 0, output[-3000:]

    # When each mutation is applied in turn and the resource's test that
    # notices it is run
    survivors: list[str] = []
    for mutation in MUTATIONS:
        path = bookstore / mutation.path
        original = path.read_text()
        # The pattern must be there, or the test would pass without mutating
        assert original.count(mutation.old) == 1, (mutation.name, mutation.old)
        write_fresh(path, original.replace(mutation.old, mutation.new))
        try:
            code, output = runner.run(f"{mutation.tests}::{mutation.caught_by}")
        finally:
            write_fresh(path, original)
        # 1 is "tests failed"; anything else (no such test, a usage error)
        # would make a vanished test look like a caught mutation
        assert code in (0, 1), (mutation.name, output[-3000:])
        if code == 0:
            survivors.append(mutation.name)

    # Then the tests fail for every one: no mutation survives
    assert survivors == []


def test_mutations_are_distinct_and_change_something() -> None:
    # Given the list of mutations / Then each one changes its file's text
    assert all(m.old != m.new for m in MUTATIONS)
    assert len({(m.path, m.old, m.new) for m in MUTATIONS}) == len(MUTATIONS)
