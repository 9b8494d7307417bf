"""Create the products table.

Revision ID: 2252e5fa65db
Revises: 8d2b6f4e1a9c
Create Date: 2026-01-01 00:02:00+00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

from app.core.database import UtcNow

revision: str = "2252e5fa65db"
down_revision: str | Sequence[str] | None = "8d2b6f4e1a9c"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    """Create the products table with its constraints and indexes."""
    op.create_table(
        "products",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("sku", sa.String(length=12), nullable=False),
        sa.Column("name", sa.String(length=120), nullable=False),
        sa.Column("description", sa.Text(), nullable=True),
        sa.Column("price", sa.Numeric(10, 2), nullable=False),
        sa.Column("weight_kg", sa.Double(), nullable=True),
        sa.Column("stock", sa.Integer(), nullable=False),
        sa.Column("active", sa.Boolean(), nullable=False),
        sa.Column("released_on", sa.Date(), nullable=True),
        sa.Column("restocked_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("supplier_ref", sa.Uuid(), nullable=True),
        sa.Column("contact", sa.String(length=320), nullable=True),
        sa.Column("homepage", sa.String(length=2083), nullable=True),
        sa.Column("attributes", sa.JSON(), nullable=True),
        sa.Column(
            "packaging",
            sa.Enum(
                "small",
                "medium",
                "large",
                name="product_packaging",
                native_enum=False,
                create_constraint=True,
                length=6,
            ),
            nullable=False,
        ),
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
            sa.func.length(sa.column("sku")) >= 1,
            name=op.f("ck_products_sku_min_length"),
        ),
        sa.CheckConstraint(
            sa.func.length(sa.column("name")) >= 2,
            name=op.f("ck_products_name_min_length"),
        ),
        sa.CheckConstraint(
            sa.func.length(sa.column("description")) <= 2000,
            name=op.f("ck_products_description_max_length"),
        ),
        sa.CheckConstraint(sa.column("price") >= 0, name=op.f("ck_products_price_min")),
        sa.CheckConstraint(
            sa.column("price") <= 100000, name=op.f("ck_products_price_max")
        ),
        sa.CheckConstraint(
            sa.column("weight_kg") >= 0, name=op.f("ck_products_weight_kg_min")
        ),
        sa.CheckConstraint(
            sa.column("weight_kg") <= 1000, name=op.f("ck_products_weight_kg_max")
        ),
        sa.CheckConstraint(sa.column("stock") >= 0, name=op.f("ck_products_stock_min")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_products")),
        sa.UniqueConstraint("sku", name=op.f("uq_products_sku")),
    )
    op.create_index(op.f("ix_products_name"), "products", ["name"])
    op.create_index(op.f("ix_products_created_at"), "products", ["created_at", "id"])
    if op.get_context().dialect.name == "postgresql":
        # Trigram indexes serve the search's ILIKE '%...%' (pg_trgm is a
        # trusted extension: the database's owner may create it).
        op.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
        op.create_index(
            op.f("ix_products_name_trgm"),
            "products",
            ["name"],
            postgresql_using="gin",
            postgresql_ops={"name": "gin_trgm_ops"},
        )
        op.create_index(
            op.f("ix_products_description_trgm"),
            "products",
            ["description"],
            postgresql_using="gin",
            postgresql_ops={"description": "gin_trgm_ops"},
        )


def downgrade() -> None:
    """Drop the products table."""
    if op.get_context().dialect.name == "postgresql":
        op.drop_index(op.f("ix_products_description_trgm"), table_name="products")
        op.drop_index(op.f("ix_products_name_trgm"), table_name="products")
    op.drop_index(op.f("ix_products_created_at"), table_name="products")
    op.drop_index(op.f("ix_products_name"), table_name="products")
    op.drop_table("products")
