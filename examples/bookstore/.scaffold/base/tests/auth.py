"""Helpers for tests that need users: creating them and signing them in."""

from sqlalchemy.ext.asyncio import AsyncSession

from app.core.config import Settings
from app.core.security import create_access_token, hash_password
from app.models.user import Role, User

PASSWORD = "correct-horse-battery"
"""The password of every user the tests create."""


async def create_user(
    session: AsyncSession,
    settings: Settings,
    email: str,
    *,
    role: Role = Role.USER,
    is_active: bool = True,
) -> User:
    """Insert a user whose password is :data:`PASSWORD`.

    The insert is committed (in the tests, a savepoint is released), so that a
    request that fails and rolls back does not take the user with it.
    """
    user = User(
        email=email,
        hashed_password=hash_password(PASSWORD, settings),
        role=role,
        is_active=is_active,
    )
    session.add(user)
    await session.commit()
    return user


def auth_headers(user: User, settings: Settings) -> dict[str, str]:
    """The ``Authorization`` header of a request made by ``user``."""
    return {"Authorization": f"Bearer {create_access_token(str(user.id), settings)}"}
