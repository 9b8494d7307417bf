"""The ``Category`` model: one row of the ``categories`` table."""

from sqlalchemy import CheckConstraint, Index, String, column, func
from sqlalchemy.orm import Mapped, mapped_column

from app.core.database import Base, TimestampMixin


class Category(TimestampMixin, Base):
    """A category stored in the ``categories`` table."""

    __tablename__ = "categories"
    __table_args__ = (
        CheckConstraint(func.length(column("title")) >= 1, name="title_min_length"),
        CheckConstraint(func.length(column("slug")) >= 1, name="slug_min_length"),
        CheckConstraint(column("position") >= 1, name="position_min"),
        CheckConstraint(column("position") <= 999, name="position_max"),
        Index("ix_categories_created_at", "created_at", "id"),
        Index(
            "ix_categories_title_trgm",
            "title",
            postgresql_using="gin",
            postgresql_ops={"title": "gin_trgm_ops"},
        ).ddl_if(dialect="postgresql"),
        Index(
            "ix_categories_slug_trgm",
            "slug",
            postgresql_using="gin",
            postgresql_ops={"slug": "gin_trgm_ops"},
        ).ddl_if(dialect="postgresql"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    title: Mapped[str] = mapped_column(String(80), unique=True)
    slug: Mapped[str] = mapped_column(String(80), unique=True)
    position: Mapped[int] = mapped_column(index=True, default=1)
