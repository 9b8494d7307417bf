"""Create the notes table.

Revision ID: 79143c1c4264
Revises:
Create Date: 2026-01-01 00:00:00+00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

from app.core.database import UtcNow

revision: str = "79143c1c4264"
down_revision: str | Sequence[str] | None = None
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    """Create the notes table with its constraints and indexes."""
    op.create_table(
        "notes",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("title", sa.String(length=120), nullable=False),
        sa.Column("body", sa.Text(), nullable=True),
        sa.Column("pinned", sa.Boolean(), nullable=False),
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
            name=op.f("ck_notes_title_min_length"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_notes")),
    )
    op.create_index(op.f("ix_notes_created_at"), "notes", ["created_at", "id"])
    if op.get_context().dialect.name == "postgresql":
        # Trigram indexes serve the search's ILIKE '%...%' (pg_trgm is a
        # trusted extension: the database's owner may create it).
        op.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
        op.create_index(
            op.f("ix_notes_title_trgm"),
            "notes",
            ["title"],
            postgresql_using="gin",
            postgresql_ops={"title": "gin_trgm_ops"},
        )
        op.create_index(
            op.f("ix_notes_body_trgm"),
            "notes",
            ["body"],
            postgresql_using="gin",
            postgresql_ops={"body": "gin_trgm_ops"},
        )


def downgrade() -> None:
    """Drop the notes table."""
    if op.get_context().dialect.name == "postgresql":
        op.drop_index(op.f("ix_notes_body_trgm"), table_name="notes")
        op.drop_index(op.f("ix_notes_title_trgm"), table_name="notes")
    op.drop_index(op.f("ix_notes_created_at"), table_name="notes")
    op.drop_table("notes")
