"""Dependencies shared by the endpoints, each with its ``Annotated`` alias."""

from collections.abc import AsyncIterator
from typing import Annotated

from fastapi import Depends, Request
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession, async_sessionmaker

READ_ONLY_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})
"""The safe methods of RFC 9110: they read and never change anything."""


async def get_session(request: Request) -> AsyncIterator[AsyncSession]:
    """Provide a database session for one request.

    The session commits when the endpoint returns and rolls back when it
    raises, before the response is sent (``scope="function"`` in
    :data:`SessionDep`), so a failed commit still reaches the client as an error.

    A safe request (``GET``, ``HEAD``, ``OPTIONS``) changes nothing, so its
    statements run in autocommit: at the database's default READ COMMITTED
    level each statement reads its own snapshot inside a transaction too, and
    leaving it out saves the ``BEGIN`` and ``COMMIT`` round trips.

    Args:
        request: The current request; its application holds the session factory.

    Yields:
        The session.
    """
    session_factory: async_sessionmaker[AsyncSession] = (
        request.app.state.session_factory
    )
    async with session_factory() as session:
        bind = session.bind
        if request.method in READ_ONLY_METHODS and isinstance(bind, AsyncEngine):
            session.bind = bind.execution_options(isolation_level="AUTOCOMMIT")
        try:
            yield session
            await session.commit()
        except Exception:
            await session.rollback()
            raise


SessionDep = Annotated[AsyncSession, Depends(get_session, scope="function")]
