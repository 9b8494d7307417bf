"""Edits of the shared files: idempotent, formatting-preserving, loud on surprises."""

from __future__ import annotations

import jinja2
import pytest

from scaffold.edit.wiring import (
    WiringError,
    register_model,
    register_router,
    unregister_model,
    unregister_router,
)
from scaffold.project.layout import templates_root

ROUTER = '''"""Version 1 of the API."""

from fastapi import APIRouter

api_router = APIRouter()
'''

MODELS = '''"""Every model, imported so that Alembic sees it."""

__all__: list[str] = []
'''


def test_first_router_is_imported_and_included() -> None:
    result = register_router(ROUTER, "books")

    assert result == (
        '"""Version 1 of the API."""\n\n'
        "from fastapi import APIRouter\n"
        "from app.api.v1.endpoints import books\n\n"
        "api_router = APIRouter()\n\n"
        "api_router.include_router(books.router)\n"
    )


def test_second_router_joins_the_import_and_follows_the_last_include() -> None:
    once = register_router(ROUTER, "books")

    twice = register_router(once, "authors")

    assert "from app.api.v1.endpoints import authors, books\n" in twice
    assert twice.endswith(
        "api_router.include_router(books.router)\n"
        "api_router.include_router(authors.router)\n"
    )


def test_a_second_router_of_a_module_is_included_once() -> None:
    books = register_router(ROUTER, "books")

    nested = register_router(books, "books", attribute="nested_router")

    assert nested.count("from app.api.v1.endpoints import books\n") == 1
    assert nested.endswith(
        "api_router.include_router(books.router)\n"
        "api_router.include_router(books.nested_router)\n"
    )
    assert register_router(nested, "books", attribute="nested_router") == nested


@pytest.mark.parametrize("module", ["books", "authors"])
def test_router_registration_is_idempotent(module: str) -> None:
    once = register_router(register_router(ROUTER, "books"), module)

    assert register_router(once, module) == once


def test_user_edits_elsewhere_in_the_router_are_kept() -> None:
    # Given a router file the user extended with their own route and comments
    source = ROUTER + (
        "\n\n# health of the v1 API, added by hand\n"
        "@api_router.get('/ping')\n"
        "async def ping() -> dict[str, str]:\n"
        "    return {'ping':   'pong'}\n"
    )

    # When a resource router is registered
    result = register_router(source, "books")

    # Then every line the user wrote is still there, untouched
    for line in source.splitlines():
        assert line in result.splitlines()


def test_router_without_api_router_is_refused_with_lines_to_add() -> None:
    source = (
        '"""Mine now."""\n\nfrom fastapi import APIRouter\n\nrouter = APIRouter()\n'
    )

    with pytest.raises(WiringError) as caught:
        register_router(source, "books")

    message = str(caught.value)
    assert "app/api/v1/router.py no longer has the shape" in message
    assert "from app.api.v1.endpoints import books" in message
    assert "api_router.include_router(books.router)" in message


def test_router_that_does_not_parse_is_refused() -> None:
    with pytest.raises(WiringError, match="does not parse"):
        register_router("api_router = APIRouter(\n", "books")


def test_model_is_imported_and_exported() -> None:
    result = register_model(MODELS, "book", "Book")

    assert "from app.models.book import Book\n" in result
    assert '__all__ = ["Book"]\n' in result


def test_models_are_exported_sorted_and_idempotently() -> None:
    both = register_model(register_model(MODELS, "book", "Book"), "author", "Author")

    assert '__all__ = ["Author", "Book"]\n' in both
    assert register_model(both, "author", "Author") == both
    assert both.count("from app.models.author import Author") == 1


def test_models_file_without_all_gets_one() -> None:
    result = register_model('"""Models."""\n', "book", "Book")

    assert (
        result
        == '"""Models."""\nfrom app.models.book import Book\n\n__all__ = ["Book"]\n'
    )


def test_computed_all_is_refused() -> None:
    source = "from app.models.book import Book\n\n__all__ = sorted(['Book'])\n"

    with pytest.raises(WiringError, match="__all__ is not a list of strings"):
        register_model(source, "author", "Author")


PROJECT = templates_root() / "project" / "template"


def rendered(path: str, *, auth: bool) -> str:
    """A project template file as Copier renders it, with or without auth."""
    environment = jinja2.Environment(
        autoescape=False,  # noqa: S701 - Python source, not HTML
        keep_trailing_newline=True,
        lstrip_blocks=True,
        trim_blocks=True,
        undefined=jinja2.StrictUndefined,
    )
    template = environment.from_string((PROJECT / f"{path}.jinja").read_text())
    return template.render(auth=auth, jobs=False)


@pytest.mark.parametrize("auth", [True, False])
def test_unregistering_gives_back_the_file_before_registration(auth: bool) -> None:
    # Given the project's router and model registry with two resources wired in
    router_source = rendered("app/api/v1/router.py", auth=auth)
    models_source = rendered("app/models/__init__.py", auth=auth)
    router = register_router(register_router(router_source, "books"), "authors")
    models = register_model(
        register_model(models_source, "book", "Book"), "author", "Author"
    )

    # When both are unregistered, in any order / Then the files are as before
    assert unregister_router(unregister_router(router, "books"), "authors") == (
        router_source
    )
    assert (
        unregister_model(unregister_model(models, "author", "Author"), "book", "Book")
        == models_source
    )


def test_unregistering_keeps_the_other_resources_and_is_idempotent() -> None:
    router_source = rendered("app/api/v1/router.py", auth=False)
    router = register_router(register_router(router_source, "books"), "authors")

    once = unregister_router(router, "books")

    assert "authors.router" in once
    assert "books" not in once.split('"""')[-1]
    assert unregister_router(once, "books") == once


def test_unregistering_from_a_broken_file_changes_nothing_and_says_what_to_remove() -> (
    None
):
    with pytest.raises(WiringError, match=r"remove 'from app.models.book import Book'"):
        unregister_model("def (:\n", "book", "Book")
