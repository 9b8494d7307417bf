"""The ``/authors`` endpoints: thin handlers over :class:`AuthorService`."""

from typing import Annotated, Any
from uuid import UUID

from fastapi import APIRouter, Depends, Query, status

from app.api.deps import OptionalUser, SessionDep, require_admin
from app.models.author import Author
from app.schemas.author import AuthorCreate, AuthorQuery, AuthorRead, AuthorUpdate
from app.schemas.common import Page, error_responses
from app.services.author import AuthorService


async def get_author_service(
    session: SessionDep, caller: OptionalUser
) -> AuthorService:
    """Provide the author service of the caller, if signed in, for one request."""
    return AuthorService(session, caller)


AuthorServiceDep = Annotated[AuthorService, Depends(get_author_service)]


async def get_author(author_id: UUID, service: AuthorServiceDep) -> Author:
    """Load the author a route's ``author_id`` names, or answer 404."""
    return await service.get(author_id)


_CREATED_LINKS: dict[str, Any] = {
    "GetAuthor": {
        "operationId": "authors-get",
        "parameters": {"author_id": "$response.body#/id"},
    },
    "ReplaceAuthor": {
        "operationId": "authors-replace",
        "parameters": {"author_id": "$response.body#/id"},
    },
    "UpdateAuthor": {
        "operationId": "authors-update",
        "parameters": {"author_id": "$response.body#/id"},
    },
    "DeleteAuthor": {
        "operationId": "authors-delete",
        "parameters": {"author_id": "$response.body#/id"},
    },
}
"""OpenAPI links: where the ids in a created author lead."""

_DELETED_LINKS: dict[str, Any] = {
    "RestoreAuthor": {
        "operationId": "authors-restore",
        "parameters": {"author_id": "$request.path.author_id"},
    },
}
"""OpenAPI links: a deleted author can be restored."""

router = APIRouter(prefix="/authors", tags=["authors"], responses=error_responses(422))


@router.get(
    "",
    name="list",
    summary="List authors",
    responses=error_responses(401, 403),
)
async def list_authors(
    query: Annotated[AuthorQuery, Query()], service: AuthorServiceDep
) -> Page[AuthorRead]:
    """List authors a page at a time, filtered, searched and sorted."""
    return await service.list(query)


@router.post(
    "",
    name="create",
    summary="Create an author",
    status_code=status.HTTP_201_CREATED,
    dependencies=[Depends(require_admin)],
    responses={201: {"links": _CREATED_LINKS}, **error_responses(400, 401, 403, 409)},
)
async def create_author(data: AuthorCreate, service: AuthorServiceDep) -> AuthorRead:
    """Create an author and return it with its id."""
    return AuthorRead.model_validate(await service.create(data))


@router.get(
    "/{author_id}",
    name="get",
    summary="Get an author",
    responses=error_responses(404),
)
async def read_author(author: Annotated[Author, Depends(get_author)]) -> AuthorRead:
    """Return one author."""
    return AuthorRead.model_validate(author)


@router.put(
    "/{author_id}",
    name="replace",
    summary="Replace an author",
    dependencies=[Depends(require_admin)],
    responses=error_responses(400, 401, 403, 404, 409),
)
async def replace_author(
    author: Annotated[Author, Depends(get_author)],
    data: AuthorCreate,
    service: AuthorServiceDep,
) -> AuthorRead:
    """Replace every field of an author."""
    return AuthorRead.model_validate(await service.replace(author, data))


@router.patch(
    "/{author_id}",
    name="update",
    summary="Update an author",
    dependencies=[Depends(require_admin)],
    responses=error_responses(400, 401, 403, 404, 409),
)
async def update_author(
    author: Annotated[Author, Depends(get_author)],
    data: AuthorUpdate,
    service: AuthorServiceDep,
) -> AuthorRead:
    """Change the fields of an author that the body sets."""
    return AuthorRead.model_validate(await service.update(author, data))


@router.delete(
    "/{author_id}",
    name="delete",
    summary="Delete an author",
    status_code=status.HTTP_204_NO_CONTENT,
    dependencies=[Depends(require_admin)],
    responses={204: {"links": _DELETED_LINKS}, **error_responses(401, 403, 404)},
)
async def delete_author(
    author: Annotated[Author, Depends(get_author)], service: AuthorServiceDep
) -> None:
    """Mark an author deleted: reads no longer find it until it is restored."""
    await service.delete(author)


@router.post(
    "/{author_id}/restore",
    name="restore",
    summary="Restore a deleted author",
    dependencies=[Depends(require_admin)],
    responses=error_responses(401, 403, 404, 409),
)
async def restore_author(author_id: UUID, service: AuthorServiceDep) -> AuthorRead:
    """Bring back a deleted author and return it."""
    return AuthorRead.model_validate(await service.restore(author_id))
