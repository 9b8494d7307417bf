"""Database access for tags: queries only, no business rules."""

from collections.abc import Sequence
from typing import Any
from uuid import UUID

from sqlalchemy import func, or_, select
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import InstrumentedAttribute

from app.core.database import escape_like
from app.models.tag import Tag
from app.schemas.tag import TagQuery

_SORTABLE: dict[str, InstrumentedAttribute[Any]] = {
    column.key: column
    for column in (
        Tag.name,
        Tag.description,
        Tag.created_at,
        Tag.updated_at,
    )
}
"""The columns ``sort`` may name."""


class TagRepository:
    """Reads and writes ``Tag`` rows through one session.

    Args:
        session: The session of the current request.
    """

    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def get(self, tag_id: UUID) -> Tag | None:
        """Return the tag with this id, or ``None``."""
        return await self.session.get(Tag, tag_id)

    async def get_by_name(self, name: str) -> Tag | None:
        """Return the tag whose name is ``name``, or ``None``."""
        return await self.session.scalar(select(Tag).where(Tag.name == name))

    async def list(self, query: TagQuery) -> tuple[Sequence[Tag], int]:
        """Return one page of the tags that match ``query``.

        Args:
            query: Paging, filters, search and sort order.

        Returns:
            The tags on the page and how many match in all.
        """
        statement = select(Tag)
        if query.name is not None:
            statement = statement.where(Tag.name.in_(query.name))
        if query.description__isnull is not None:
            statement = statement.where(
                Tag.description.is_(None)
                if query.description__isnull
                else Tag.description.is_not(None)
            )
        if query.q is not None:
            pattern = f"%{escape_like(query.q)}%"
            statement = statement.where(
                or_(
                    Tag.name.ilike(pattern, escape="\\"),
                    Tag.description.ilike(pattern, escape="\\"),
                )
            )
        # Newest first by default, which the (created_at, id) index serves; the
        # id breaks ties in the same direction, so pages never overlap.
        sort = query.sort or "-created_at"
        column = _SORTABLE[sort.removeprefix("-")]
        if sort.startswith("-"):
            order = (column.desc(), Tag.id.desc())
        else:
            order = (column.asc(), Tag.id.asc())
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

    async def add(self, tag: Tag) -> Tag:
        """Insert ``tag``, then load what the database set."""
        self.session.add(tag)
        await self.session.flush()
        await self.session.refresh(tag)
        return tag

    async def save(self, tag: Tag) -> Tag:
        """Write the changes to ``tag``, then reload what the database set."""
        await self.session.flush()
        await self.session.refresh(tag)
        return tag

    async def delete(self, tag: Tag) -> None:
        """Delete ``tag``."""
        await self.session.delete(tag)
        await self.session.flush()
