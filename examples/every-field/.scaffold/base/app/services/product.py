"""Business rules for products: every change goes through here."""

from collections.abc import Awaitable
from typing import Any

from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession

from app.core.errors import ConflictError, NotFoundError
from app.models.product import Product
from app.repositories.product import ProductRepository
from app.schemas.common import Page
from app.schemas.product import ProductCreate, ProductQuery, ProductRead, ProductUpdate


class ProductService:
    """Lists, creates, changes and deletes products.

    Raises :class:`~app.core.errors.AppError` subclasses, never ``HTTPException``.

    Args:
        session: The session of the current request.
    """

    def __init__(self, session: AsyncSession) -> None:
        self.repository = ProductRepository(session)

    async def list(self, query: ProductQuery) -> Page[ProductRead]:
        """Return one page of products matching ``query``."""
        rows, total = await self.repository.list(query)
        return Page[ProductRead].create(
            [ProductRead.model_validate(row) for row in rows],
            total=total,
            page=query.page,
            size=query.size,
        )

    async def get(self, product_id: int) -> Product:
        """Return the product with this id.

        Raises:
            NotFoundError: No product has this id.
        """
        product = await self.repository.get(product_id)
        if product is None:
            raise NotFoundError(f"Product {product_id} not found")
        return product

    async def create(self, data: ProductCreate) -> Product:
        """Create a product.

        Raises:
            ConflictError: A unique field's value is taken.
        """
        values = data.model_dump()
        await self._ensure_unique(values)
        return await self._write(self.repository.add(Product(**values)))

    async def replace(self, product: Product, data: ProductCreate) -> Product:
        """Replace every field of ``product`` with ``data``.

        Raises:
            ConflictError: A unique field's value is taken by another product.
        """
        return await self._change(product, data.model_dump())

    async def update(self, product: Product, data: ProductUpdate) -> Product:
        """Change the fields of ``product`` that ``data`` sets.

        Raises:
            ConflictError: A unique field's value is taken by another product.
        """
        return await self._change(product, data.model_dump(exclude_unset=True))

    async def delete(self, product: Product) -> None:
        """Delete ``product``.

        Raises:
            ConflictError: Rows that may not lose it still refer to it.
        """
        try:
            await self.repository.delete(product)
        except IntegrityError as exc:
            raise ConflictError(
                "The product is still referred to and cannot be deleted"
            ) from exc

    async def _change(self, product: Product, values: dict[str, Any]) -> Product:
        await self._ensure_unique(values, product.id)
        for field, value in values.items():
            setattr(product, field, value)
        return await self._write(self.repository.save(product))

    async def _ensure_unique(
        self, values: dict[str, Any], product_id: int | None = None
    ) -> None:
        """Refuse values of unique fields that another product already has."""
        if values.get("sku") is not None:
            other = await self.repository.get_by_sku(values["sku"])
            if other is not None and other.id != product_id:
                raise ConflictError("A product with this sku already exists")

    @staticmethod
    async def _write(pending: Awaitable[Product]) -> Product:
        """Await a write, answering a constraint the database enforced with 409."""
        try:
            return await pending
        except IntegrityError as exc:
            raise ConflictError("The product conflicts with existing data") from exc
