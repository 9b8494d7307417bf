"""User management for administrators."""

from datetime import UTC, datetime
from uuid import UUID

import structlog
from sqlalchemy.ext.asyncio import AsyncSession

from app.core.errors import ConflictError, NotFoundError
from app.models.user import Role, User
from app.repositories.user import RefreshTokenRepository, UserRepository
from app.schemas.common import Page, PageQuery
from app.schemas.user import UserRead, UserUpdate

security_log = structlog.get_logger("app.security")


class UserService:
    """Lists, changes and deletes users.

    Args:
        session: The session of the current request.
    """

    def __init__(self, session: AsyncSession) -> None:
        self.repository = UserRepository(session)
        self.refresh_tokens = RefreshTokenRepository(session)

    async def list(self, query: PageQuery) -> Page[UserRead]:
        """Return one page of users."""
        users, total = await self.repository.list(query)
        return Page[UserRead].create(
            [UserRead.model_validate(user) for user in users],
            total=total,
            page=query.page,
            size=query.size,
        )

    async def get(self, user_id: UUID) -> User:
        """Return the user with this id.

        Raises:
            NotFoundError: No user has this id.
        """
        user = await self.repository.get(user_id)
        if user is None:
            raise NotFoundError(f"User {user_id} not found")
        return user

    async def update(self, user: User, data: UserUpdate, *, acting: User) -> User:
        """Change the role or active flag of ``user``.

        A new role or a deactivation ends every session of the user: their
        refresh tokens are revoked. Reactivating a user revives none of them.

        Raises:
            ConflictError: An administrator would demote or deactivate themself,
                which could leave nobody to manage the users.
        """
        values = data.model_dump(exclude_unset=True)
        demoted = values.get("role", user.role) != Role.ADMIN
        if user.id == acting.id and (demoted or values.get("is_active") is False):
            raise ConflictError("Administrators cannot demote or deactivate themselves")
        old_role, was_active = user.role, user.is_active
        for field, value in values.items():
            setattr(user, field, value)
        if user.role != old_role:
            security_log.info(
                "role_changed",
                user_id=str(user.id),
                old_role=old_role.value,
                new_role=user.role.value,
                by=str(acting.id),
            )
        if was_active and not user.is_active:
            security_log.info(
                "account_deactivated", user_id=str(user.id), by=str(acting.id)
            )
        if user.role != old_role or not user.is_active:
            await self.refresh_tokens.revoke_user(user, datetime.now(UTC))
        return await self.repository.save(user)

    async def delete(self, user: User, *, acting: User) -> None:
        """Delete ``user`` and everything they own.

        Raises:
            ConflictError: An administrator would delete themself.
        """
        if user.id == acting.id:
            raise ConflictError("Administrators cannot delete themselves")
        await self.repository.delete(user)
