"""Database access for categories: queries only, no business rules."""

from collections.abc import Sequence
from typing import Any

from sqlalchemy import func, or_, select
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import InstrumentedAttribute

from app.core.database import escape_like
from app.models.category import Category
from app.schemas.category import CategoryQuery

_SORTABLE: dict[str, InstrumentedAttribute[Any]] = {
    column.key: column
    for column in (
        Category.title,
        Category.slug,
        Category.position,
        Category.created_at,
        Category.updated_at,
    )
}
"""The columns ``sort`` may name."""


class CategoryRepository:
    """Reads and writes ``Category`` rows through one session.

    Args:
        session: The session of the current request.
    """

    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def get(self, category_id: int) -> Category | None:
        """Return the category with this id, or ``None``."""
        return await self.session.get(Category, category_id)

    async def get_by_title(self, title: str) -> Category | None:
        """Return the category whose title is ``title``, or ``None``."""
        return await self.session.scalar(
            select(Category).where(Category.title == title)
        )

    async def get_by_slug(self, slug: str) -> Category | None:
        """Return the category whose slug is ``slug``, or ``None``."""
        return await self.session.scalar(select(Category).where(Category.slug == slug))

    async def list(self, query: CategoryQuery) -> tuple[Sequence[Category], int]:
        """Return one page of the categories that match ``query``.

        Args:
            query: Paging, filters, search and sort order.

        Returns:
            The categories on the page and how many match in all.
        """
        statement = select(Category)
        if query.title is not None:
            statement = statement.where(Category.title.in_(query.title))
        if query.slug is not None:
            statement = statement.where(Category.slug.in_(query.slug))
        if query.position is not None:
            statement = statement.where(Category.position == query.position)
        if query.position__gte is not None:
            statement = statement.where(Category.position >= query.position__gte)
        if query.position__lte is not None:
            statement = statement.where(Category.position <= query.position__lte)
        if query.position__gt is not None:
            statement = statement.where(Category.position > query.position__gt)
        if query.position__lt is not None:
            statement = statement.where(Category.position < query.position__lt)
        if query.q is not None:
            pattern = f"%{escape_like(query.q)}%"
            statement = statement.where(
                or_(
                    Category.title.ilike(pattern, escape="\\"),
                    Category.slug.ilike(pattern, escape="\\"),
                )
            )
        # Newest first by default, which the (created_at, id) index serves; the
        # id breaks ties in the same direction, so pages never overlap.
        sort = query.sort or "-created_at"
        column = _SORTABLE[sort.removeprefix("-")]
        if sort.startswith("-"):
            order = (column.desc(), Category.id.desc())
        else:
            order = (column.asc(), Category.id.asc())
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

    async def add(self, category: Category) -> Category:
        """Insert ``category``, then load what the database set."""
        self.session.add(category)
        await self.session.flush()
        await self.session.refresh(category)
        return category

    async def save(self, category: Category) -> Category:
        """Write the changes to ``category``, then reload what the database set."""
        await self.session.flush()
        await self.session.refresh(category)
        return category

    async def delete(self, category: Category) -> None:
        """Delete ``category``."""
        await self.session.delete(category)
        await self.session.flush()
