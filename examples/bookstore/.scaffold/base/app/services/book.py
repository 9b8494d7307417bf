"""Business rules for books: every change goes through here."""

from collections.abc import Awaitable
from typing import Any
from uuid import UUID

from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession

from app.core.errors import ConflictError, NotFoundError
from app.models.book import Book
from app.repositories.book import BookRepository
from app.schemas.book import BookCreate, BookQuery, BookRead, BookUpdate
from app.schemas.common import Page


class BookService:
    """Lists, creates, changes and deletes books.

    Raises :class:`~app.core.errors.AppError` subclasses, never ``HTTPException``.

    Args:
        session: The session of the current request.
    """

    def __init__(self, session: AsyncSession) -> None:
        self.repository = BookRepository(session)

    async def list(self, query: BookQuery) -> Page[BookRead]:
        """Return one page of books matching ``query``."""
        books, total = await self.repository.list(query)
        return Page[BookRead].create(
            [BookRead.model_validate(book) for book in books],
            total=total,
            page=query.page,
            size=query.size,
        )

    async def get(self, book_id: UUID) -> Book:
        """Return the book with this id.

        Raises:
            NotFoundError: No book has this id.
        """
        book = await self.repository.get(book_id)
        if book is None:
            raise NotFoundError(f"Book {book_id} not found")
        return book

    async def create(self, data: BookCreate) -> Book:
        """Create a book.

        Raises:
            ConflictError: A unique field's value is taken.
        """
        values = data.model_dump()
        await self._ensure_unique(values)
        return await self._write(self.repository.add(Book(**values)))

    async def replace(self, book: Book, data: BookCreate) -> Book:
        """Replace every field of ``book`` with ``data``.

        Raises:
            ConflictError: A unique field's value is taken by another book.
        """
        return await self._change(book, data.model_dump())

    async def update(self, book: Book, data: BookUpdate) -> Book:
        """Change the fields of ``book`` that ``data`` sets.

        Raises:
            ConflictError: A unique field's value is taken by another book.
        """
        return await self._change(book, data.model_dump(exclude_unset=True))

    async def delete(self, book: Book) -> None:
        """Delete ``book``."""
        await self.repository.delete(book)

    async def _change(self, book: Book, values: dict[str, Any]) -> Book:
        await self._ensure_unique(values, book.id)
        for field, value in values.items():
            setattr(book, field, value)
        return await self._write(self.repository.save(book))

    async def _ensure_unique(
        self, values: dict[str, Any], book_id: UUID | None = None
    ) -> None:
        """Refuse values of unique fields that another book already has."""
        if values.get("isbn") is not None:
            other = await self.repository.get_by_isbn(values["isbn"])
            if other is not None and other.id != book_id:
                raise ConflictError("A book with this isbn already exists")

    @staticmethod
    async def _write(pending: Awaitable[Book]) -> Book:
        """Await a write, answering a constraint the database enforced with 409."""
        try:
            return await pending
        except IntegrityError as exc:
            raise ConflictError("The book conflicts with existing data") from exc
