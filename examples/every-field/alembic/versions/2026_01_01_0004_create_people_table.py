"""Create the people table.

Revision ID: 935898786ed6
Revises: cdf94db09191
Create Date: 2026-01-01 00:04:00+00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

from app.core.database import UtcNow

revision: str = "935898786ed6"
down_revision: str | Sequence[str] | None = "cdf94db09191"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    """Create the people table with its constraints and indexes."""
    op.create_table(
        "people",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("email", sa.String(length=320), nullable=False),
        sa.Column("full_name", sa.String(length=200), nullable=False),
        sa.Column("date", sa.Date(), nullable=True),
        sa.Column(
            "status",
            sa.Enum(
                "active",
                "inactive",
                "banned",
                name="person_status",
                native_enum=False,
                create_constraint=True,
                length=8,
            ),
            nullable=False,
        ),
        sa.Column("score", sa.Numeric(5, 2), nullable=True),
        sa.Column("initial", sa.String(length=1), nullable=True),
        sa.Column("discount", sa.Numeric(2, 2), nullable=True),
        sa.Column("updated_on", sa.DateTime(timezone=True), nullable=True),
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
            sa.func.length(sa.column("full_name")) >= 1,
            name=op.f("ck_people_full_name_min_length"),
        ),
        sa.CheckConstraint(
            sa.column("score") >= -100, name=op.f("ck_people_score_min")
        ),
        sa.CheckConstraint(sa.column("score") <= 100, name=op.f("ck_people_score_max")),
        sa.CheckConstraint(
            sa.column("discount") >= 0, name=op.f("ck_people_discount_min")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_people")),
        sa.UniqueConstraint("email", name=op.f("uq_people_email")),
    )
    op.create_index(op.f("ix_people_created_at"), "people", ["created_at", "id"])
    if op.get_context().dialect.name == "postgresql":
        # Trigram indexes serve the search's ILIKE '%...%' (pg_trgm is a
        # trusted extension: the database's owner may create it).
        op.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
        op.create_index(
            op.f("ix_people_email_trgm"),
            "people",
            ["email"],
            postgresql_using="gin",
            postgresql_ops={"email": "gin_trgm_ops"},
        )
        op.create_index(
            op.f("ix_people_full_name_trgm"),
            "people",
            ["full_name"],
            postgresql_using="gin",
            postgresql_ops={"full_name": "gin_trgm_ops"},
        )
        op.create_index(
            op.f("ix_people_initial_trgm"),
            "people",
            ["initial"],
            postgresql_using="gin",
            postgresql_ops={"initial": "gin_trgm_ops"},
        )


def downgrade() -> None:
    """Drop the people table."""
    if op.get_context().dialect.name == "postgresql":
        op.drop_index(op.f("ix_people_initial_trgm"), table_name="people")
        op.drop_index(op.f("ix_people_full_name_trgm"), table_name="people")
        op.drop_index(op.f("ix_people_email_trgm"), table_name="people")
    op.drop_index(op.f("ix_people_created_at"), table_name="people")
    op.drop_table("people")
