"""The ``/tags`` endpoints: thin handlers over :class:`TagService`."""

from typing import Annotated, Any
from uuid import UUID

from fastapi import APIRouter, Depends, Query, status

from app.api.deps import SessionDep, require_admin
from app.models.tag import Tag
from app.schemas.common import Page, error_responses
from app.schemas.tag import TagCreate, TagQuery, TagRead, TagUpdate
from app.services.tag import TagService


async def get_tag_service(session: SessionDep) -> TagService:
    """Provide the tag service for one request."""
    return TagService(session)


TagServiceDep = Annotated[TagService, Depends(get_tag_service)]


async def get_tag(tag_id: UUID, service: TagServiceDep) -> Tag:
    """Load the tag a route's ``tag_id`` names, or answer 404."""
    return await service.get(tag_id)


_CREATED_LINKS: dict[str, Any] = {
    "GetTag": {
        "operationId": "tags-get",
        "parameters": {"tag_id": "$response.body#/id"},
    },
    "ReplaceTag": {
        "operationId": "tags-replace",
        "parameters": {"tag_id": "$response.body#/id"},
    },
    "UpdateTag": {
        "operationId": "tags-update",
        "parameters": {"tag_id": "$response.body#/id"},
    },
    "DeleteTag": {
        "operationId": "tags-delete",
        "parameters": {"tag_id": "$response.body#/id"},
    },
}
"""OpenAPI links: where the ids in a created tag lead."""

router = APIRouter(prefix="/tags", tags=["tags"], responses=error_responses(422))


@router.get(
    "",
    name="list",
    summary="List tags",
)
async def list_tags(
    query: Annotated[TagQuery, Query()], service: TagServiceDep
) -> Page[TagRead]:
    """List tags a page at a time, filtered, searched and sorted."""
    return await service.list(query)


@router.post(
    "",
    name="create",
    summary="Create a tag",
    status_code=status.HTTP_201_CREATED,
    dependencies=[Depends(require_admin)],
    responses={201: {"links": _CREATED_LINKS}, **error_responses(400, 401, 403, 409)},
)
async def create_tag(data: TagCreate, service: TagServiceDep) -> TagRead:
    """Create a tag and return it with its id."""
    return TagRead.model_validate(await service.create(data))


@router.get(
    "/{tag_id}",
    name="get",
    summary="Get a tag",
    responses=error_responses(404),
)
async def read_tag(tag: Annotated[Tag, Depends(get_tag)]) -> TagRead:
    """Return one tag."""
    return TagRead.model_validate(tag)


@router.put(
    "/{tag_id}",
    name="replace",
    summary="Replace a tag",
    dependencies=[Depends(require_admin)],
    responses=error_responses(400, 401, 403, 404, 409),
)
async def replace_tag(
    tag: Annotated[Tag, Depends(get_tag)], data: TagCreate, service: TagServiceDep
) -> TagRead:
    """Replace every field of a tag."""
    return TagRead.model_validate(await service.replace(tag, data))


@router.patch(
    "/{tag_id}",
    name="update",
    summary="Update a tag",
    dependencies=[Depends(require_admin)],
    responses=error_responses(400, 401, 403, 404, 409),
)
async def update_tag(
    tag: Annotated[Tag, Depends(get_tag)], data: TagUpdate, service: TagServiceDep
) -> TagRead:
    """Change the fields of a tag that the body sets."""
    return TagRead.model_validate(await service.update(tag, data))


@router.delete(
    "/{tag_id}",
    name="delete",
    summary="Delete a tag",
    status_code=status.HTTP_204_NO_CONTENT,
    dependencies=[Depends(require_admin)],
    responses=error_responses(401, 403, 404, 409),
)
async def delete_tag(
    tag: Annotated[Tag, Depends(get_tag)], service: TagServiceDep
) -> None:
    """Delete a tag."""
    await service.delete(tag)
