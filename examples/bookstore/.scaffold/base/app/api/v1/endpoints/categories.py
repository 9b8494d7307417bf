"""The ``/categories`` endpoints: thin handlers over :class:`CategoryService`."""

from typing import Annotated, Any
from uuid import UUID

from fastapi import APIRouter, Depends, Query, status

from app.api.deps import SessionDep, require_admin
from app.models.category import Category
from app.schemas.category import (
    CategoryCreate,
    CategoryQuery,
    CategoryRead,
    CategoryUpdate,
)
from app.schemas.common import Page, error_responses
from app.services.category import CategoryService


async def get_category_service(session: SessionDep) -> CategoryService:
    """Provide the category service for one request."""
    return CategoryService(session)


CategoryServiceDep = Annotated[CategoryService, Depends(get_category_service)]


async def get_category(category_id: UUID, service: CategoryServiceDep) -> Category:
    """Load the category a route's ``category_id`` names, or answer 404."""
    return await service.get(category_id)


_CREATED_LINKS: dict[str, Any] = {
    "GetCategory": {
        "operationId": "categories-get",
        "parameters": {"category_id": "$response.body#/id"},
    },
    "ReplaceCategory": {
        "operationId": "categories-replace",
        "parameters": {"category_id": "$response.body#/id"},
    },
    "UpdateCategory": {
        "operationId": "categories-update",
        "parameters": {"category_id": "$response.body#/id"},
    },
    "DeleteCategory": {
        "operationId": "categories-delete",
        "parameters": {"category_id": "$response.body#/id"},
    },
    "ListChildren": {
        "operationId": "categories-list-by-parent",
        "parameters": {"parent_id": "$response.body#/id"},
    },
}
"""OpenAPI links: where the ids in a created category lead."""

router = APIRouter(
    prefix="/categories", tags=["categories"], responses=error_responses(422)
)


@router.get(
    "",
    name="list",
    summary="List categories",
)
async def list_categories(
    query: Annotated[CategoryQuery, Query()], service: CategoryServiceDep
) -> Page[CategoryRead]:
    """List categories a page at a time, filtered, searched and sorted."""
    return await service.list(query)


@router.post(
    "",
    name="create",
    summary="Create a category",
    status_code=status.HTTP_201_CREATED,
    dependencies=[Depends(require_admin)],
    responses={201: {"links": _CREATED_LINKS}, **error_responses(400, 401, 403, 409)},
)
async def create_category(
    data: CategoryCreate, service: CategoryServiceDep
) -> CategoryRead:
    """Create a category and return it with its id."""
    return CategoryRead.model_validate(await service.create(data))


@router.get(
    "/{category_id}",
    name="get",
    summary="Get a category",
    responses=error_responses(404),
)
async def read_category(
    category: Annotated[Category, Depends(get_category)],
) -> CategoryRead:
    """Return one category."""
    return CategoryRead.model_validate(category)


@router.put(
    "/{category_id}",
    name="replace",
    summary="Replace a category",
    dependencies=[Depends(require_admin)],
    responses=error_responses(400, 401, 403, 404, 409),
)
async def replace_category(
    category: Annotated[Category, Depends(get_category)],
    data: CategoryCreate,
    service: CategoryServiceDep,
) -> CategoryRead:
    """Replace every field of a category."""
    return CategoryRead.model_validate(await service.replace(category, data))


@router.patch(
    "/{category_id}",
    name="update",
    summary="Update a category",
    dependencies=[Depends(require_admin)],
    responses=error_responses(400, 401, 403, 404, 409),
)
async def update_category(
    category: Annotated[Category, Depends(get_category)],
    data: CategoryUpdate,
    service: CategoryServiceDep,
) -> CategoryRead:
    """Change the fields of a category that the body sets."""
    return CategoryRead.model_validate(await service.update(category, data))


@router.delete(
    "/{category_id}",
    name="delete",
    summary="Delete a category",
    status_code=status.HTTP_204_NO_CONTENT,
    dependencies=[Depends(require_admin)],
    responses=error_responses(401, 403, 404, 409),
)
async def delete_category(
    category: Annotated[Category, Depends(get_category)], service: CategoryServiceDep
) -> None:
    """Delete a category."""
    await service.delete(category)


nested_router = APIRouter(tags=["categories"], responses=error_responses(422))
"""Routes that list categories under the resources they refer to."""


@nested_router.get(
    "/categories/{parent_id}/children",
    name="list-by-parent",
    summary="List the categories of a parent",
    responses=error_responses(404),
)
async def list_categories_by_parent(
    parent_id: UUID,
    query: Annotated[CategoryQuery, Query()],
    service: CategoryServiceDep,
) -> Page[CategoryRead]:
    """List the categories of one parent, a page at a time.

    Answers 404 when the parent does not exist.
    """
    return await service.list_by_parent(parent_id, query)
