"""Database access for users and their refresh tokens: queries only."""

from collections.abc import Sequence
from datetime import datetime
from uuid import UUID

from sqlalchemy import func, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from app.models.refresh_token import RefreshToken
from app.models.user import User
from app.schemas.common import PageQuery


class UserRepository:
    """Reads and writes ``User`` rows through one session.

    Args:
        session: The session of the current request.
    """

    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def get(self, user_id: UUID) -> User | None:
        """Return the user with this id, or ``None``."""
        return await self.session.get(User, user_id)

    async def get_by_email(self, email: str) -> User | None:
        """Return the user with this email address (any case), or ``None``."""
        return await self.session.scalar(
            select(User).where(func.lower(User.email) == email.lower())
        )

    async def list(self, query: PageQuery) -> tuple[Sequence[User], int]:
        """Return one page of users, oldest first, and how many there are."""
        total = await self.session.scalar(select(func.count()).select_from(User))
        rows = await self.session.scalars(
            select(User)
            .order_by(User.created_at, User.id)
            .offset((query.page - 1) * query.size)
            .limit(query.size)
        )
        return rows.all(), total or 0

    async def add(self, user: User) -> User:
        """Insert ``user``, then load what the database set."""
        self.session.add(user)
        await self.session.flush()
        await self.session.refresh(user)
        return user

    async def save(self, user: User) -> User:
        """Write the changes to ``user``, then reload what the database set."""
        await self.session.flush()
        await self.session.refresh(user)
        return user

    async def delete(self, user: User) -> None:
        """Delete ``user`` and, through the foreign key, their refresh tokens."""
        await self.session.delete(user)
        await self.session.flush()


class RefreshTokenRepository:
    """Reads and writes ``RefreshToken`` rows through one session.

    Args:
        session: The session of the current request.
    """

    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def get_by_digest(self, digest: str) -> RefreshToken | None:
        """Return the token stored under ``digest``, or ``None``."""
        return await self.session.scalar(
            select(RefreshToken).where(RefreshToken.token_digest == digest)
        )

    async def add(self, token: RefreshToken) -> RefreshToken:
        """Insert ``token``."""
        self.session.add(token)
        await self.session.flush()
        return token

    async def revoke_family(self, family_id: UUID, when: datetime) -> None:
        """Revoke every token of a family that is not revoked yet."""
        await self.session.execute(
            update(RefreshToken)
            .where(
                RefreshToken.family_id == family_id,
                RefreshToken.revoked_at.is_(None),
            )
            .values(revoked_at=when)
        )
