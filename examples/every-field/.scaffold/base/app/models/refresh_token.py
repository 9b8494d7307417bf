"""The ``RefreshToken`` model: one issued refresh token, stored as its digest."""

from datetime import datetime
from uuid import UUID

from sqlalchemy import ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column

from app.core.database import Base, TimestampMixin


class RefreshToken(TimestampMixin, Base):
    """A refresh token of a user.

    Each login starts a family (a session); each refresh replaces the token it
    was given by a new one of the same family and marks the old one revoked. A
    revoked token presented again means it was stolen, and revokes the whole
    family. ``session_started_at`` is the time of the login, carried through
    every refresh, so that a session ends ``SESSION_LIFETIME_DAYS`` after it.
    """

    __tablename__ = "refresh_tokens"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(
        ForeignKey("users.id", ondelete="CASCADE"), index=True
    )
    token_digest: Mapped[str] = mapped_column(String(length=64), unique=True)
    family_id: Mapped[UUID] = mapped_column(index=True)
    session_started_at: Mapped[datetime]
    expires_at: Mapped[datetime]
    revoked_at: Mapped[datetime | None]
