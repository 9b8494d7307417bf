"""A user's credentials: password change and reset, signing out everywhere.

Every change of password ends every session of the user: all their refresh
tokens are revoked, and so are their unused password reset tokens.
"""

from datetime import UTC, datetime, timedelta
from email.message import EmailMessage
from urllib.parse import urlencode

import structlog
from sqlalchemy.ext.asyncio import AsyncSession

from app.core.config import Settings
from app.core.errors import ForbiddenError
from app.core.mail import compose
from app.core.passwords import (
    check_password_length,
    hash_password_in_thread,
    verify_password_in_thread,
)
from app.core.security import new_refresh_token, token_digest
from app.models.password_reset_token import PasswordResetToken
from app.models.user import User
from app.repositories.user import (
    PasswordResetTokenRepository,
    RefreshTokenRepository,
    UserRepository,
)
from app.services.auth import AuthService, Tokens

security_log = structlog.get_logger("app.security")


class CredentialsService:
    """Changes and resets passwords, and ends sessions.

    Args:
        session: The session of the current request.
        settings: Token lifetimes, password hashing costs and the reset link.
    """

    def __init__(self, session: AsyncSession, settings: Settings) -> None:
        self.settings = settings
        self.auth = AuthService(session, settings)
        self.users = UserRepository(session)
        self.refresh_tokens = RefreshTokenRepository(session)
        self.reset_tokens = PasswordResetTokenRepository(session)

    async def change_password(
        self, user: User, current_password: str, new_password: str
    ) -> Tokens:
        """Set a new password after checking the current one.

        Every session of the user ends, this one included; the tokens of a new
        session are returned in its place.

        Raises:
            PasswordTooShortError: The new password is shorter than
                ``PASSWORD_MIN_LENGTH``.
            ForbiddenError: The current password is wrong.
        """
        check_password_length(new_password, self.settings)
        valid, _ = await verify_password_in_thread(
            current_password, user.hashed_password, self.settings
        )
        if not valid:
            raise ForbiddenError("The current password is incorrect")
        await self._set_password(user, new_password)
        security_log.info("password_changed", user_id=str(user.id))
        return await self.auth.start_session(user)

    async def sign_out_everywhere(self, user: User) -> None:
        """End every session of ``user`` by revoking all their refresh tokens."""
        await self.refresh_tokens.revoke_user(user, datetime.now(UTC))
        security_log.info("sessions_revoked", user_id=str(user.id))

    async def request_password_reset(self, email: str) -> EmailMessage | None:
        """Issue a reset token for ``email`` and compose the mail that carries it.

        Older unused tokens of the user stop working. Nothing is issued for an
        unknown or deactivated address; the caller answers the same either way.

        Returns:
            The mail to send, or ``None`` when there is nobody to send it to.
        """
        user = await self.users.get_by_email(email)
        if user is None or not user.is_active:
            security_log.info("password_reset_requested", user_id=None)
            return None
        now = datetime.now(UTC)
        await self.reset_tokens.use_all(user, now)
        token = new_refresh_token()
        lifetime = self.settings.password_reset_token_expire_minutes
        await self.reset_tokens.add(
            PasswordResetToken(
                user_id=user.id,
                token_digest=token_digest(token),
                expires_at=now + timedelta(minutes=lifetime),
            )
        )
        security_log.info("password_reset_requested", user_id=str(user.id))
        link = f"{self.settings.password_reset_url}?{urlencode({'token': token})}"
        return compose(
            self.settings,
            to=user.email,
            subject=f"Reset your {self.settings.app_name} password",
            body=(
                "Someone asked to reset the password of your account. To choose a "
                f"new one, open this link within {lifetime} minutes:\n\n{link}\n\n"
                "If it was not you, ignore this mail: your password stays as it is.\n"
            ),
        )

    async def reset_password(self, token: str, new_password: str) -> None:
        """Set a new password with a reset token, which is used up.

        Raises:
            PasswordTooShortError: The new password is shorter than
                ``PASSWORD_MIN_LENGTH``.
            ForbiddenError: The token is unknown, used or expired, or its user
                is deactivated (403: the token does not allow the change).
        """
        check_password_length(new_password, self.settings)
        now = datetime.now(UTC)
        redeemed = await self.reset_tokens.redeem(token_digest(token), now)
        user = await self.users.get(redeemed.user_id) if redeemed else None
        if user is None or not user.is_active:
            raise ForbiddenError("Invalid or expired password reset token")
        await self._set_password(user, new_password)
        security_log.info("password_reset_completed", user_id=str(user.id))

    async def _set_password(self, user: User, password: str) -> None:
        now = datetime.now(UTC)
        user.hashed_password = await hash_password_in_thread(password, self.settings)
        await self.users.save(user)
        await self.refresh_tokens.revoke_user(user, now)
        await self.reset_tokens.use_all(user, now)
