"""The ``Author`` model: one row of the ``authors`` table."""

from datetime import date, datetime
from typing import TYPE_CHECKING
from uuid import UUID, uuid4

from sqlalchemy import CheckConstraint, Index, String, Text, column, func
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.core.database import Base, TimestampMixin

if TYPE_CHECKING:
    from app.models.book import Book


class Author(TimestampMixin, Base):
    """An author stored in the ``authors`` table."""

    __tablename__ = "authors"
    __table_args__ = (
        CheckConstraint(func.length(column("name")) >= 1, name="name_min_length"),
        Index(
            "uq_authors_email",
            "email",
            unique=True,
            sqlite_where=column("deleted_at").is_(None),
            postgresql_where=column("deleted_at").is_(None),
        ),
        Index("ix_authors_created_at", "created_at", "id"),
        Index(
            "ix_authors_name_trgm",
            "name",
            postgresql_using="gin",
            postgresql_ops={"name": "gin_trgm_ops"},
        ).ddl_if(dialect="postgresql"),
        Index(
            "ix_authors_biography_trgm",
            "biography",
            postgresql_using="gin",
            postgresql_ops={"biography": "gin_trgm_ops"},
        ).ddl_if(dialect="postgresql"),
    )

    id: Mapped[UUID] = mapped_column(primary_key=True, default=uuid4)
    name: Mapped[str] = mapped_column(String(200), index=True)
    email: Mapped[str | None] = mapped_column(String(320))
    born_on: Mapped[date | None]
    biography: Mapped[str | None] = mapped_column(Text())
    deleted_at: Mapped[datetime | None] = mapped_column(index=True)
    books: Mapped[list["Book"]] = relationship(
        back_populates="author",
        foreign_keys="Book.author_id",
        passive_deletes="all",
    )
