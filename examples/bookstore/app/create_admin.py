"""Make an administrator: ``uv run python -m app.create_admin EMAIL``.

Registers the user with the ``admin`` role, asking for a password (or reading
``ADMIN_PASSWORD``), or promotes and reactivates the user when the email
address is registered already. Run it once to get the first administrator;
administrators manage every other user through ``/api/v1/users``.
"""

import argparse
import asyncio
import getpass
import os
import sys
from collections.abc import Sequence

from pydantic import ValidationError
from sqlalchemy.ext.asyncio import AsyncSession

from app.core.config import Settings, get_settings
from app.core.database import create_engine, create_session_factory
from app.models.user import Role, User
from app.repositories.user import UserRepository
from app.schemas.user import UserCreate
from app.services.auth import AuthService


async def make_admin(
    session: AsyncSession, settings: Settings, email: str, password: str | None
) -> User:
    """Give ``email`` the admin role, registering the user if needed.

    Args:
        session: The session to write through; committed by the caller.
        settings: Settings holding the password hashing costs.
        email: The administrator's email address.
        password: The password of a new user; ignored for an existing one.

    Returns:
        The administrator.

    Raises:
        ValueError: The user is new and no password was given.
        ValidationError: The email address or the password is not acceptable.
    """
    users = UserRepository(session)
    user = await users.get_by_email(email)
    if user is not None:
        user.role = Role.ADMIN
        user.is_active = True
        return await users.save(user)
    if password is None:
        raise ValueError(f"{email} is not registered; give a password to create it")
    data = UserCreate(email=email, password=password)
    return await AuthService(session, settings).register(data, role=Role.ADMIN)


async def _run(email: str, password: str | None) -> User:
    settings = get_settings()
    engine = create_engine(settings.database_url)
    try:
        async with create_session_factory(engine)() as session:
            user = await make_admin(session, settings, email, password)
            await session.commit()
            return user
    finally:
        await engine.dispose()


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command; return its exit code."""
    parser = argparse.ArgumentParser(
        prog="python -m app.create_admin", description=__doc__.splitlines()[0]
    )
    parser.add_argument("email", help="email address of the administrator")
    options = parser.parse_args(argv)
    password = os.environ.get("ADMIN_PASSWORD")
    if password is None and sys.stdin.isatty():
        password = getpass.getpass("Password (for a new user): ") or None
    try:
        user = asyncio.run(_run(options.email, password))
    except (ValueError, ValidationError) as exc:
        sys.stderr.write(f"error: {exc}\n")
        return 2
    sys.stdout.write(f"{user.email} is an administrator\n")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
