"""Business rules for categories: every change goes through here."""

from collections.abc import Awaitable
from typing import Any
from uuid import UUID

from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession

from app.core.errors import ConflictError, InvalidReferenceError, NotFoundError
from app.models.category import Category
from app.repositories.category import CategoryRepository
from app.schemas.category import (
    CategoryCreate,
    CategoryQuery,
    CategoryRead,
    CategoryUpdate,
)
from app.schemas.common import Page


class CategoryService:
    """Lists, creates, changes and deletes categories.

    Raises :class:`~app.core.errors.AppError` subclasses, never ``HTTPException``.

    Args:
        session: The session of the current request.
    """

    def __init__(self, session: AsyncSession) -> None:
        self.repository = CategoryRepository(session)

    async def list(self, query: CategoryQuery) -> Page[CategoryRead]:
        """Return one page of categories matching ``query``."""
        rows, total = await self.repository.list(query)
        return Page[CategoryRead].create(
            [CategoryRead.model_validate(row) for row in rows],
            total=total,
            page=query.page,
            size=query.size,
        )

    async def get(self, category_id: UUID) -> Category:
        """Return the category with this id.

        Raises:
            NotFoundError: No category has this id.
        """
        category = await self.repository.get(category_id)
        if category is None:
            raise NotFoundError(f"Category {category_id} not found")
        return category

    async def create(self, data: CategoryCreate) -> Category:
        """Create a category.

        Raises:
            ConflictError: A unique field's value is taken.
            InvalidReferenceError: A referenced id belongs to no row.
        """
        values = data.model_dump()
        await self._ensure_unique(values)
        await self._resolve_references(values)
        return await self._write(self.repository.add(Category(**values)))

    async def replace(self, category: Category, data: CategoryCreate) -> Category:
        """Replace every field of ``category`` with ``data``.

        Raises:
            ConflictError: A unique field's value is taken by another category.
            InvalidReferenceError: A referenced id belongs to no row.
        """
        return await self._change(category, data.model_dump())

    async def update(self, category: Category, data: CategoryUpdate) -> Category:
        """Change the fields of ``category`` that ``data`` sets.

        Raises:
            ConflictError: A unique field's value is taken by another category.
            InvalidReferenceError: A referenced id belongs to no row.
        """
        return await self._change(category, data.model_dump(exclude_unset=True))

    async def list_by_parent(
        self, parent_id: UUID, query: CategoryQuery
    ) -> Page[CategoryRead]:
        """Return one page of the categories of one parent.

        Raises:
            NotFoundError: No category has this id.
        """
        if await self.repository.get_parent(parent_id) is None:
            raise NotFoundError(f"Category {parent_id} not found")
        return await self.list(query.model_copy(update={"parent_id": [parent_id]}))

    async def delete(self, category: Category) -> None:
        """Delete ``category``.

        Raises:
            ConflictError: Rows that may not lose it still refer to it.
        """
        try:
            await self.repository.delete(category)
        except IntegrityError as exc:
            raise ConflictError(
                "The category is still referred to and cannot be deleted"
            ) from exc

    async def _change(self, category: Category, values: dict[str, Any]) -> Category:
        await self._ensure_unique(values, category.id)
        await self._resolve_references(values)
        for field, value in values.items():
            setattr(category, field, value)
        return await self._write(self.repository.save(category))

    async def _ensure_unique(
        self, values: dict[str, Any], category_id: UUID | None = None
    ) -> None:
        """Refuse values of unique fields that another category already has."""
        if values.get("name") is not None:
            other = await self.repository.get_by_name(values["name"])
            if other is not None and other.id != category_id:
                raise ConflictError("A category with this name already exists")

    async def _resolve_references(self, values: dict[str, Any]) -> None:
        """Refuse ids that belong to no row; replace id lists with the rows.

        Raises:
            InvalidReferenceError: An id belongs to no row (422 naming the field).
        """
        parent_id = values.get("parent_id")
        if (
            parent_id is not None
            and await self.repository.get_parent(parent_id) is None
        ):
            raise InvalidReferenceError("parent_id", "No category has this id")

    @staticmethod
    async def _write(pending: Awaitable[Category]) -> Category:
        """Await a write, answering a constraint the database enforced with 409."""
        try:
            return await pending
        except IntegrityError as exc:
            raise ConflictError("The category conflicts with existing data") from exc
