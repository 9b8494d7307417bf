"""The ``Review`` model: one row of the ``reviews`` table."""

from datetime import datetime
from typing import TYPE_CHECKING
from uuid import UUID, uuid4

from sqlalchemy import CheckConstraint, ForeignKey, Index, String, Text, column, func
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.core.database import Base, TimestampMixin

if TYPE_CHECKING:
    from app.models.book import Book


class Review(TimestampMixin, Base):
    """A review stored in the ``reviews`` table."""

    __tablename__ = "reviews"
    __table_args__ = (
        CheckConstraint(
            func.length(column("reviewer")) >= 1, name="reviewer_min_length"
        ),
        CheckConstraint(column("rating") >= 1, name="rating_min"),
        CheckConstraint(column("rating") <= 5, name="rating_max"),
        CheckConstraint(func.length(column("body")) <= 5000, name="body_max_length"),
        Index("ix_reviews_created_at", "created_at", "id"),
        Index(
            "ix_reviews_reviewer_trgm",
            "reviewer",
            postgresql_using="gin",
            postgresql_ops={"reviewer": "gin_trgm_ops"},
        ).ddl_if(dialect="postgresql"),
        Index(
            "ix_reviews_body_trgm",
            "body",
            postgresql_using="gin",
            postgresql_ops={"body": "gin_trgm_ops"},
        ).ddl_if(dialect="postgresql"),
    )

    id: Mapped[UUID] = mapped_column(primary_key=True, default=uuid4)
    reviewer: Mapped[str] = mapped_column(String(100))
    rating: Mapped[int]
    body: Mapped[str | None] = mapped_column(Text())
    posted_at: Mapped[datetime]
    owner_id: Mapped[UUID] = mapped_column(
        ForeignKey("users.id", ondelete="CASCADE"), index=True
    )
    book_id: Mapped[UUID] = mapped_column(
        ForeignKey("books.id", ondelete="RESTRICT"),
        index=True,
    )
    book: Mapped["Book"] = relationship(
        back_populates="reviews",
        foreign_keys="Review.book_id",
    )
