"""The ``Book`` model: one row of the ``books`` table."""

from datetime import date
from decimal import Decimal
from enum import StrEnum
from uuid import UUID, uuid4

from sqlalchemy import Enum, Numeric, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from app.core.database import Base, TimestampMixin, enum_values


class BookStatus(StrEnum):
    """The values ``Book.status`` can take."""

    DRAFT = "draft"
    PUBLISHED = "published"
    OUT_OF_PRINT = "out-of-print"


class Book(TimestampMixin, Base):
    """A book stored in the ``books`` table."""

    __tablename__ = "books"

    id: Mapped[UUID] = mapped_column(primary_key=True, default=uuid4)
    title: Mapped[str] = mapped_column(String(200), index=True)
    isbn: Mapped[str] = mapped_column(String(13), unique=True)
    price: Mapped[Decimal] = mapped_column(Numeric(10, 2))
    status: Mapped[BookStatus] = mapped_column(
        Enum(
            BookStatus,
            name="book_status",
            native_enum=False,
            create_constraint=True,
            length=12,
            values_callable=enum_values,
        ),
        default=BookStatus.DRAFT,
    )
    published_on: Mapped[date | None]
    summary: Mapped[str | None] = mapped_column(Text())
