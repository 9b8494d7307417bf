"""The ``/books`` endpoints: thin handlers over :class:`BookService`."""

from typing import Annotated, Any
from uuid import UUID

from fastapi import APIRouter, Depends, Query, Response, status

from app.api.deps import SessionDep, require_admin
from app.core.preconditions import IF_MATCH_REQUIRED, IfMatch, etag
from app.models.book import Book
from app.schemas.book import BookCreate, BookQuery, BookRead, BookUpdate
from app.schemas.common import Page, error_responses
from app.services.book import BookService


async def get_book_service(session: SessionDep) -> BookService:
    """Provide the book service for one request."""
    return BookService(session)


BookServiceDep = Annotated[BookService, Depends(get_book_service)]


async def get_book(book_id: UUID, service: BookServiceDep) -> Book:
    """Load the book a route's ``book_id`` names, or answer 404."""
    return await service.get(book_id)


_CREATED_LINKS: dict[str, Any] = {
    "GetBook": {
        "operationId": "books-get",
        "parameters": {"book_id": "$response.body#/id"},
    },
    "ReplaceBook": {
        "operationId": "books-replace",
        "parameters": {
            "book_id": "$response.body#/id",
            "header.If-Match": "$response.header.ETag",
        },
    },
    "UpdateBook": {
        "operationId": "books-update",
        "parameters": {
            "book_id": "$response.body#/id",
            "header.If-Match": "$response.header.ETag",
        },
    },
    "DeleteBook": {
        "operationId": "books-delete",
        "parameters": {
            "book_id": "$response.body#/id",
            "header.If-Match": "$response.header.ETag",
        },
    },
    "GetAuthor": {
        "operationId": "authors-get",
        "parameters": {"author_id": "$response.body#/author_id"},
    },
    "ListAuthorBooks": {
        "operationId": "books-list-by-author",
        "parameters": {"author_id": "$response.body#/author_id"},
    },
}
"""OpenAPI links: where the ids in a created book lead."""

router = APIRouter(prefix="/books", tags=["books"], responses=error_responses(422))


@router.get(
    "",
    name="list",
    summary="List books",
)
async def list_books(
    query: Annotated[BookQuery, Query()], service: BookServiceDep
) -> Page[BookRead]:
    """List books a page at a time, filtered, searched and sorted."""
    return await service.list(query)


@router.post(
    "",
    name="create",
    summary="Create a book",
    status_code=status.HTTP_201_CREATED,
    dependencies=[Depends(require_admin)],
    responses={201: {"links": _CREATED_LINKS}, **error_responses(400, 401, 403, 409)},
)
async def create_book(
    data: BookCreate, response: Response, service: BookServiceDep
) -> BookRead:
    """Create a book; return it with its id, and its version as ``ETag``."""
    book = await service.create(data)
    response.headers["ETag"] = etag(book.version)
    return BookRead.model_validate(book)


@router.get(
    "/{book_id}",
    name="get",
    summary="Get a book",
    responses=error_responses(404),
)
async def read_book(
    book: Annotated[Book, Depends(get_book)], response: Response
) -> BookRead:
    """Return one book, its version as the ``ETag``."""
    response.headers["ETag"] = etag(book.version)
    return BookRead.model_validate(book)


@router.put(
    "/{book_id}",
    name="replace",
    summary="Replace a book",
    dependencies=[Depends(require_admin)],
    responses=error_responses(400, 401, 403, 404, 409, 412, 428),
    openapi_extra=IF_MATCH_REQUIRED,
)
async def replace_book(
    book: Annotated[Book, Depends(get_book)],
    data: BookCreate,
    if_match: IfMatch,
    response: Response,
    service: BookServiceDep,
) -> BookRead:
    """Replace every field, if ``If-Match`` names the current version."""
    book = await service.replace(book, data, if_match)
    response.headers["ETag"] = etag(book.version)
    return BookRead.model_validate(book)


@router.patch(
    "/{book_id}",
    name="update",
    summary="Update a book",
    dependencies=[Depends(require_admin)],
    responses=error_responses(400, 401, 403, 404, 409, 412, 428),
    openapi_extra=IF_MATCH_REQUIRED,
)
async def update_book(
    book: Annotated[Book, Depends(get_book)],
    data: BookUpdate,
    if_match: IfMatch,
    response: Response,
    service: BookServiceDep,
) -> BookRead:
    """Change the fields the body sets, if ``If-Match`` names the current version."""
    book = await service.update(book, data, if_match)
    response.headers["ETag"] = etag(book.version)
    return BookRead.model_validate(book)


@router.delete(
    "/{book_id}",
    name="delete",
    summary="Delete a book",
    status_code=status.HTTP_204_NO_CONTENT,
    dependencies=[Depends(require_admin)],
    responses=error_responses(401, 403, 404, 409, 412, 428),
    openapi_extra=IF_MATCH_REQUIRED,
)
async def delete_book(
    book: Annotated[Book, Depends(get_book)], if_match: IfMatch, service: BookServiceDep
) -> None:
    """Delete a book, if ``If-Match`` names its current version."""
    await service.delete(book, if_match)


nested_router = APIRouter(tags=["books"], responses=error_responses(422))
"""Routes that list books under the resources they refer to."""


@nested_router.get(
    "/authors/{author_id}/books",
    name="list-by-author",
    summary="List the books of an author",
    responses=error_responses(404),
)
async def list_books_by_author(
    author_id: UUID, query: Annotated[BookQuery, Query()], service: BookServiceDep
) -> Page[BookRead]:
    """List the books of one author, a page at a time.

    Answers 404 when the author does not exist.
    """
    return await service.list_by_author(author_id, query)


@nested_router.get(
    "/categories/{category_id}/books",
    name="list-by-category",
    summary="List the books of a category",
    responses=error_responses(404),
)
async def list_books_by_category(
    category_id: UUID, query: Annotated[BookQuery, Query()], service: BookServiceDep
) -> Page[BookRead]:
    """List the books of one category, a page at a time.

    Answers 404 when the category does not exist.
    """
    return await service.list_by_category(category_id, query)


@nested_router.get(
    "/tags/{tag_id}/books",
    name="list-by-tag",
    summary="List the books of a tag",
    responses=error_responses(404),
)
async def list_books_by_tag(
    tag_id: UUID, query: Annotated[BookQuery, Query()], service: BookServiceDep
) -> Page[BookRead]:
    """List the books of one tag, a page at a time.

    Answers 404 when the tag does not exist.
    """
    return await service.list_by_tag(tag_id, query)
