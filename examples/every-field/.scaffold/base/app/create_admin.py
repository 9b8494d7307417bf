"""Make an administrator: ``uv run python -m app.create_admin EMAIL [--promote]``.

Registers a new user with the ``admin`` role, asking for a password (or reading
``ADMIN_PASSWORD``). An address that is registered already is refused, unless
``--promote`` is given: then that account is made an active administrator with
its own password, and no password may be given. Run it once to get the first
administrator; administrators manage every other user through ``/api/v1/users``.
"""

import argparse
import asyncio
import getpass
import os
import sys
from collections.abc import Sequence
from datetime import UTC, datetime

import structlog
from pydantic import ValidationError
from sqlalchemy.ext.asyncio import AsyncSession

from app.core.config import Settings, get_settings
from app.core.database import create_engine, create_session_factory
from app.core.errors import AppError
from app.models.user import Role, User
from app.repositories.user import RefreshTokenRepository, UserRepository
from app.schemas.user import UserCreate
from app.services.auth import AuthService

security_log = structlog.get_logger("app.security")


async def make_admin(
    session: AsyncSession,
    settings: Settings,
    email: str,
    password: str | None,
    *,
    promote: bool = False,
) -> User:
    """Register ``email`` as an administrator, or promote its existing account.

    Args:
        session: The session to write through; committed by the caller.
        settings: Settings holding the password hashing costs.
        email: The administrator's email address.
        password: The password of a new user; refused with ``promote``.
        promote: Make an existing account an active administrator, keeping its
            password and ending its sessions, instead of refusing it.

    Returns:
        The administrator.

    Raises:
        ValueError: The address is registered and ``promote`` is not given, or
            ``promote`` is given with a password or for an unknown address, or
            a new user has no password.
        ValidationError: The email address or the password is not acceptable.
    """
    if promote and password is not None:
        raise ValueError(
            "--promote keeps the account's own password; do not give one "
            "(unset ADMIN_PASSWORD)"
        )
    users = UserRepository(session)
    user = await users.get_by_email(email)
    if promote:
        if user is None:
            raise ValueError(
                f"{email} is not registered; leave out --promote to create it"
            )
        user.role = Role.ADMIN
        user.is_active = True
        await RefreshTokenRepository(session).revoke_user(user, datetime.now(UTC))
        security_log.info("admin_promoted", user_id=str(user.id))
        return await users.save(user)
    if user is not None:
        raise ValueError(
            f"{email} is registered already; pass --promote to make that account "
            "an administrator"
        )
    if password is None:
        raise ValueError(f"{email} is not registered; give a password to create it")
    data = UserCreate(email=email, password=password)
    admin = await AuthService(session, settings).register(data, role=Role.ADMIN)
    security_log.info("admin_created", user_id=str(admin.id))
    return admin


async def _run(email: str, password: str | None, *, promote: bool) -> User:
    settings = get_settings()
    engine = create_engine(settings.database_url)
    try:
        async with create_session_factory(engine)() as session:
            user = await make_admin(session, settings, email, password, promote=promote)
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
    parser.add_argument(
        "--promote",
        action="store_true",
        help="make an existing account an administrator, keeping its password",
    )
    options = parser.parse_args(argv)
    password = os.environ.get("ADMIN_PASSWORD")
    if password is None and not options.promote and sys.stdin.isatty():
        password = getpass.getpass("Password of the new administrator: ") or None
    try:
        user = asyncio.run(_run(options.email, password, promote=options.promote))
    except (ValueError, ValidationError, AppError) as exc:
        sys.stderr.write(f"error: {exc}\n")
        return 2
    sys.stdout.write(f"{user.email} is an administrator\n")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
