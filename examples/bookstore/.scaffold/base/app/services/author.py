"""Business rules for authors: every change goes through here."""

from collections.abc import Awaitable
from typing import Any
from uuid import UUID

from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession

from app.core.errors import ConflictError, NotFoundError
from app.models.author import Author
from app.repositories.author import AuthorRepository
from app.schemas.author import AuthorCreate, AuthorQuery, AuthorRead, AuthorUpdate
from app.schemas.common import Page


class AuthorService:
    """Lists, creates, changes and deletes authors.

    Raises :class:`~app.core.errors.AppError` subclasses, never ``HTTPException``.

    Args:
        session: The session of the current request.
    """

    def __init__(self, session: AsyncSession) -> None:
        self.repository = AuthorRepository(session)

    async def list(self, query: AuthorQuery) -> Page[AuthorRead]:
        """Return one page of authors matching ``query``."""
        authors, total = await self.repository.list(query)
        return Page[AuthorRead].create(
            [AuthorRead.model_validate(author) for author in authors],
            total=total,
            page=query.page,
            size=query.size,
        )

    async def get(self, author_id: UUID) -> Author:
        """Return the author with this id.

        Raises:
            NotFoundError: No author has this id.
        """
        author = await self.repository.get(author_id)
        if author is None:
            raise NotFoundError(f"Author {author_id} not found")
        return author

    async def create(self, data: AuthorCreate) -> Author:
        """Create an author.

        Raises:
            ConflictError: A unique field's value is taken.
        """
        values = data.model_dump()
        await self._ensure_unique(values)
        return await self._write(self.repository.add(Author(**values)))

    async def replace(self, author: Author, data: AuthorCreate) -> Author:
        """Replace every field of ``author`` with ``data``.

        Raises:
            ConflictError: A unique field's value is taken by another author.
        """
        return await self._change(author, data.model_dump())

    async def update(self, author: Author, data: AuthorUpdate) -> Author:
        """Change the fields of ``author`` that ``data`` sets.

        Raises:
            ConflictError: A unique field's value is taken by another author.
        """
        return await self._change(author, data.model_dump(exclude_unset=True))

    async def delete(self, author: Author) -> None:
        """Delete ``author``.

        Raises:
            ConflictError: Rows that may not lose it still refer to it.
        """
        try:
            await self.repository.delete(author)
        except IntegrityError as exc:
            raise ConflictError(
                "The author is still referred to and cannot be deleted"
            ) from exc

    async def _change(self, author: Author, values: dict[str, Any]) -> Author:
        await self._ensure_unique(values, author.id)
        for field, value in values.items():
            setattr(author, field, value)
        return await self._write(self.repository.save(author))

    async def _ensure_unique(
        self, values: dict[str, Any], author_id: UUID | None = None
    ) -> None:
        """Refuse values of unique fields that another author already has."""
        if values.get("email") is not None:
            other = await self.repository.get_by_email(values["email"])
            if other is not None and other.id != author_id:
                raise ConflictError("An author with this email already exists")

    @staticmethod
    async def _write(pending: Awaitable[Author]) -> Author:
        """Await a write, answering a constraint the database enforced with 409."""
        try:
            return await pending
        except IntegrityError as exc:
            raise ConflictError("The author conflicts with existing data") from exc
