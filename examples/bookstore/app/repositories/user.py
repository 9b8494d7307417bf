"""Database access for users and their refresh and reset tokens: queries only."""

from collections.abc import Sequence
from datetime import datetime
from uuid import UUID

from sqlalchemy import func, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from app.models.password_reset_token import PasswordResetToken
from app.models.refresh_token import RefreshToken
from app.models.user import User
from app.schemas.common import PageQuery
from app.schemas.user import normalise_email


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
        """Return the user with this email address (any case), or ``None``.

        No address holds a NUL, which PostgreSQL refuses in a query: the login
        form's ``username`` is taken as typed, so one is answered here.
        """
        if "\x00" in email:
            return None
        return await self.session.scalar(
            select(User).where(User.email == normalise_email(email))
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

    async def claim(self, token: RefreshToken, when: datetime) -> bool:
        """Revoke ``token`` unless it is revoked already, in one conditional write.

        Of several requests that present the same token at once, exactly one
        gets ``True``: the database lets only one ``UPDATE`` change the row.

        Args:
            token: The token to revoke.
            when: The time of revocation.

        Returns:
            Whether this call revoked it.
        """
        claimed = await self.session.scalar(
            update(RefreshToken)
            .where(RefreshToken.id == token.id, RefreshToken.revoked_at.is_(None))
            .values(revoked_at=when)
            .returning(RefreshToken.id)
        )
        return claimed is not None

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

    async def revoke_user(self, user: User, when: datetime) -> None:
        """Revoke every token of ``user`` that is not revoked yet."""
        await self.session.execute(
            update(RefreshToken)
            .where(RefreshToken.user_id == user.id, RefreshToken.revoked_at.is_(None))
            .values(revoked_at=when)
        )


class PasswordResetTokenRepository:
    """Reads and writes ``PasswordResetToken`` rows through one session.

    Args:
        session: The session of the current request.
    """

    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def add(self, token: PasswordResetToken) -> PasswordResetToken:
        """Insert ``token``."""
        self.session.add(token)
        await self.session.flush()
        return token

    async def redeem(self, digest: str, when: datetime) -> PasswordResetToken | None:
        """Mark the token stored under ``digest`` used, if it is usable.

        One conditional write: of two requests with the same token, only one
        redeems it.

        Args:
            digest: The digest of the token.
            when: The current time; the token must not have expired by then.

        Returns:
            The token, or ``None`` when it is unknown, used or expired.
        """
        redeemed = await self.session.scalar(
            update(PasswordResetToken)
            .where(
                PasswordResetToken.token_digest == digest,
                PasswordResetToken.used_at.is_(None),
                PasswordResetToken.expires_at > when,
            )
            .values(used_at=when)
            .returning(PasswordResetToken.id)
        )
        if redeemed is None:
            return None
        return await self.session.get(PasswordResetToken, redeemed)

    async def use_all(self, user: User, when: datetime) -> None:
        """Mark every unused token of ``user`` used."""
        await self.session.execute(
            update(PasswordResetToken)
            .where(
                PasswordResetToken.user_id == user.id,
                PasswordResetToken.used_at.is_(None),
            )
            .values(used_at=when)
        )
