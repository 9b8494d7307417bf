"""The ``Note`` model: one row of the ``notes`` table."""

from uuid import UUID, uuid4

from sqlalchemy import CheckConstraint, Index, String, Text, column, func
from sqlalchemy.orm import Mapped, mapped_column

from app.core.database import Base, TimestampMixin


class Note(TimestampMixin, Base):
    """A note stored in the ``notes`` table."""

    __tablename__ = "notes"
    __table_args__ = (
        CheckConstraint(func.length(column("title")) >= 1, name="title_min_length"),
        Index("ix_notes_created_at", "created_at", "id"),
        Index(
            "ix_notes_title_trgm",
            "title",
            postgresql_using="gin",
            postgresql_ops={"title": "gin_trgm_ops"},
        ).ddl_if(dialect="postgresql"),
        Index(
            "ix_notes_body_trgm",
            "body",
            postgresql_using="gin",
            postgresql_ops={"body": "gin_trgm_ops"},
        ).ddl_if(dialect="postgresql"),
    )

    id: Mapped[UUID] = mapped_column(primary_key=True, default=uuid4)
    title: Mapped[str] = mapped_column(String(120))
    body: Mapped[str | None] = mapped_column(Text())
    pinned: Mapped[bool] = mapped_column(default=False)
