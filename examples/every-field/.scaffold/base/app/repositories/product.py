"""Database access for products: queries only, no business rules."""

from collections.abc import Sequence
from typing import Any

from sqlalchemy import func, or_, select
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import InstrumentedAttribute

from app.core.database import escape_like
from app.models.product import Product
from app.schemas.product import ProductQuery

_SORTABLE: dict[str, InstrumentedAttribute[Any]] = {
    "sku": Product.sku,
    "name": Product.name,
    "description": Product.description,
    "price": Product.price,
    "weight_kg": Product.weight_kg,
    "stock": Product.stock,
    "active": Product.active,
    "released_on": Product.released_on,
    "restocked_at": Product.restocked_at,
    "supplier_ref": Product.supplier_ref,
    "contact": Product.contact,
    "homepage": Product.homepage,
    "packaging": Product.packaging,
    "created_at": Product.created_at,
    "updated_at": Product.updated_at,
}
"""The columns ``sort`` may name."""


class ProductRepository:
    """Reads and writes ``Product`` rows through one session.

    Args:
        session: The session of the current request.
    """

    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def get(self, product_id: int) -> Product | None:
        """Return the product with this id, or ``None``."""
        return await self.session.get(Product, product_id)

    async def get_by_sku(self, sku: str) -> Product | None:
        """Return the product whose sku is ``sku``, or ``None``."""
        return await self.session.scalar(select(Product).where(Product.sku == sku))

    async def list(self, query: ProductQuery) -> tuple[Sequence[Product], int]:
        """Return one page of the products that match ``query``.

        Args:
            query: Paging, filters, search and sort order.

        Returns:
            The products on the page and how many match in all.
        """
        statement = select(Product)
        if query.sku is not None:
            statement = statement.where(Product.sku == query.sku)
        if query.name is not None:
            statement = statement.where(Product.name == query.name)
        if query.active is not None:
            statement = statement.where(Product.active == query.active)
        if query.packaging is not None:
            statement = statement.where(Product.packaging == query.packaging)
        if query.q is not None:
            pattern = f"%{escape_like(query.q)}%"
            statement = statement.where(
                or_(
                    Product.name.ilike(pattern, escape="\\"),
                    Product.description.ilike(pattern, escape="\\"),
                )
            )
        total = await self.session.scalar(
            select(func.count()).select_from(statement.subquery())
        )
        if query.sort is None:
            order = Product.created_at.desc()
        else:
            column = _SORTABLE[query.sort.removeprefix("-")]
            order = column.desc() if query.sort.startswith("-") else column.asc()
        rows = await self.session.scalars(
            statement.order_by(order, Product.id)
            .offset((query.page - 1) * query.size)
            .limit(query.size)
        )
        return rows.all(), total or 0

    async def add(self, product: Product) -> Product:
        """Insert ``product``, then load what the database set."""
        self.session.add(product)
        await self.session.flush()
        await self.session.refresh(product)
        return product

    async def save(self, product: Product) -> Product:
        """Write the changes to ``product``, then reload what the database set."""
        await self.session.flush()
        await self.session.refresh(product)
        return product

    async def delete(self, product: Product) -> None:
        """Delete ``product``."""
        await self.session.delete(product)
        await self.session.flush()
