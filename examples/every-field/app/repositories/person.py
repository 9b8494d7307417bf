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
    column.key: column
    for column in (
        Person.email,
        Person.full_name,
        Person.date,
        Person.status,
        Person.score,
        Person.initial,
        Person.discount,
        Person.updated_on,
        Person.created_at,
        Person.updated_at,
    )
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
            statement = statement.where(Person.email.in_(query.email))
        if query.date__gte is not None:
            statement = statement.where(Person.date >= query.date__gte)
        if query.date__lte is not None:
            statement = statement.where(Person.date <= query.date__lte)
        if query.date__gt is not None:
            statement = statement.where(Person.date > query.date__gt)
        if query.date__lt is not None:
            statement = statement.where(Person.date < query.date__lt)
        if query.date__isnull is not None:
            statement = statement.where(
                Person.date.is_(None)
                if query.date__isnull
                else Person.date.is_not(None)
            )
        if query.status is not None:
            statement = statement.where(Person.status.in_(query.status))
        if query.score__gte is not None:
            statement = statement.where(Person.score >= query.score__gte)
        if query.score__lte is not None:
            statement = statement.where(Person.score <= query.score__lte)
        if query.score__gt is not None:
            statement = statement.where(Person.score > query.score__gt)
        if query.score__lt is not None:
            statement = statement.where(Person.score < query.score__lt)
        if query.score__isnull is not None:
            statement = statement.where(
                Person.score.is_(None)
                if query.score__isnull
                else Person.score.is_not(None)
            )
        if query.initial__isnull is not None:
            statement = statement.where(
                Person.initial.is_(None)
                if query.initial__isnull
                else Person.initial.is_not(None)
            )
        if query.discount__gte is not None:
            statement = statement.where(Person.discount >= query.discount__gte)
        if query.discount__lte is not None:
            statement = statement.where(Person.discount <= query.discount__lte)
        if query.discount__gt is not None:
            statement = statement.where(Person.discount > query.discount__gt)
        if query.discount__lt is not None:
            statement = statement.where(Person.discount < query.discount__lt)
        if query.discount__isnull is not None:
            statement = statement.where(
                Person.discount.is_(None)
                if query.discount__isnull
                else Person.discount.is_not(None)
            )
        if query.updated_on__gte is not None:
            statement = statement.where(Person.updated_on >= query.updated_on__gte)
        if query.updated_on__lte is not None:
            statement = statement.where(Person.updated_on <= query.updated_on__lte)
        if query.updated_on__gt is not None:
            statement = statement.where(Person.updated_on > query.updated_on__gt)
        if query.updated_on__lt is not None:
            statement = statement.where(Person.updated_on < query.updated_on__lt)
        if query.updated_on__isnull is not None:
            statement = statement.where(
                Person.updated_on.is_(None)
                if query.updated_on__isnull
                else Person.updated_on.is_not(None)
            )
        if query.q is not None:
            pattern = f"%{escape_like(query.q)}%"
            statement = statement.where(
                or_(
                    Person.email.ilike(pattern, escape="\\"),
                    Person.full_name.ilike(pattern, escape="\\"),
                    Person.initial.ilike(pattern, escape="\\"),
                )
            )
        # Newest first by default, which the (created_at, id) index serves; the
        # id breaks ties in the same direction, so pages never overlap.
        sort = query.sort or "-created_at"
        column = _SORTABLE[sort.removeprefix("-")]
        if sort.startswith("-"):
            order = (column.desc(), Person.id.desc())
        else:
            order = (column.asc(), Person.id.asc())
        offset = (query.page - 1) * query.size
        rows = (
            await self.session.scalars(
                statement.order_by(*order).offset(offset).limit(query.size)
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
