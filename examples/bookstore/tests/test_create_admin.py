"""``python -m app.create_admin``: the first administrator."""

import pytest
from pydantic import ValidationError
from sqlalchemy.ext.asyncio import AsyncSession

from app.core.config import Settings
from app.core.security import verify_password
from app.create_admin import make_admin
from app.models.user import Role
from tests.auth import create_user


async def test_a_new_email_becomes_an_admin_with_that_password(
    session: AsyncSession, settings: Settings
) -> None:
    # Given an email address nobody registered / When it is made an admin
    admin = await make_admin(session, settings, "root@example.com", "root-passphrase")

    # Then the user exists, is an admin, and signs in with that password
    assert admin.role is Role.ADMIN
    assert verify_password("root-passphrase", admin.hashed_password, settings)[0]


async def test_a_registered_user_is_promoted_and_reactivated(
    session: AsyncSession, settings: Settings
) -> None:
    # Given a deactivated user
    user = await create_user(session, settings, "old@example.com", is_active=False)
    old_hash = user.hashed_password

    # When they are made an admin, with no password given
    admin = await make_admin(session, settings, "OLD@example.com", None)

    # Then the same user is an active admin, with their password unchanged
    assert admin.id == user.id
    assert (admin.role, admin.is_active) == (Role.ADMIN, True)
    assert admin.hashed_password == old_hash


async def test_a_new_email_needs_a_password(
    session: AsyncSession, settings: Settings
) -> None:
    with pytest.raises(ValueError, match="give a password"):
        await make_admin(session, settings, "root@example.com", None)


async def test_a_short_password_is_refused(
    session: AsyncSession, settings: Settings
) -> None:
    with pytest.raises(ValidationError):
        await make_admin(session, settings, "root@example.com", "short")
