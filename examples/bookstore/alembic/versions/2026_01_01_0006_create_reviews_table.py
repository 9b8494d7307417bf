"""Create the reviews table.

Revision ID: 34b2f1c59504
Revises: 4cfb764c7afa
Create Date: 2026-01-01 00:06:00+00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

from app.core.database import UtcNow

revision: str = "34b2f1c59504"
down_revision: str | Sequence[str] | None = "4cfb764c7afa"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    """Create the reviews table with its constraints and indexes."""
    op.create_table(
        "reviews",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("reviewer", sa.String(length=100), nullable=False),
        sa.Column("rating", sa.Integer(), nullable=False),
        sa.Column("body", sa.Text(), nullable=True),
        sa.Column("posted_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("book_id", sa.Uuid(), nullable=False),
        sa.Column("owner_id", sa.Uuid(), nullable=False),
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
            sa.func.length(sa.column("reviewer")) >= 1,
            name=op.f("ck_reviews_reviewer_min_length"),
        ),
        sa.CheckConstraint(
            sa.column("rating") >= 1, name=op.f("ck_reviews_rating_min")
        ),
        sa.CheckConstraint(
            sa.column("rating") <= 5, name=op.f("ck_reviews_rating_max")
        ),
        sa.CheckConstraint(
            sa.func.length(sa.column("body")) <= 5000,
            name=op.f("ck_reviews_body_max_length"),
        ),
        sa.ForeignKeyConstraint(
            ["owner_id"],
            ["users.id"],
            name=op.f("fk_reviews_owner_id_users"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_reviews")),
        sa.ForeignKeyConstraint(
            ["book_id"],
            ["books.id"],
            name=op.f("fk_reviews_book_id_books"),
            ondelete="RESTRICT",
        ),
    )
    op.create_index(op.f("ix_reviews_book_id"), "reviews", ["book_id"])
    op.create_index(op.f("ix_reviews_owner_id"), "reviews", ["owner_id"])
    op.create_index(op.f("ix_reviews_created_at"), "reviews", ["created_at", "id"])
    if op.get_context().dialect.name == "postgresql":
        # Trigram indexes serve the search's ILIKE '%...%' (pg_trgm is a
        # trusted extension: the database's owner may create it).
        op.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
        op.create_index(
            op.f("ix_reviews_reviewer_trgm"),
            "reviews",
            ["reviewer"],
            postgresql_using="gin",
            postgresql_ops={"reviewer": "gin_trgm_ops"},
        )
        op.create_index(
            op.f("ix_reviews_body_trgm"),
            "reviews",
            ["body"],
            postgresql_using="gin",
            postgresql_ops={"body": "gin_trgm_ops"},
        )


def downgrade() -> None:
    """Drop the reviews table."""
    if op.get_context().dialect.name == "postgresql":
        op.drop_index(op.f("ix_reviews_body_trgm"), table_name="reviews")
        op.drop_index(op.f("ix_reviews_reviewer_trgm"), table_name="reviews")
    op.drop_index(op.f("ix_reviews_created_at"), table_name="reviews")
    op.drop_index(op.f("ix_reviews_owner_id"), table_name="reviews")
    op.drop_index(op.f("ix_reviews_book_id"), table_name="reviews")
    op.drop_table("reviews")
