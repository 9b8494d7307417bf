"""Database access for reviews: queries only, no business rules."""

from collections.abc import Sequence
from typing import Any
from uuid import UUID

from sqlalchemy import and_, literal, or_, select
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import InstrumentedAttribute, joinedload, selectinload

from app.core.database import escape_like
from app.models.book import Book
from app.models.review import Review
from app.schemas.common import encode_cursor
from app.schemas.review import ReviewQuery

_SORTABLE: dict[str, InstrumentedAttribute[Any]] = {
    column.key: column
    for column in (
        Review.reviewer,
        Review.rating,
        Review.posted_at,
        Review.created_at,
        Review.updated_at,
    )
}
"""The columns ``sort`` may name."""

_LOAD = (
    joinedload(Review.book).options(joinedload(Book.author), selectinload(Book.tags)),
)
"""The relations loaded with every review, in a fixed number of statements."""


class ReviewRepository:
    """Reads and writes ``Review`` rows through one session.

    Args:
        session: The session of the current request.
    """

    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def get(self, review_id: UUID) -> Review | None:
        """Return the review with this id as the database has it now, or ``None``.

        Read afresh even when the session holds it: deleting a row it refers to
        may have changed or deleted it in the database alone.
        """
        return await self.session.get(
            Review, review_id, options=_LOAD, populate_existing=True
        )

    async def get_book(self, book_id: UUID) -> Book | None:
        """Return the book with this id, or ``None``."""
        return await self.session.get(Book, book_id)

    async def list(self, query: ReviewQuery) -> tuple[Sequence[Review], str | None]:
        """Return one page of the reviews that match ``query``, after its cursor.

        Args:
            query: Cursor, size, filters, search and sort order.

        Returns:
            The reviews on the page and the cursor of the next page,
            None on the last page.
        """
        statement = select(Review)
        if query.rating__gte is not None:
            statement = statement.where(Review.rating >= query.rating__gte)
        if query.rating__lte is not None:
            statement = statement.where(Review.rating <= query.rating__lte)
        if query.rating__gt is not None:
            statement = statement.where(Review.rating > query.rating__gt)
        if query.rating__lt is not None:
            statement = statement.where(Review.rating < query.rating__lt)
        if query.body__isnull is not None:
            statement = statement.where(
                Review.body.is_(None)
                if query.body__isnull
                else Review.body.is_not(None)
            )
        if query.posted_at__gte is not None:
            statement = statement.where(Review.posted_at >= query.posted_at__gte)
        if query.posted_at__lte is not None:
            statement = statement.where(Review.posted_at <= query.posted_at__lte)
        if query.posted_at__gt is not None:
            statement = statement.where(Review.posted_at > query.posted_at__gt)
        if query.posted_at__lt is not None:
            statement = statement.where(Review.posted_at < query.posted_at__lt)
        if query.book_id is not None:
            statement = statement.where(Review.book_id.in_(query.book_id))
        if query.q is not None:
            pattern = f"%{escape_like(query.q)}%"
            statement = statement.where(
                or_(
                    Review.reviewer.ilike(pattern, escape="\\"),
                    Review.body.ilike(pattern, escape="\\"),
                )
            )
        # Newest first by default, which the (created_at, id) index serves; the
        # id breaks ties in the same direction. A page starts after the last
        # row of the one before, by value: rows inserted before it never shift it.
        sort = query.sort or "-created_at"
        key = sort.removeprefix("-")
        column = _SORTABLE[key]
        after = query.after()
        if sort.startswith("-"):
            order = (column.desc(), Review.id.desc())
            if after is not None:
                value, last_id = after
                # Bound with the column's type: a boolean compares as a value.
                value = literal(value, column.type)
                statement = statement.where(
                    or_(column < value, and_(column == value, Review.id < last_id))
                )
        else:
            order = (column.asc(), Review.id.asc())
            if after is not None:
                value, last_id = after
                # Bound with the column's type: a boolean compares as a value.
                value = literal(value, column.type)
                statement = statement.where(
                    or_(column > value, and_(column == value, Review.id > last_id))
                )
        # One row more than the page tells whether another page follows.
        rows = (
            await self.session.scalars(
                statement.options(*_LOAD).order_by(*order).limit(query.size + 1)
            )
        ).all()
        if len(rows) <= query.size:
            return rows, None
        last = rows[query.size - 1]
        return rows[: query.size], encode_cursor(sort, getattr(last, key), last.id)

    async def add(self, review: Review) -> Review:
        """Insert ``review``, then load what the database set."""
        self.session.add(review)
        await self.session.flush()
        return await self._reload(review)

    async def save(self, review: Review) -> Review:
        """Write the changes to ``review``, then reload what the database set."""
        await self.session.flush()
        return await self._reload(review)

    async def delete(self, review: Review) -> None:
        """Delete ``review``."""
        await self.session.delete(review)
        await self.session.flush()

    async def _reload(self, review: Review) -> Review:
        """Load ``review`` again with its relations, over what the session holds."""
        return await self.session.get_one(
            Review, review.id, options=_LOAD, populate_existing=True
        )
