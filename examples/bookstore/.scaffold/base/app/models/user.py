"""The ``User`` model: one account of the ``users`` table."""

from enum import StrEnum
from uuid import UUID, uuid4

from sqlalchemy import CheckConstraint, Enum, String
from sqlalchemy.orm import Mapped, mapped_column

from app.core.database import Base, TimestampMixin, enum_values

EMAIL_LENGTH = 320


class Role(StrEnum):
    """What a user may do: ``admin`` also manages the other users."""

    USER = "user"
    ADMIN = "admin"


class User(TimestampMixin, Base):
    """A user who can sign in; only the hash of the password is stored.

    Email addresses are stored in lower case, which the database checks, so
    that its unique constraint makes them unique in any case.
    """

    __tablename__ = "users"
    __table_args__ = (CheckConstraint("email = lower(email)", name="email_lower"),)

    id: Mapped[UUID] = mapped_column(primary_key=True, default=uuid4)
    email: Mapped[str] = mapped_column(String(length=EMAIL_LENGTH), unique=True)
    hashed_password: Mapped[str] = mapped_column(String(length=255))
    role: Mapped[Role] = mapped_column(
        Enum(
            Role,
            name="user_role",
            native_enum=False,
            create_constraint=True,
            length=5,
            values_callable=enum_values,
        ),
        default=Role.USER,
    )
    is_active: Mapped[bool] = mapped_column(default=True)
