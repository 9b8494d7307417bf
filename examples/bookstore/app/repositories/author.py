"""Database access for authors: queries only, no business rules."""

from collections.abc import Sequence
from datetime import UTC, datetime
from typing import Any
from uuid import UUID

from sqlalchemy import func, or_, select
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import InstrumentedAttribute

from app.core.database import escape_like
from app.models.author import Author
from app.schemas.author import AuthorQuery

_SORTABLE: dict[str, InstrumentedAttribute[Any]] = {
    column.key: column
    for column in (
        Author.name,
        Author.email,
        Author.born_on,
        Author.created_at,
        Author.updated_at,
    )
}
"""The columns ``sort`` may name."""


class AuthorRepository:
    """Reads and writes ``Author`` rows through one session.

    Args:
        session: The session of the current request.
    """

    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def get(self, author_id: UUID) -> Author | None:
        """Return the author with this id, unless deleted, or ``None``."""
        statement = select(Author).where(
            Author.id == author_id, Author.deleted_at.is_(None)
        )
        return await self.session.scalar(statement)

    async def get_deleted(self, author_id: UUID) -> Author | None:
        """Return the deleted author with this id, or ``None``."""
        statement = select(Author).where(
            Author.id == author_id, Author.deleted_at.is_not(None)
        )
        return await self.session.scalar(statement)

    async def get_by_email(self, email: str) -> Author | None:
        """Return the author not deleted whose email is ``email``, or ``None``."""
        return await self.session.scalar(
            select(Author).where(Author.email == email, Author.deleted_at.is_(None))
        )

    async def list(self, query: AuthorQuery) -> tuple[Sequence[Author], int]:
        """Return one page of the authors that match ``query``.

        Args:
            query: Paging, filters, search and sort order.

        Returns:
            The authors on the page and how many match in all.
        """
        statement = select(Author).where(
            Author.deleted_at.is_not(None)
            if query.deleted
            else Author.deleted_at.is_(None)
        )
        if query.name is not None:
            statement = statement.where(Author.name.in_(query.name))
        if query.email is not None:
            statement = statement.where(Author.email.in_(query.email))
        if query.email__isnull is not None:
            statement = statement.where(
                Author.email.is_(None)
                if query.email__isnull
                else Author.email.is_not(None)
            )
        if query.born_on__gte is not None:
            statement = statement.where(Author.born_on >= query.born_on__gte)
        if query.born_on__lte is not None:
            statement = statement.where(Author.born_on <= query.born_on__lte)
        if query.born_on__gt is not None:
            statement = statement.where(Author.born_on > query.born_on__gt)
        if query.born_on__lt is not None:
            statement = statement.where(Author.born_on < query.born_on__lt)
        if query.born_on__isnull is not None:
            statement = statement.where(
                Author.born_on.is_(None)
                if query.born_on__isnull
                else Author.born_on.is_not(None)
            )
        if query.biography__isnull is not None:
            statement = statement.where(
                Author.biography.is_(None)
                if query.biography__isnull
                else Author.biography.is_not(None)
            )
        if query.q is not None:
            pattern = f"%{escape_like(query.q)}%"
            statement = statement.where(
                or_(
                    Author.name.ilike(pattern, escape="\\"),
                    Author.biography.ilike(pattern, escape="\\"),
                )
            )
        # Newest first by default, which the (created_at, id) index serves; the
        # id breaks ties in the same direction, so pages never overlap.
        sort = query.sort or "-created_at"
        column = _SORTABLE[sort.removeprefix("-")]
        if sort.startswith("-"):
            order = (column.desc(), Author.id.desc())
        else:
            order = (column.asc(), Author.id.asc())
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

    async def add(self, author: Author) -> Author:
        """Insert ``author``, then load what the database set."""
        self.session.add(author)
        await self.session.flush()
        await self.session.refresh(author)
        return author

    async def save(self, author: Author) -> Author:
        """Write the changes to ``author``, then reload what the database set."""
        await self.session.flush()
        await self.session.refresh(author)
        return author

    async def delete(self, author: Author) -> None:
        """Mark ``author`` deleted: its row stays, hidden from every read."""
        author.deleted_at = datetime.now(UTC)
        await self.session.flush()

    async def restore(self, author: Author) -> Author:
        """Clear the deletion mark of ``author``, then reload what the database set."""
        author.deleted_at = None
        return await self.save(author)
