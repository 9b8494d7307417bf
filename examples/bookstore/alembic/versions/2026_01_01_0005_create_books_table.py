"""Create the books table.

Revision ID: 4cfb764c7afa
Revises: d2ee817587b2
Create Date: 2026-01-01 00:05:00+00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

from app.core.database import UtcNow

revision: str = "4cfb764c7afa"
down_revision: str | Sequence[str] | None = "d2ee817587b2"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    """Create the books table, then the tables linking it to others."""
    op.create_table(
        "books",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("title", sa.String(length=200), nullable=False),
        sa.Column("isbn", sa.String(length=13), nullable=False),
        sa.Column("price", sa.Numeric(10, 2), nullable=False),
        sa.Column(
            "status",
            sa.Enum(
                "draft",
                "published",
                "out-of-print",
                name="book_status",
                native_enum=False,
                create_constraint=True,
                length=12,
            ),
            nullable=False,
        ),
        sa.Column("published_on", sa.Date(), nullable=True),
        sa.Column("summary", sa.Text(), nullable=True),
        sa.Column("author_id", sa.Uuid(), nullable=False),
        sa.Column("category_id", sa.Uuid(), nullable=True),
        sa.Column("version", sa.Integer(), server_default=sa.text("1"), nullable=False),
        sa.Column(
            "created_at",
            sa.DateTime(timezone=True),
            server_default=UtcNow(),
            nullable=False,
        ),
        sa.Column(
            "updated_at",
            sa.DateTime(timezone=True),
            server_default=UtcNow(),
            nullable=False,
        ),
        sa.CheckConstraint(
            sa.func.length(sa.column("title")) >= 1,
            name=op.f("ck_books_title_min_length"),
        ),
        sa.CheckConstraint(
            sa.func.length(sa.column("isbn")) >= 1,
            name=op.f("ck_books_isbn_min_length"),
        ),
        sa.CheckConstraint(sa.column("price") >= 0, name=op.f("ck_books_price_min")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_books")),
        sa.ForeignKeyConstraint(
            ["author_id"],
            ["authors.id"],
            name=op.f("fk_books_author_id_authors"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["category_id"],
            ["categories.id"],
            name=op.f("fk_books_category_id_categories"),
            ondelete="SET NULL",
        ),
        sa.UniqueConstraint("isbn", name=op.f("uq_books_isbn")),
    )
    op.create_index(op.f("ix_books_title"), "books", ["title"])
    op.create_index(op.f("ix_books_author_id"), "books", ["author_id"])
    op.create_index(op.f("ix_books_category_id"), "books", ["category_id"])
    op.create_index(op.f("ix_books_created_at"), "books", ["created_at", "id"])
    if op.get_context().dialect.name == "postgresql":
        # Trigram indexes serve the search's ILIKE '%...%' (pg_trgm is a
        # trusted extension: the database's owner may create it).
        op.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
        op.create_index(
            op.f("ix_books_title_trgm"),
            "books",
            ["title"],
            postgresql_using="gin",
            postgresql_ops={"title": "gin_trgm_ops"},
        )
        op.create_index(
            op.f("ix_books_isbn_trgm"),
            "books",
            ["isbn"],
            postgresql_using="gin",
            postgresql_ops={"isbn": "gin_trgm_ops"},
        )
        op.create_index(
            op.f("ix_books_summary_trgm"),
            "books",
            ["summary"],
            postgresql_using="gin",
            postgresql_ops={"summary": "gin_trgm_ops"},
        )
    op.create_table(
        "books_tags",
        sa.Column("book_id", sa.Uuid(), nullable=False),
        sa.Column("tag_id", sa.Uuid(), nullable=False),
        sa.ForeignKeyConstraint(
            ["book_id"],
            ["books.id"],
            name=op.f("fk_books_tags_book_id_books"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["tag_id"],
            ["tags.id"],
            name=op.f("fk_books_tags_tag_id_tags"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("book_id", "tag_id", name=op.f("pk_books_tags")),
    )
    op.create_index(op.f("ix_books_tags_tag_id"), "books_tags", ["tag_id"])


def downgrade() -> None:
    """Drop the books table and its association tables."""
    op.drop_index(op.f("ix_books_tags_tag_id"), table_name="books_tags")
    op.drop_table("books_tags")
    if op.get_context().dialect.name == "postgresql":
        op.drop_index(op.f("ix_books_summary_trgm"), table_name="books")
        op.drop_index(op.f("ix_books_isbn_trgm"), table_name="books")
        op.drop_index(op.f("ix_books_title_trgm"), table_name="books")
    op.drop_index(op.f("ix_books_created_at"), table_name="books")
    op.drop_index(op.f("ix_books_category_id"), table_name="books")
    op.drop_index(op.f("ix_books_author_id"), table_name="books")
    op.drop_index(op.f("ix_books_title"), table_name="books")
    op.drop_table("books")
