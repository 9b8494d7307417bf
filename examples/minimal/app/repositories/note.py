"""Database access for notes: queries only, no business rules."""

from collections.abc import Sequence
from typing import Any
from uuid import UUID

from sqlalchemy import func, or_, select
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import InstrumentedAttribute

from app.core.database import escape_like
from app.models.note import Note
from app.schemas.note import NoteQuery

_SORTABLE: dict[str, InstrumentedAttribute[Any]] = {
    column.key: column
    for column in (
        Note.title,
        Note.pinned,
        Note.created_at,
        Note.updated_at,
    )
}
"""The columns ``sort`` may name."""


class NoteRepository:
    """Reads and writes ``Note`` rows through one session.

    Args:
        session: The session of the current request.
    """

    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def get(self, note_id: UUID) -> Note | None:
        """Return the note with this id, or ``None``."""
        return await self.session.get(Note, note_id)

    async def list(self, query: NoteQuery) -> tuple[Sequence[Note], int]:
        """Return one page of the notes that match ``query``.

        Args:
            query: Paging, filters, search and sort order.

        Returns:
            The notes on the page and how many match in all.
        """
        statement = select(Note)
        if query.body__isnull is not None:
            statement = statement.where(
                Note.body.is_(None) if query.body__isnull else Note.body.is_not(None)
            )
        if query.pinned is not None:
            statement = statement.where(Note.pinned == query.pinned)
        if query.q is not None:
            pattern = f"%{escape_like(query.q)}%"
            statement = statement.where(
                or_(
                    Note.title.ilike(pattern, escape="\\"),
                    Note.body.ilike(pattern, escape="\\"),
                )
            )
        # Newest first by default, which the (created_at, id) index serves; the
        # id breaks ties in the same direction, so pages never overlap.
        sort = query.sort or "-created_at"
        column = _SORTABLE[sort.removeprefix("-")]
        if sort.startswith("-"):
            order = (column.desc(), Note.id.desc())
        else:
            order = (column.asc(), Note.id.asc())
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

    async def add(self, note: Note) -> Note:
        """Insert ``note``, then load what the database set."""
        self.session.add(note)
        await self.session.flush()
        await self.session.refresh(note)
        return note

    async def save(self, note: Note) -> Note:
        """Write the changes to ``note``, then reload what the database set."""
        await self.session.flush()
        await self.session.refresh(note)
        return note

    async def delete(self, note: Note) -> None:
        """Delete ``note``."""
        await self.session.delete(note)
        await self.session.flush()
