"""The ``ApiKey`` model: a key a service sends as ``X-API-Key``, stored as a digest."""

from datetime import datetime
from uuid import UUID, uuid4

from sqlalchemy import ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.core.database import Base, TimestampMixin
from app.models.user import User

KEY_PREFIX_LENGTH = 12
"""Characters of a key kept in clear, so people can tell their keys apart."""


class ApiKey(TimestampMixin, Base):
    """An API key that acts on behalf of a user, with that user's role.

    Only the SHA-256 digest of the key is stored; the key itself is shown once,
    when it is created. A key stops working when it expires or is revoked.
    """

    __tablename__ = "api_keys"

    id: Mapped[UUID] = mapped_column(primary_key=True, default=uuid4)
    user_id: Mapped[UUID] = mapped_column(
        ForeignKey("users.id", ondelete="CASCADE"), index=True
    )
    name: Mapped[str] = mapped_column(String(length=100))
    prefix: Mapped[str] = mapped_column(String(length=KEY_PREFIX_LENGTH))
    key_digest: Mapped[str] = mapped_column(String(length=64), unique=True)
    expires_at: Mapped[datetime]
    revoked_at: Mapped[datetime | None]
    user: Mapped[User] = relationship(lazy="joined")
