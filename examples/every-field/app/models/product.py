"""The ``Product`` model: one row of the ``products`` table."""

from datetime import date, datetime
from decimal import Decimal
from enum import StrEnum
from typing import Any
from uuid import UUID

from sqlalchemy import (
    JSON,
    CheckConstraint,
    Double,
    Enum,
    Index,
    Numeric,
    String,
    Text,
    column,
    func,
)
from sqlalchemy.orm import Mapped, mapped_column

from app.core.database import Base, TimestampMixin, enum_values


class ProductPackaging(StrEnum):
    """The values ``Product.packaging`` can take."""

    SMALL = "small"
    MEDIUM = "medium"
    LARGE = "large"


class Product(TimestampMixin, Base):
    """A product stored in the ``products`` table."""

    __tablename__ = "products"
    __table_args__ = (
        CheckConstraint(func.length(column("sku")) >= 1, name="sku_min_length"),
        CheckConstraint(func.length(column("name")) >= 2, name="name_min_length"),
        CheckConstraint(
            func.length(column("description")) <= 2000, name="description_max_length"
        ),
        CheckConstraint(column("price") >= 0, name="price_min"),
        CheckConstraint(column("price") <= 100000, name="price_max"),
        CheckConstraint(column("weight_kg") >= 0, name="weight_kg_min"),
        CheckConstraint(column("weight_kg") <= 1000, name="weight_kg_max"),
        CheckConstraint(column("stock") >= 0, name="stock_min"),
        Index("ix_products_created_at", "created_at", "id"),
        Index(
            "ix_products_name_trgm",
            "name",
            postgresql_using="gin",
            postgresql_ops={"name": "gin_trgm_ops"},
        ).ddl_if(dialect="postgresql"),
        Index(
            "ix_products_description_trgm",
            "description",
            postgresql_using="gin",
            postgresql_ops={"description": "gin_trgm_ops"},
        ).ddl_if(dialect="postgresql"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    sku: Mapped[str] = mapped_column(String(12), unique=True)
    name: Mapped[str] = mapped_column(String(120), index=True)
    description: Mapped[str | None] = mapped_column(Text())
    price: Mapped[Decimal] = mapped_column(Numeric(10, 2))
    weight_kg: Mapped[float | None] = mapped_column(Double())
    stock: Mapped[int] = mapped_column(default=0)
    active: Mapped[bool] = mapped_column(default=True)
    released_on: Mapped[date | None]
    restocked_at: Mapped[datetime | None]
    supplier_ref: Mapped[UUID | None]
    contact: Mapped[str | None] = mapped_column(String(320))
    homepage: Mapped[str | None] = mapped_column(String(2083))
    attributes: Mapped[dict[str, Any] | None] = mapped_column(JSON())
    packaging: Mapped[ProductPackaging] = mapped_column(
        Enum(
            ProductPackaging,
            name="product_packaging",
            native_enum=False,
            create_constraint=True,
            length=6,
            values_callable=enum_values,
        ),
        default=ProductPackaging.MEDIUM,
    )
