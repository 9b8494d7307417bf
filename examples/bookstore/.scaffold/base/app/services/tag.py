"""Business rules for tags: every change goes through here."""

from collections.abc import Awaitable
from typing import Any
from uuid import UUID

from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession

from app.core.errors import ConflictError, NotFoundError
from app.models.tag import Tag
from app.repositories.tag import TagRepository
from app.schemas.common import Page
from app.schemas.tag import TagCreate, TagQuery, TagRead, TagUpdate


class TagService:
    """Lists, creates, changes and deletes tags.

    Raises :class:`~app.core.errors.AppError` subclasses, never ``HTTPException``.

    Args:
        session: The session of the current request.
    """

    def __init__(self, session: AsyncSession) -> None:
        self.repository = TagRepository(session)

    async def list(self, query: TagQuery) -> Page[TagRead]:
        """Return one page of tags matching ``query``."""
        rows, total = await self.repository.list(query)
        return Page[TagRead].create(
            [TagRead.model_validate(row) for row in rows],
            total=total,
            page=query.page,
            size=query.size,
        )

    async def get(self, tag_id: UUID) -> Tag:
        """Return the tag with this id.

        Raises:
            NotFoundError: No tag has this id.
        """
        tag = await self.repository.get(tag_id)
        if tag is None:
            raise NotFoundError(f"Tag {tag_id} not found")
        return tag

    async def create(self, data: TagCreate) -> Tag:
        """Create a tag.

        Raises:
            ConflictError: A unique field's value is taken.
        """
        values = data.model_dump()
        await self._ensure_unique(values)
        return await self._write(self.repository.add(Tag(**values)))

    async def replace(self, tag: Tag, data: TagCreate) -> Tag:
        """Replace every field of ``tag`` with ``data``.

        Raises:
            ConflictError: A unique field's value is taken by another tag.
        """
        return await self._change(tag, data.model_dump())

    async def update(self, tag: Tag, data: TagUpdate) -> Tag:
        """Change the fields of ``tag`` that ``data`` sets.

        Raises:
            ConflictError: A unique field's value is taken by another tag.
        """
        return await self._change(tag, data.model_dump(exclude_unset=True))

    async def delete(self, tag: Tag) -> None:
        """Delete ``tag``.

        Raises:
            ConflictError: Rows that may not lose it still refer to it.
        """
        try:
            await self.repository.delete(tag)
        except IntegrityError as exc:
            raise ConflictError(
                "The tag is still referred to and cannot be deleted"
            ) from exc

    async def _change(self, tag: Tag, values: dict[str, Any]) -> Tag:
        await self._ensure_unique(values, tag.id)
        for field, value in values.items():
            setattr(tag, field, value)
        return await self._write(self.repository.save(tag))

    async def _ensure_unique(
        self, values: dict[str, Any], tag_id: UUID | None = None
    ) -> None:
        """Refuse values of unique fields that another tag already has."""
        if values.get("name") is not None:
            other = await self.repository.get_by_name(values["name"])
            if other is not None and other.id != tag_id:
                raise ConflictError("A tag with this name already exists")

    @staticmethod
    async def _write(pending: Awaitable[Tag]) -> Tag:
        """Await a write, answering a constraint the database enforced with 409."""
        try:
            return await pending
        except IntegrityError as exc:
            raise ConflictError("The tag conflicts with existing data") from exc
