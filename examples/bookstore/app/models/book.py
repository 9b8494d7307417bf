"""The ``Book`` model: one row of the ``books`` table."""

from datetime import date
from decimal import Decimal
from enum import StrEnum
from typing import TYPE_CHECKING, Any
from uuid import UUID, uuid4

from sqlalchemy import (
    CheckConstraint,
    Column,
    Enum,
    ForeignKey,
    Index,
    Numeric,
    String,
    Table,
    Text,
    column,
    func,
    text,
)
from sqlalchemy.orm import Mapped, declared_attr, mapped_column, relationship

from app.core.database import Base, TimestampMixin, enum_values

if TYPE_CHECKING:
    from app.models.author import Author
    from app.models.category import Category
    from app.models.review import Review
    from app.models.tag import Tag


books_tags = Table(
    "books_tags",
    Base.metadata,
    Column("book_id", ForeignKey("books.id", ondelete="CASCADE"), primary_key=True),
    Column(
        "tag_id",
        ForeignKey("tags.id", ondelete="CASCADE"),
        primary_key=True,
        index=True,
    ),
)
"""Links books to their tags."""


class BookStatus(StrEnum):
    """The values ``Book.status`` can take."""

    DRAFT = "draft"
    PUBLISHED = "published"
    OUT_OF_PRINT = "out-of-print"


class Book(TimestampMixin, Base):
    """A book stored in the ``books`` table."""

    __tablename__ = "books"
    __table_args__ = (
        CheckConstraint(func.length(column("title")) >= 1, name="title_min_length"),
        CheckConstraint(func.length(column("isbn")) >= 1, name="isbn_min_length"),
        CheckConstraint(column("price") >= 0, name="price_min"),
        Index("ix_books_created_at", "created_at", "id"),
        Index(
            "ix_books_title_trgm",
            "title",
            postgresql_using="gin",
            postgresql_ops={"title": "gin_trgm_ops"},
        ).ddl_if(dialect="postgresql"),
        Index(
            "ix_books_isbn_trgm",
            "isbn",
            postgresql_using="gin",
            postgresql_ops={"isbn": "gin_trgm_ops"},
        ).ddl_if(dialect="postgresql"),
        Index(
            "ix_books_summary_trgm",
            "summary",
            postgresql_using="gin",
            postgresql_ops={"summary": "gin_trgm_ops"},
        ).ddl_if(dialect="postgresql"),
    )

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
    version: Mapped[int] = mapped_column(server_default=text("1"))
    """Counts the changes; a write that names an older version matches no row."""
    author_id: Mapped[UUID] = mapped_column(
        ForeignKey("authors.id", ondelete="CASCADE"),
        index=True,
    )
    author: Mapped["Author"] = relationship(
        back_populates="books",
        foreign_keys="Book.author_id",
    )
    category_id: Mapped[UUID | None] = mapped_column(
        ForeignKey("categories.id", ondelete="SET NULL"),
        index=True,
    )
    category: Mapped["Category | None"] = relationship(
        back_populates="books",
        foreign_keys="Book.category_id",
    )
    tags: Mapped[list["Tag"]] = relationship(
        secondary=books_tags,
        back_populates="books",
        passive_deletes=True,
    )
    reviews: Mapped[list["Review"]] = relationship(
        back_populates="book",
        foreign_keys="Review.book_id",
        passive_deletes="all",
    )

    @property
    def tag_ids(self) -> list[UUID]:
        """The ids of the tags, in the order they were loaded."""
        return [tag.id for tag in self.tags]

    @declared_attr.directive
    def __mapper_args__(cls) -> dict[str, Any]:
        """The base's options, and ``version`` as the counter every write checks."""
        return {
            "eager_defaults": True,
            "version_id_col": cls.__table__.c.version,
            "version_id_generator": False,
        }
