"""The ``/users`` endpoints: user management, for administrators only."""

from typing import Annotated

from fastapi import APIRouter, Depends, Path, Query, status

from app.api.deps import AdminUser, SessionDep, require_admin
from app.models.user import User
from app.schemas.common import Page, PageQuery, error_responses
from app.schemas.user import UserRead, UserUpdate
from app.services.user import UserService


async def get_user_service(session: SessionDep) -> UserService:
    """Provide the user service for one request."""
    return UserService(session)


UserServiceDep = Annotated[UserService, Depends(get_user_service)]


async def get_user(
    user_id: Annotated[int, Path(ge=1, le=2_147_483_647)], service: UserServiceDep
) -> User:
    """Load the user a route's ``user_id`` names, or answer 404."""
    return await service.get(user_id)


router = APIRouter(
    prefix="/users",
    tags=["users"],
    dependencies=[Depends(require_admin)],
    responses=error_responses(401, 403, 422),
)


@router.get("", name="list", summary="List users")
async def list_users(
    query: Annotated[PageQuery, Query()], service: UserServiceDep
) -> Page[UserRead]:
    """List users a page at a time, oldest first."""
    return await service.list(query)


@router.get(
    "/{user_id}", name="get", summary="Get a user", responses=error_responses(404)
)
async def read_user(user: Annotated[User, Depends(get_user)]) -> UserRead:
    """Return one user."""
    return UserRead.model_validate(user)


@router.patch(
    "/{user_id}",
    name="update",
    summary="Change a user's role or status",
    responses=error_responses(400, 404, 409),
)
async def update_user(
    user: Annotated[User, Depends(get_user)],
    data: UserUpdate,
    admin: AdminUser,
    service: UserServiceDep,
) -> UserRead:
    """Change the role or the active flag of a user."""
    return UserRead.model_validate(await service.update(user, data, acting=admin))


@router.delete(
    "/{user_id}",
    name="delete",
    summary="Delete a user",
    status_code=status.HTTP_204_NO_CONTENT,
    responses=error_responses(404, 409),
)
async def delete_user(
    user: Annotated[User, Depends(get_user)], admin: AdminUser, service: UserServiceDep
) -> None:
    """Delete a user and everything they own."""
    await service.delete(user, acting=admin)
