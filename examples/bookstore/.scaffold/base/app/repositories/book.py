"""Database access for books: queries only, no business rules."""

from collections.abc import Collection, Sequence
from typing import Any
from uuid import UUID

from sqlalchemy import func, or_, select
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import InstrumentedAttribute, joinedload, selectinload

from app.core.database import escape_like
from app.models.author import Author
from app.models.book import Book
from app.models.category import Category
from app.models.tag import Tag
from app.schemas.book import BookQuery

_SORTABLE: dict[str, InstrumentedAttribute[Any]] = {
    column.key: column
    for column in (
        Book.title,
        Book.isbn,
        Book.price,
        Book.status,
        Book.published_on,
        Book.created_at,
        Book.updated_at,
    )
}
"""The columns ``sort`` may name."""

_LOAD = (
    joinedload(Book.author),
    selectinload(Book.tags),
)
"""The relations loaded with every book, in a fixed number of statements."""


class BookRepository:
    """Reads and writes ``Book`` rows through one session.

    Args:
        session: The session of the current request.
    """

    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def get(self, book_id: UUID) -> Book | None:
        """Return the book with this id as the database has it now, or ``None``.

        Read afresh even when the session holds it: deleting a row it refers to
        may have changed or deleted it in the database alone.
        """
        return await self.session.get(
            Book, book_id, options=_LOAD, populate_existing=True
        )

    async def get_by_isbn(self, isbn: str) -> Book | None:
        """Return the book whose isbn is ``isbn``, or ``None``."""
        return await self.session.scalar(select(Book).where(Book.isbn == isbn))

    async def get_author(self, author_id: UUID) -> Author | None:
        """Return the author with this id, unless deleted, or ``None``."""
        return await self.session.scalar(
            select(Author).where(Author.id == author_id, Author.deleted_at.is_(None))
        )

    async def get_category(self, category_id: UUID) -> Category | None:
        """Return the category with this id, or ``None``."""
        return await self.session.get(Category, category_id)

    async def get_tags(self, tag_ids: Collection[UUID]) -> Sequence[Tag]:
        """Return the tag rows with these ids (those that exist)."""
        rows = await self.session.scalars(select(Tag).where(Tag.id.in_(tag_ids)))
        return rows.all()

    async def list(self, query: BookQuery) -> tuple[Sequence[Book], int]:
        """Return one page of the books that match ``query``.

        Args:
            query: Paging, filters, search and sort order.

        Returns:
            The books on the page and how many match in all.
        """
        statement = select(Book)
        if query.title is not None:
            statement = statement.where(Book.title.in_(query.title))
        if query.isbn is not None:
            statement = statement.where(Book.isbn.in_(query.isbn))
        if query.price__gte is not None:
            statement = statement.where(Book.price >= query.price__gte)
        if query.price__lte is not None:
            statement = statement.where(Book.price <= query.price__lte)
        if query.price__gt is not None:
            statement = statement.where(Book.price > query.price__gt)
        if query.price__lt is not None:
            statement = statement.where(Book.price < query.price__lt)
        if query.status is not None:
            statement = statement.where(Book.status.in_(query.status))
        if query.published_on__gte is not None:
            statement = statement.where(Book.published_on >= query.published_on__gte)
        if query.published_on__lte is not None:
            statement = statement.where(Book.published_on <= query.published_on__lte)
        if query.published_on__gt is not None:
            statement = statement.where(Book.published_on > query.published_on__gt)
        if query.published_on__lt is not None:
            statement = statement.where(Book.published_on < query.published_on__lt)
        if query.published_on__isnull is not None:
            statement = statement.where(
                Book.published_on.is_(None)
                if query.published_on__isnull
                else Book.published_on.is_not(None)
            )
        if query.summary__isnull is not None:
            statement = statement.where(
                Book.summary.is_(None)
                if query.summary__isnull
                else Book.summary.is_not(None)
            )
        if query.author_id is not None:
            statement = statement.where(Book.author_id.in_(query.author_id))
        if query.category_id is not None:
            statement = statement.where(Book.category_id.in_(query.category_id))
        if query.category_id__isnull is not None:
            statement = statement.where(
                Book.category_id.is_(None)
                if query.category_id__isnull
                else Book.category_id.is_not(None)
            )
        if query.tag_id is not None:
            statement = statement.where(Book.tags.any(Tag.id.in_(query.tag_id)))
        if query.q is not None:
            pattern = f"%{escape_like(query.q)}%"
            statement = statement.where(
                or_(
                    Book.title.ilike(pattern, escape="\\"),
                    Book.isbn.ilike(pattern, escape="\\"),
                    Book.summary.ilike(pattern, escape="\\"),
                )
            )
        # Newest first by default, which the (created_at, id) index serves; the
        # id breaks ties in the same direction, so pages never overlap.
        sort = query.sort or "-created_at"
        column = _SORTABLE[sort.removeprefix("-")]
        if sort.startswith("-"):
            order = (column.desc(), Book.id.desc())
        else:
            order = (column.asc(), Book.id.asc())
        offset = (query.page - 1) * query.size
        rows = (
            await self.session.scalars(
                statement.options(*_LOAD)
                .order_by(*order)
                .offset(offset)
                .limit(query.size)
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

    async def add(self, book: Book) -> Book:
        """Insert ``book``, then load what the database set."""
        self.session.add(book)
        await self.session.flush()
        return await self._reload(book)

    async def save(self, book: Book) -> Book:
        """Write the changes to ``book`` as its next version, then reload it.

        Any change, to a column or to links alone, makes a new version. The
        write names the version it read, so it matches no row, and raises
        ``StaleDataError``, when another request has changed the row since.
        """
        if self.session.is_modified(book):
            book.version += 1
        await self.session.flush()
        return await self._reload(book)

    async def delete(self, book: Book) -> None:
        """Delete ``book``, raising ``StaleDataError`` if its version changed."""
        await self.session.delete(book)
        await self.session.flush()

    async def _reload(self, book: Book) -> Book:
        """Load ``book`` again with its relations, over what the session holds."""
        return await self.session.get_one(
            Book, book.id, options=_LOAD, populate_existing=True
        )
