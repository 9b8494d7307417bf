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
    column.key: column
    for column in (
        Product.sku,
        Product.name,
        Product.price,
        Product.weight_kg,
        Product.stock,
        Product.active,
        Product.released_on,
        Product.restocked_at,
        Product.supplier_ref,
        Product.contact,
        Product.homepage,
        Product.packaging,
        Product.created_at,
        Product.updated_at,
    )
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
            statement = statement.where(Product.sku.in_(query.sku))
        if query.name is not None:
            statement = statement.where(Product.name.in_(query.name))
        if query.description__isnull is not None:
            statement = statement.where(
                Product.description.is_(None)
                if query.description__isnull
                else Product.description.is_not(None)
            )
        if query.price__gte is not None:
            statement = statement.where(Product.price >= query.price__gte)
        if query.price__lte is not None:
            statement = statement.where(Product.price <= query.price__lte)
        if query.price__gt is not None:
            statement = statement.where(Product.price > query.price__gt)
        if query.price__lt is not None:
            statement = statement.where(Product.price < query.price__lt)
        if query.weight_kg__gte is not None:
            statement = statement.where(Product.weight_kg >= query.weight_kg__gte)
        if query.weight_kg__lte is not None:
            statement = statement.where(Product.weight_kg <= query.weight_kg__lte)
        if query.weight_kg__gt is not None:
            statement = statement.where(Product.weight_kg > query.weight_kg__gt)
        if query.weight_kg__lt is not None:
            statement = statement.where(Product.weight_kg < query.weight_kg__lt)
        if query.weight_kg__isnull is not None:
            statement = statement.where(
                Product.weight_kg.is_(None)
                if query.weight_kg__isnull
                else Product.weight_kg.is_not(None)
            )
        if query.stock__gte is not None:
            statement = statement.where(Product.stock >= query.stock__gte)
        if query.stock__lte is not None:
            statement = statement.where(Product.stock <= query.stock__lte)
        if query.stock__gt is not None:
            statement = statement.where(Product.stock > query.stock__gt)
        if query.stock__lt is not None:
            statement = statement.where(Product.stock < query.stock__lt)
        if query.active is not None:
            statement = statement.where(Product.active == query.active)
        if query.released_on__gte is not None:
            statement = statement.where(Product.released_on >= query.released_on__gte)
        if query.released_on__lte is not None:
            statement = statement.where(Product.released_on <= query.released_on__lte)
        if query.released_on__gt is not None:
            statement = statement.where(Product.released_on > query.released_on__gt)
        if query.released_on__lt is not None:
            statement = statement.where(Product.released_on < query.released_on__lt)
        if query.released_on__isnull is not None:
            statement = statement.where(
                Product.released_on.is_(None)
                if query.released_on__isnull
                else Product.released_on.is_not(None)
            )
        if query.restocked_at__gte is not None:
            statement = statement.where(Product.restocked_at >= query.restocked_at__gte)
        if query.restocked_at__lte is not None:
            statement = statement.where(Product.restocked_at <= query.restocked_at__lte)
        if query.restocked_at__gt is not None:
            statement = statement.where(Product.restocked_at > query.restocked_at__gt)
        if query.restocked_at__lt is not None:
            statement = statement.where(Product.restocked_at < query.restocked_at__lt)
        if query.restocked_at__isnull is not None:
            statement = statement.where(
                Product.restocked_at.is_(None)
                if query.restocked_at__isnull
                else Product.restocked_at.is_not(None)
            )
        if query.supplier_ref__isnull is not None:
            statement = statement.where(
                Product.supplier_ref.is_(None)
                if query.supplier_ref__isnull
                else Product.supplier_ref.is_not(None)
            )
        if query.contact__isnull is not None:
            statement = statement.where(
                Product.contact.is_(None)
                if query.contact__isnull
                else Product.contact.is_not(None)
            )
        if query.homepage__isnull is not None:
            statement = statement.where(
                Product.homepage.is_(None)
                if query.homepage__isnull
                else Product.homepage.is_not(None)
            )
        if query.packaging is not None:
            statement = statement.where(Product.packaging.in_(query.packaging))
        if query.q is not None:
            pattern = f"%{escape_like(query.q)}%"
            statement = statement.where(
                or_(
                    Product.name.ilike(pattern, escape="\\"),
                    Product.description.ilike(pattern, escape="\\"),
                )
            )
        # Newest first by default, which the (created_at, id) index serves; the
        # id breaks ties in the same direction, so pages never overlap.
        sort = query.sort or "-created_at"
        column = _SORTABLE[sort.removeprefix("-")]
        if sort.startswith("-"):
            order = (column.desc(), Product.id.desc())
        else:
            order = (column.asc(), Product.id.asc())
        offset = (query.page - 1) * query.size
        rows = (
            await self.session.scalars(
                statement.order_by(*order).offset(offset).limit(query.size)
            )
        ).all()
        # A page that is not full (or an empty first page) tells the total
        # itself; only a full page, or one past the end, needs the count.
        if 0 < len(rows) < query.size or (offset == 0 and not rows):
            return rows, offset + len(rows)
        total = await self.session.scalar(
            select(func.count()).select_from(statement.subquery())
        )
        return rows, total or 0

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
