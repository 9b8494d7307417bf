"""Business rules for books: every change goes through here."""

from collections.abc import Awaitable
from typing import Any
from uuid import UUID

from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm.exc import StaleDataError

from app.core.errors import (
    ConflictError,
    InvalidReferenceError,
    NotFoundError,
    PreconditionFailedError,
)
from app.core.preconditions import ensure_current
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
        rows, total = await self.repository.list(query)
        return Page[BookRead].create(
            [BookRead.model_validate(row) for row in rows],
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
            InvalidReferenceError: A referenced id belongs to no row.
        """
        values = data.model_dump()
        await self._ensure_unique(values)
        await self._resolve_references(values)
        return await self._write(self.repository.add(Book(**values)))

    async def replace(self, book: Book, data: BookCreate, if_match: str | None) -> Book:
        """Replace every field of ``book`` with ``data``, as its next version.

        Args:
            book: The book to change.
            data: Its new fields.
            if_match: The request's ``If-Match``, which must name its version.

        Raises:
            ConflictError: A unique field's value is taken by another book.
            InvalidReferenceError: A referenced id belongs to no row.
            PreconditionRequiredError: ``if_match`` is None.
            PreconditionFailedError: ``if_match`` names another version, or another
                request changed the row meanwhile.
        """
        return await self._change(book, data.model_dump(), if_match)

    async def update(self, book: Book, data: BookUpdate, if_match: str | None) -> Book:
        """Change the fields of ``book`` that ``data`` sets, as its next version.

        Args:
            book: The book to change.
            data: The fields to change.
            if_match: The request's ``If-Match``, which must name its version.

        Raises:
            ConflictError: A unique field's value is taken by another book.
            InvalidReferenceError: A referenced id belongs to no row.
            PreconditionRequiredError: ``if_match`` is None.
            PreconditionFailedError: ``if_match`` names another version, or another
                request changed the row meanwhile.
        """
        return await self._change(book, data.model_dump(exclude_unset=True), if_match)

    async def list_by_author(self, author_id: UUID, query: BookQuery) -> Page[BookRead]:
        """Return one page of the books of one author.

        Raises:
            NotFoundError: No author has this id.
        """
        if await self.repository.get_author(author_id) is None:
            raise NotFoundError(f"Author {author_id} not found")
        return await self.list(query.model_copy(update={"author_id": [author_id]}))

    async def list_by_category(
        self, category_id: UUID, query: BookQuery
    ) -> Page[BookRead]:
        """Return one page of the books of one category.

        Raises:
            NotFoundError: No category has this id.
        """
        if await self.repository.get_category(category_id) is None:
            raise NotFoundError(f"Category {category_id} not found")
        return await self.list(query.model_copy(update={"category_id": [category_id]}))

    async def list_by_tag(self, tag_id: UUID, query: BookQuery) -> Page[BookRead]:
        """Return one page of the books of one tag.

        Raises:
            NotFoundError: No tag has this id.
        """
        if not await self.repository.get_tags([tag_id]):
            raise NotFoundError(f"Tag {tag_id} not found")
        return await self.list(query.model_copy(update={"tag_id": [tag_id]}))

    async def delete(self, book: Book, if_match: str | None) -> None:
        """Delete ``book`` if ``if_match`` names its current version.

        Raises:
            ConflictError: Rows that may not lose it still refer to it.
            PreconditionRequiredError: ``if_match`` is None.
            PreconditionFailedError: ``if_match`` names another version, or
                another request changed the row meanwhile.
        """
        ensure_current(if_match, book.version)
        try:
            await self.repository.delete(book)
        except IntegrityError as exc:
            raise ConflictError(
                "The book is still referred to and cannot be deleted"
            ) from exc
        except StaleDataError as exc:
            raise PreconditionFailedError from exc

    async def _change(
        self, book: Book, values: dict[str, Any], if_match: str | None
    ) -> Book:
        ensure_current(if_match, book.version)
        await self._ensure_unique(values, book.id)
        await self._resolve_references(values)
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

    async def _resolve_references(self, values: dict[str, Any]) -> None:
        """Refuse ids that belong to no row; replace id lists with the rows.

        Raises:
            InvalidReferenceError: An id belongs to no row (422 naming the field).
        """
        author_id = values.get("author_id")
        if (
            author_id is not None
            and await self.repository.get_author(author_id) is None
        ):
            raise InvalidReferenceError("author_id", "No author has this id")
        category_id = values.get("category_id")
        if (
            category_id is not None
            and await self.repository.get_category(category_id) is None
        ):
            raise InvalidReferenceError("category_id", "No category has this id")
        if "tag_ids" in values:
            wanted = set(values.pop("tag_ids"))
            tags = await self.repository.get_tags(wanted)
            if len(tags) != len(wanted):
                raise InvalidReferenceError("tag_ids", "No tag has one of these ids")
            values["tags"] = list(tags)

    @staticmethod
    async def _write(pending: Awaitable[Book]) -> Book:
        """Await a write, answering what the database refused.

        A constraint answers 409; a version that changed meanwhile (another
        request's write came first) answers 412.
        """
        try:
            return await pending
        except IntegrityError as exc:
            raise ConflictError("The book conflicts with existing data") from exc
        except StaleDataError as exc:
            raise PreconditionFailedError from exc
