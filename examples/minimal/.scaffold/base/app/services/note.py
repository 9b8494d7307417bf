"""Business rules for notes: every change goes through here."""

from collections.abc import Awaitable
from typing import Any
from uuid import UUID

from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession

from app.core.errors import ConflictError, NotFoundError
from app.models.note import Note
from app.repositories.note import NoteRepository
from app.schemas.common import Page
from app.schemas.note import NoteCreate, NoteQuery, NoteRead, NoteUpdate


class NoteService:
    """Lists, creates, changes and deletes notes.

    Raises :class:`~app.core.errors.AppError` subclasses, never ``HTTPException``.

    Args:
        session: The session of the current request.
    """

    def __init__(self, session: AsyncSession) -> None:
        self.repository = NoteRepository(session)

    async def list(self, query: NoteQuery) -> Page[NoteRead]:
        """Return one page of notes matching ``query``."""
        rows, total = await self.repository.list(query)
        return Page[NoteRead].create(
            [NoteRead.model_validate(row) for row in rows],
            total=total,
            page=query.page,
            size=query.size,
        )

    async def get(self, note_id: UUID) -> Note:
        """Return the note with this id.

        Raises:
            NotFoundError: No note has this id.
        """
        note = await self.repository.get(note_id)
        if note is None:
            raise NotFoundError(f"Note {note_id} not found")
        return note

    async def create(self, data: NoteCreate) -> Note:
        """Create a note.

        Raises:
            ConflictError: A unique field's value is taken.
        """
        values = data.model_dump()
        return await self._write(self.repository.add(Note(**values)))

    async def replace(self, note: Note, data: NoteCreate) -> Note:
        """Replace every field of ``note`` with ``data``.

        Raises:
            ConflictError: A unique field's value is taken by another note.
        """
        return await self._change(note, data.model_dump())

    async def update(self, note: Note, data: NoteUpdate) -> Note:
        """Change the fields of ``note`` that ``data`` sets.

        Raises:
            ConflictError: A unique field's value is taken by another note.
        """
        return await self._change(note, data.model_dump(exclude_unset=True))

    async def delete(self, note: Note) -> None:
        """Delete ``note``.

        Raises:
            ConflictError: Rows that may not lose it still refer to it.
        """
        try:
            await self.repository.delete(note)
        except IntegrityError as exc:
            raise ConflictError(
                "The note is still referred to and cannot be deleted"
            ) from exc

    async def _change(self, note: Note, values: dict[str, Any]) -> Note:
        for field, value in values.items():
            setattr(note, field, value)
        return await self._write(self.repository.save(note))

    @staticmethod
    async def _write(pending: Awaitable[Note]) -> Note:
        """Await a write, answering a constraint the database enforced with 409."""
        try:
            return await pending
        except IntegrityError as exc:
            raise ConflictError("The note conflicts with existing data") from exc
