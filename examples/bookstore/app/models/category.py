"""The ``Category`` model: one row of the ``categories`` table."""

from typing import TYPE_CHECKING
from uuid import UUID, uuid4

from sqlalchemy import CheckConstraint, ForeignKey, Index, String, column, func
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.core.database import Base, TimestampMixin

if TYPE_CHECKING:
    from app.models.book import Book


class Category(TimestampMixin, Base):
    """A category stored in the ``categories`` table."""

    __tablename__ = "categories"
    __table_args__ = (
        CheckConstraint(func.length(column("name")) >= 1, name="name_min_length"),
        Index("ix_categories_created_at", "created_at", "id"),
        Index(
            "ix_categories_name_trgm",
            "name",
            postgresql_using="gin",
            postgresql_ops={"name": "gin_trgm_ops"},
        ).ddl_if(dialect="postgresql"),
    )

    id: Mapped[UUID] = mapped_column(primary_key=True, default=uuid4)
    name: Mapped[str] = mapped_column(String(100), unique=True)
    parent_id: Mapped[UUID | None] = mapped_column(
        ForeignKey("categories.id", ondelete="SET NULL"),
        index=True,
    )
    parent: Mapped["Category | None"] = relationship(
        back_populates="children",
        foreign_keys="Category.parent_id",
        remote_side="Category.id",
    )
    children: Mapped[list["Category"]] = relationship(
        back_populates="parent",
        foreign_keys="Category.parent_id",
        passive_deletes="all",
    )
    books: Mapped[list["Book"]] = relationship(
        back_populates="category",
        foreign_keys="Book.category_id",
        passive_deletes="all",
    )
