"""The ``PasswordResetToken`` model: one mailed reset link, stored as its digest."""

from datetime import datetime
from uuid import UUID, uuid4

from sqlalchemy import ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column

from app.core.database import Base, TimestampMixin


class PasswordResetToken(TimestampMixin, Base):
    """A password reset token of a user: short-lived and single-use.

    ``used_at`` is set when the token sets a new password, and on every other
    unused token of the user at the same time, or when a newer one is issued.
    """

    __tablename__ = "password_reset_tokens"

    id: Mapped[UUID] = mapped_column(primary_key=True, default=uuid4)
    user_id: Mapped[UUID] = mapped_column(
        ForeignKey("users.id", ondelete="CASCADE"), index=True
    )
    token_digest: Mapped[str] = mapped_column(String(length=64), unique=True)
    expires_at: Mapped[datetime]
    used_at: Mapped[datetime | None]
