"""``python -m app.create_admin``: the first administrator."""

import logging
from typing import Any, cast

import pytest
from pydantic import ValidationError
from sqlalchemy.ext.asyncio import AsyncSession

from app.core.config import Settings
from app.core.errors import UnauthorizedError
from app.core.security import verify_password
from app.create_admin import main, make_admin
from app.models.user import Role
from app.services.auth import AuthService
from tests.auth import PASSWORD, create_user


async def test_a_new_email_becomes_an_admin_with_that_password(
    session: AsyncSession, settings: Settings, caplog: pytest.LogCaptureFixture
) -> None:
    # Given an email address nobody registered / When it is made an admin
    caplog.set_level(logging.INFO)
    admin = await make_admin(session, settings, "Root@example.com", "root-passphrase")

    # Then the user exists, is an admin, and signs in with that password
    assert admin.role is Role.ADMIN
    assert admin.email == "root@example.com"
    assert verify_password("root-passphrase", admin.hashed_password, settings)[0]

    # And its creation is a security event that does not hold the password
    events = [r.msg for r in caplog.records if r.name == "app.security"]
    assert any(cast(dict[str, Any], e)["event"] == "admin_created" for e in events)
    assert "root-passphrase" not in caplog.text


async def test_a_registered_address_is_refused_without_promote(
    session: AsyncSession, settings: Settings
) -> None:
    # Given an account someone registered
    user = await create_user(session, settings, "taken@example.com")

    # When it is made an admin without --promote, with a password of its own
    # Then it is refused, and the account keeps its role and password
    with pytest.raises(ValueError, match="pass --promote"):
        await make_admin(session, settings, "TAKEN@example.com", "root-passphrase")
    assert user.role is Role.USER
    assert verify_password(PASSWORD, user.hashed_password, settings)[0]


async def test_promote_makes_a_registered_user_an_active_admin(
    session: AsyncSession, settings: Settings, caplog: pytest.LogCaptureFixture
) -> None:
    # Given a deactivated user with a refresh token
    caplog.set_level(logging.INFO)
    user = await create_user(session, settings, "old@example.com", is_active=False)
    old_hash = user.hashed_password
    tokens = AuthService(session, settings)
    issued = await tokens.start_session(user)

    # When they are promoted, with no password given
    admin = await make_admin(session, settings, "OLD@example.com", None, promote=True)

    # Then the same user is an active admin, with their password unchanged
    assert admin.id == user.id
    assert (admin.role, admin.is_active) == (Role.ADMIN, True)
    assert admin.hashed_password == old_hash

    # And their earlier sessions are over, and the promotion is a security event
    with pytest.raises(UnauthorizedError):
        await tokens.refresh(issued.refresh_token)
    events = [r.msg for r in caplog.records if r.name == "app.security"]
    assert any(cast(dict[str, Any], e)["event"] == "admin_promoted" for e in events)


async def test_promote_refuses_a_password(
    session: AsyncSession, settings: Settings
) -> None:
    # Given a registered user
    user = await create_user(session, settings, "old@example.com")

    # When they are promoted with a password / Then it is refused, not ignored
    with pytest.raises(ValueError, match="keeps the account's own password"):
        await make_admin(
            session, settings, "old@example.com", "root-passphrase", promote=True
        )
    assert user.role is Role.USER


async def test_promote_refuses_an_unknown_address(
    session: AsyncSession, settings: Settings
) -> None:
    with pytest.raises(ValueError, match="leave out --promote"):
        await make_admin(session, settings, "root@example.com", None, promote=True)


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


def test_the_command_refuses_a_password_with_promote(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    # Given a password in the environment
    monkeypatch.setenv("ADMIN_PASSWORD", "root-passphrase")

    # When the command promotes / Then it exits 2 with one line naming the fix
    assert main(["root@example.com", "--promote"]) == 2
    assert "unset ADMIN_PASSWORD" in capsys.readouterr().err
