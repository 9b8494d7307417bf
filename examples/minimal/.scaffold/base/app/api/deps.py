"""Dependencies shared by the endpoints, each with its ``Annotated`` alias."""

from collections.abc import AsyncIterator
from typing import Annotated

from fastapi import Depends, Request
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker


async def get_session(request: Request) -> AsyncIterator[AsyncSession]:
    """Provide a database session for one request.

    The session commits when the endpoint returns and rolls back when it
    raises, before the response is sent (``scope="function"`` in
    :data:`SessionDep`), so a failed commit still reaches the client as an error.

    Args:
        request: The current request; its application holds the session factory.

    Yields:
        The session.
    """
    session_factory: async_sessionmaker[AsyncSession] = (
        request.app.state.session_factory
    )
    async with session_factory() as session:
        try:
            yield session
            await session.commit()
        except Exception:
            await session.rollback()
            raise


SessionDep = Annotated[AsyncSession, Depends(get_session, scope="function")]
