"""Create the authors table.

Revision ID: 096a503b0379
Revises: 8d2b6f4e1a9c
Create Date: 2026-01-01 00:02:00+00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

from app.core.database import UtcNow

revision: str = "096a503b0379"
down_revision: str | Sequence[str] | None = "8d2b6f4e1a9c"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    """Create the authors table with its constraints and indexes."""
    op.create_table(
        "authors",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("email", sa.String(length=320), nullable=True),
        sa.Column("born_on", sa.Date(), nullable=True),
        sa.Column("biography", sa.Text(), nullable=True),
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
        sa.Column("deleted_at", sa.DateTime(timezone=True), nullable=True),
        sa.CheckConstraint(
            sa.func.length(sa.column("name")) >= 1,
            name=op.f("ck_authors_name_min_length"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_authors")),
    )
    op.create_index(op.f("ix_authors_name"), "authors", ["name"])
    op.create_index(op.f("ix_authors_deleted_at"), "authors", ["deleted_at"])
    op.create_index(
        op.f("uq_authors_email"),
        "authors",
        ["email"],
        unique=True,
        sqlite_where=sa.column("deleted_at").is_(None),
        postgresql_where=sa.column("deleted_at").is_(None),
    )
    op.create_index(op.f("ix_authors_created_at"), "authors", ["created_at", "id"])
    if op.get_context().dialect.name == "postgresql":
        # Trigram indexes serve the search's ILIKE '%...%' (pg_trgm is a
        # trusted extension: the database's owner may create it).
        op.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
        op.create_index(
            op.f("ix_authors_name_trgm"),
            "authors",
            ["name"],
            postgresql_using="gin",
            postgresql_ops={"name": "gin_trgm_ops"},
        )
        op.create_index(
            op.f("ix_authors_biography_trgm"),
            "authors",
            ["biography"],
            postgresql_using="gin",
            postgresql_ops={"biography": "gin_trgm_ops"},
        )


def downgrade() -> None:
    """Drop the authors table."""
    if op.get_context().dialect.name == "postgresql":
        op.drop_index(op.f("ix_authors_biography_trgm"), table_name="authors")
        op.drop_index(op.f("ix_authors_name_trgm"), table_name="authors")
    op.drop_index(op.f("ix_authors_created_at"), table_name="authors")
    op.drop_index(op.f("uq_authors_email"), table_name="authors")
    op.drop_index(op.f("ix_authors_deleted_at"), table_name="authors")
    op.drop_index(op.f("ix_authors_name"), table_name="authors")
    op.drop_table("authors")
