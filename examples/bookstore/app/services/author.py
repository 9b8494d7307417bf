"""Business rules for authors: every change goes through here."""

from collections.abc import Awaitable
from typing import Any
from uuid import UUID

from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession

from app.core.errors import (
    ConflictError,
    ForbiddenError,
    NotFoundError,
    UnauthorizedError,
)
from app.models.author import Author
from app.models.user import Role, User
from app.repositories.author import AuthorRepository
from app.schemas.author import AuthorCreate, AuthorQuery, AuthorRead, AuthorUpdate
from app.schemas.common import Page


class AuthorService:
    """Lists, creates, changes and deletes authors.

    Raises :class:`~app.core.errors.AppError` subclasses, never ``HTTPException``.

    Args:
        session: The session of the current request.
        caller: The signed-in user, or None for an anonymous request.
    """

    def __init__(self, session: AsyncSession, caller: User | None) -> None:
        self.caller = caller
        self.repository = AuthorRepository(session)

    async def list(self, query: AuthorQuery) -> Page[AuthorRead]:
        """Return one page of authors matching ``query``.

        Raises:
            UnauthorizedError: Deleted rows asked for anonymously.
            ForbiddenError: Deleted rows asked for by a non-administrator.
        """
        if query.deleted and not self._is_admin():
            raise ForbiddenError("Only administrators may list deleted authors")
        rows, total = await self.repository.list(query)
        return Page[AuthorRead].create(
            [AuthorRead.model_validate(row) for row in rows],
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
        """Mark ``author`` deleted: reads no longer find it; it can be restored."""
        await self.repository.delete(author)

    async def restore(self, author_id: UUID) -> Author:
        """Bring back the deleted author with this id.

        Raises:
            NotFoundError: No deleted author has this id.
            ConflictError: A unique field's value was taken since it was deleted.
        """
        author = await self.repository.get_deleted(author_id)
        if author is None:
            raise NotFoundError(f"Deleted author {author_id} not found")
        values = {"email": author.email}
        await self._ensure_unique(values, author.id)
        return await self._write(self.repository.restore(author))

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

    def _signed_in(self) -> User:
        """Return the caller, who must be signed in for what follows.

        Raises:
            UnauthorizedError: The request is anonymous.
        """
        if self.caller is None:
            raise UnauthorizedError
        return self.caller

    def _is_admin(self) -> bool:
        """Whether the caller is an administrator, who may read every row."""
        return self._signed_in().role == Role.ADMIN

    @staticmethod
    async def _write(pending: Awaitable[Author]) -> Author:
        """Await a write, answering a constraint the database enforced with 409."""
        try:
            return await pending
        except IntegrityError as exc:
            raise ConflictError("The author conflicts with existing data") from exc
