"""Database access for people: queries only, no business rules."""

from collections.abc import Sequence
from typing import Any

from sqlalchemy import func, or_, select
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import InstrumentedAttribute

from app.core.database import escape_like
from app.models.person import Person
from app.schemas.person import PersonQuery

_SORTABLE: dict[str, InstrumentedAttribute[Any]] = {
    "email": Person.email,
    "full_name": Person.full_name,
    "date": Person.date,
    "status": Person.status,
    "score": Person.score,
    "updated_on": Person.updated_on,
    "created_at": Person.created_at,
    "updated_at": Person.updated_at,
}
"""The columns ``sort`` may name."""


class PersonRepository:
    """Reads and writes ``Person`` rows through one session.

    Args:
        session: The session of the current request.
    """

    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def get(self, person_id: int) -> Person | None:
        """Return the person with this id, or ``None``."""
        return await self.session.get(Person, person_id)

    async def get_by_email(self, email: str) -> Person | None:
        """Return the person whose email is ``email``, or ``None``."""
        return await self.session.scalar(select(Person).where(Person.email == email))

    async def list(self, query: PersonQuery) -> tuple[Sequence[Person], int]:
        """Return one page of the people that match ``query``.

        Args:
            query: Paging, filters, search and sort order.

        Returns:
            The people on the page and how many match in all.
        """
        statement = select(Person)
        if query.email is not None:
            statement = statement.where(Person.email == query.email)
        if query.status is not None:
            statement = statement.where(Person.status == query.status)
        if query.q is not None:
            pattern = f"%{escape_like(query.q)}%"
            statement = statement.where(
                or_(
                    Person.email.ilike(pattern, escape="\\"),
                    Person.full_name.ilike(pattern, escape="\\"),
                )
            )
        total = await self.session.scalar(
            select(func.count()).select_from(statement.subquery())
        )
        if query.sort is None:
            order = Person.created_at.desc()
        else:
            column = _SORTABLE[query.sort.removeprefix("-")]
            order = column.desc() if query.sort.startswith("-") else column.asc()
        rows = await self.session.scalars(
            statement.order_by(order, Person.id)
            .offset((query.page - 1) * query.size)
            .limit(query.size)
        )
        return rows.all(), total or 0

    async def add(self, person: Person) -> Person:
        """Insert ``person``, then load what the database set."""
        self.session.add(person)
        await self.session.flush()
        await self.session.refresh(person)
        return person

    async def save(self, person: Person) -> Person:
        """Write the changes to ``person``, then reload what the database set."""
        await self.session.flush()
        await self.session.refresh(person)
        return person

    async def delete(self, person: Person) -> None:
        """Delete ``person``."""
        await self.session.delete(person)
        await self.session.flush()
