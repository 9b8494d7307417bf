"""Business rules for people: every change goes through here."""

from collections.abc import Awaitable
from typing import Any

from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession

from app.core.errors import ConflictError, NotFoundError
from app.models.person import Person
from app.repositories.person import PersonRepository
from app.schemas.common import Page
from app.schemas.person import PersonCreate, PersonQuery, PersonRead, PersonUpdate


class PersonService:
    """Lists, creates, changes and deletes people.

    Raises :class:`~app.core.errors.AppError` subclasses, never ``HTTPException``.

    Args:
        session: The session of the current request.
    """

    def __init__(self, session: AsyncSession) -> None:
        self.repository = PersonRepository(session)

    async def list(self, query: PersonQuery) -> Page[PersonRead]:
        """Return one page of people matching ``query``."""
        rows, total = await self.repository.list(query)
        return Page[PersonRead].create(
            [PersonRead.model_validate(row) for row in rows],
            total=total,
            page=query.page,
            size=query.size,
        )

    async def get(self, person_id: int) -> Person:
        """Return the person with this id.

        Raises:
            NotFoundError: No person has this id.
        """
        person = await self.repository.get(person_id)
        if person is None:
            raise NotFoundError(f"Person {person_id} not found")
        return person

    async def create(self, data: PersonCreate) -> Person:
        """Create a person.

        Raises:
            ConflictError: A unique field's value is taken.
        """
        values = data.model_dump()
        await self._ensure_unique(values)
        return await self._write(self.repository.add(Person(**values)))

    async def replace(self, person: Person, data: PersonCreate) -> Person:
        """Replace every field of ``person`` with ``data``.

        Raises:
            ConflictError: A unique field's value is taken by another person.
        """
        return await self._change(person, data.model_dump())

    async def update(self, person: Person, data: PersonUpdate) -> Person:
        """Change the fields of ``person`` that ``data`` sets.

        Raises:
            ConflictError: A unique field's value is taken by another person.
        """
        return await self._change(person, data.model_dump(exclude_unset=True))

    async def delete(self, person: Person) -> None:
        """Delete ``person``.

        Raises:
            ConflictError: Rows that may not lose it still refer to it.
        """
        try:
            await self.repository.delete(person)
        except IntegrityError as exc:
            raise ConflictError(
                "The person is still referred to and cannot be deleted"
            ) from exc

    async def _change(self, person: Person, values: dict[str, Any]) -> Person:
        await self._ensure_unique(values, person.id)
        for field, value in values.items():
            setattr(person, field, value)
        return await self._write(self.repository.save(person))

    async def _ensure_unique(
        self, values: dict[str, Any], person_id: int | None = None
    ) -> None:
        """Refuse values of unique fields that another person already has."""
        if values.get("email") is not None:
            other = await self.repository.get_by_email(values["email"])
            if other is not None and other.id != person_id:
                raise ConflictError("A person with this email already exists")

    @staticmethod
    async def _write(pending: Awaitable[Person]) -> Person:
        """Await a write, answering a constraint the database enforced with 409."""
        try:
            return await pending
        except IntegrityError as exc:
            raise ConflictError("The person conflicts with existing data") from exc
