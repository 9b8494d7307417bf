"""Create the categories table.

Revision ID: cdf94db09191
Revises: 2252e5fa65db
Create Date: 2026-01-01 00:03:00+00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

from app.core.database import UtcNow

revision: str = "cdf94db09191"
down_revision: str | Sequence[str] | None = "2252e5fa65db"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    """Create the categories table with its constraints and indexes."""
    op.create_table(
        "categories",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("title", sa.String(length=80), nullable=False),
        sa.Column("slug", sa.String(length=80), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
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
            name=op.f("ck_categories_title_min_length"),
        ),
        sa.CheckConstraint(
            sa.func.length(sa.column("slug")) >= 1,
            name=op.f("ck_categories_slug_min_length"),
        ),
        sa.CheckConstraint(
            sa.column("position") >= 1, name=op.f("ck_categories_position_min")
        ),
        sa.CheckConstraint(
            sa.column("position") <= 999, name=op.f("ck_categories_position_max")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_categories")),
        sa.UniqueConstraint("title", name=op.f("uq_categories_title")),
        sa.UniqueConstraint("slug", name=op.f("uq_categories_slug")),
    )
    op.create_index(op.f("ix_categories_position"), "categories", ["position"])
    op.create_index(
        op.f("ix_categories_created_at"), "categories", ["created_at", "id"]
    )
    if op.get_context().dialect.name == "postgresql":
        # Trigram indexes serve the search's ILIKE '%...%' (pg_trgm is a
        # trusted extension: the database's owner may create it).
        op.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
        op.create_index(
            op.f("ix_categories_title_trgm"),
            "categories",
            ["title"],
            postgresql_using="gin",
            postgresql_ops={"title": "gin_trgm_ops"},
        )
        op.create_index(
            op.f("ix_categories_slug_trgm"),
            "categories",
            ["slug"],
            postgresql_using="gin",
            postgresql_ops={"slug": "gin_trgm_ops"},
        )


def downgrade() -> None:
    """Drop the categories table."""
    if op.get_context().dialect.name == "postgresql":
        op.drop_index(op.f("ix_categories_slug_trgm"), table_name="categories")
        op.drop_index(op.f("ix_categories_title_trgm"), table_name="categories")
    op.drop_index(op.f("ix_categories_created_at"), table_name="categories")
    op.drop_index(op.f("ix_categories_position"), table_name="categories")
    op.drop_table("categories")
