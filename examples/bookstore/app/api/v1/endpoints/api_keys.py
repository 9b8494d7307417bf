"""The ``/api-keys`` endpoints: keys for services, managed by administrators."""

from typing import Annotated
from uuid import UUID

from fastapi import APIRouter, Depends, Query, status

from app.api.deps import AdminUser, SessionDep, rate_limit, require_admin
from app.schemas.api_key import ApiKeyCreate, ApiKeyCreated, ApiKeyRead
from app.schemas.common import Page, PageQuery, error_responses
from app.services.api_key import ApiKeyService


async def get_api_key_service(session: SessionDep) -> ApiKeyService:
    """Provide the API key service for one request."""
    return ApiKeyService(session)


ApiKeyServiceDep = Annotated[ApiKeyService, Depends(get_api_key_service)]

router = APIRouter(
    prefix="/api-keys",
    tags=["api-keys"],
    dependencies=[Depends(require_admin), Depends(rate_limit("api-keys"))],
    responses=error_responses(401, 403, 422, 429),
)


@router.post(
    "",
    name="create",
    summary="Create an API key",
    status_code=status.HTTP_201_CREATED,
    responses=error_responses(400, 404),
)
async def create_api_key(
    data: ApiKeyCreate, admin: AdminUser, service: ApiKeyServiceDep
) -> ApiKeyCreated:
    """Issue a key; the answer is the only time the key itself is shown."""
    return await service.create(data, acting=admin)


@router.get("", name="list", summary="List API keys")
async def list_api_keys(
    query: Annotated[PageQuery, Query()], service: ApiKeyServiceDep
) -> Page[ApiKeyRead]:
    """List keys a page at a time, newest first, without the keys themselves."""
    return await service.list(query)


@router.delete(
    "/{api_key_id}",
    name="revoke",
    summary="Revoke an API key",
    status_code=status.HTTP_204_NO_CONTENT,
    responses=error_responses(404),
)
async def revoke_api_key(api_key_id: UUID, service: ApiKeyServiceDep) -> None:
    """Stop a key from working at once."""
    await service.revoke(api_key_id)
