"""The ``Tag`` model: one row of the ``tags`` table."""

from typing import TYPE_CHECKING
from uuid import UUID, uuid4

from sqlalchemy import CheckConstraint, Index, String, column, func
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.core.database import Base, TimestampMixin

if TYPE_CHECKING:
    from app.models.book import Book


class Tag(TimestampMixin, Base):
    """A tag stored in the ``tags`` table."""

    __tablename__ = "tags"
    __table_args__ = (
        CheckConstraint(func.length(column("name")) >= 1, name="name_min_length"),
        Index("ix_tags_created_at", "created_at", "id"),
        Index(
            "ix_tags_name_trgm",
            "name",
            postgresql_using="gin",
            postgresql_ops={"name": "gin_trgm_ops"},
        ).ddl_if(dialect="postgresql"),
        Index(
            "ix_tags_description_trgm",
            "description",
            postgresql_using="gin",
            postgresql_ops={"description": "gin_trgm_ops"},
        ).ddl_if(dialect="postgresql"),
    )

    id: Mapped[UUID] = mapped_column(primary_key=True, default=uuid4)
    name: Mapped[str] = mapped_column(String(50), unique=True)
    description: Mapped[str | None] = mapped_column(String(200))
    books: Mapped[list["Book"]] = relationship(
        secondary="books_tags",
        back_populates="tags",
        passive_deletes=True,
    )
