"""Business rules for reviews: every change goes through here."""

from collections.abc import Awaitable
from typing import Any
from uuid import UUID

from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession

from app.core.errors import (
    ConflictError,
    ForbiddenError,
    InvalidReferenceError,
    NotFoundError,
)
from app.models.review import Review
from app.models.user import Role, User
from app.repositories.review import ReviewRepository
from app.schemas.common import CursorPage
from app.schemas.review import ReviewCreate, ReviewQuery, ReviewRead, ReviewUpdate


class ReviewService:
    """Lists, creates, changes and deletes reviews.

    Raises :class:`~app.core.errors.AppError` subclasses, never ``HTTPException``.

    Args:
        session: The session of the current request.
        caller: The signed-in user.
    """

    def __init__(self, session: AsyncSession, caller: User) -> None:
        self.caller = caller
        self.repository = ReviewRepository(session)

    async def list(self, query: ReviewQuery) -> CursorPage[ReviewRead]:
        """Return one page of reviews matching ``query``."""
        rows, next_cursor = await self.repository.list(query)
        return CursorPage[ReviewRead](
            items=[ReviewRead.model_validate(row) for row in rows],
            next_cursor=next_cursor,
            size=query.size,
        )

    async def get(self, review_id: UUID) -> Review:
        """Return the review with this id.

        Raises:
            NotFoundError: No review has this id.
        """
        review = await self.repository.get(review_id)
        if review is None:
            raise NotFoundError(f"Review {review_id} not found")
        return review

    async def create(self, data: ReviewCreate) -> Review:
        """Create a review.

        Raises:
            ConflictError: A unique field's value is taken.
            InvalidReferenceError: A referenced id belongs to no row.
        """
        values = data.model_dump()
        await self._resolve_references(values)
        review = Review(**values, owner_id=self.caller.id)
        return await self._write(self.repository.add(review))

    async def replace(self, review: Review, data: ReviewCreate) -> Review:
        """Replace every field of ``review`` with ``data``.

        Raises:
            ConflictError: A unique field's value is taken by another review.
            InvalidReferenceError: A referenced id belongs to no row.
            ForbiddenError: The caller may read the review but not change it.
        """
        return await self._change(review, data.model_dump())

    async def update(self, review: Review, data: ReviewUpdate) -> Review:
        """Change the fields of ``review`` that ``data`` sets.

        Raises:
            ConflictError: A unique field's value is taken by another review.
            InvalidReferenceError: A referenced id belongs to no row.
            ForbiddenError: The caller may read the review but not change it.
        """
        return await self._change(review, data.model_dump(exclude_unset=True))

    async def list_by_book(
        self, book_id: UUID, query: ReviewQuery
    ) -> CursorPage[ReviewRead]:
        """Return one page of the reviews of one book.

        Raises:
            NotFoundError: No book has this id.
        """
        if await self.repository.get_book(book_id) is None:
            raise NotFoundError(f"Book {book_id} not found")
        return await self.list(query.model_copy(update={"book_id": [book_id]}))

    async def delete(self, review: Review) -> None:
        """Delete ``review``.

        Raises:
            ConflictError: Rows that may not lose it still refer to it.
            ForbiddenError: The caller may read the review but not change it.
        """
        self._ensure_may_change(review)
        try:
            await self.repository.delete(review)
        except IntegrityError as exc:
            raise ConflictError(
                "The review is still referred to and cannot be deleted"
            ) from exc

    async def _change(self, review: Review, values: dict[str, Any]) -> Review:
        self._ensure_may_change(review)
        await self._resolve_references(values)
        for field, value in values.items():
            setattr(review, field, value)
        return await self._write(self.repository.save(review))

    async def _resolve_references(self, values: dict[str, Any]) -> None:
        """Refuse ids that belong to no row; replace id lists with the rows.

        Raises:
            InvalidReferenceError: An id belongs to no row (422 naming the field).
        """
        book_id = values.get("book_id")
        if book_id is not None and await self.repository.get_book(book_id) is None:
            raise InvalidReferenceError("book_id", "No book has this id")

    def _ensure_may_change(self, review: Review) -> None:
        """Let only the owner of ``review``, or an administrator, change it.

        Raises:
            ForbiddenError: The caller may read the review but not change it.
        """
        caller = self.caller
        if review.owner_id != caller.id and caller.role != Role.ADMIN:
            raise ForbiddenError(
                "Only its owner or an administrator may change this review"
            )

    @staticmethod
    async def _write(pending: Awaitable[Review]) -> Review:
        """Await a write, answering a constraint the database enforced with 409."""
        try:
            return await pending
        except IntegrityError as exc:
            raise ConflictError("The review conflicts with existing data") from exc
