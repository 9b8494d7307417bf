"""Accounts and sessions: registration, login, token rotation and logout."""

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from uuid import UUID, uuid4

import structlog
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession

from app.core.config import Settings
from app.core.errors import ConflictError, ForbiddenError, UnauthorizedError
from app.core.passwords import (
    check_password_length,
    hash_password_in_thread,
    verify_password_in_thread,
)
from app.core.security import (
    create_access_token,
    new_refresh_token,
    token_digest,
)
from app.models.refresh_token import RefreshToken
from app.models.user import Role, User
from app.repositories.user import RefreshTokenRepository, UserRepository
from app.schemas.user import UserCreate

_BAD_CREDENTIALS = "Incorrect email or password"
_INVALID_REFRESH = "Invalid or expired refresh token"
_EMAIL_TAKEN = "A user with this email already exists"

security_log = structlog.get_logger("app.security")


@dataclass(frozen=True)
class Tokens:
    """An access token and the refresh token issued with it."""

    access_token: str
    refresh_token: str
    expires_in: int


class AuthService:
    """Registers users, signs them in and out, and rotates their tokens.

    Raises :class:`~app.core.errors.AppError` subclasses, never ``HTTPException``.

    Args:
        session: The session of the current request.
        settings: Token lifetimes, signing key and password hashing costs.
    """

    def __init__(self, session: AsyncSession, settings: Settings) -> None:
        self.session = session
        self.settings = settings
        self.users = UserRepository(session)
        self.tokens = RefreshTokenRepository(session)

    async def register(self, data: UserCreate, *, role: Role = Role.USER) -> User:
        """Create a user with a hashed password.

        The database's unique constraint decides between concurrent
        registrations of one address: all but one get the conflict.

        Raises:
            PasswordTooShortError: The password is shorter than
                ``PASSWORD_MIN_LENGTH``.
            ConflictError: The email address is taken.
        """
        check_password_length(data.password, self.settings)
        if await self.users.get_by_email(data.email) is not None:
            raise ConflictError(_EMAIL_TAKEN)
        user = User(
            email=data.email,
            hashed_password=await hash_password_in_thread(data.password, self.settings),
            role=role,
        )
        try:
            return await self.users.add(user)
        except IntegrityError as exc:
            raise ConflictError(_EMAIL_TAKEN) from exc

    async def authenticate(self, email: str, password: str) -> User:
        """Return the active user with these credentials.

        Every failed attempt does the same work, one Argon2 verification in a
        worker thread, whether the email address is unknown, the password wrong
        or too long, so the answer's timing tells nothing. Failures are logged
        as ``login_failed`` events with the email address, never the password.
        A hash made with outdated parameters is replaced.

        Raises:
            UnauthorizedError: No user has this email and password.
            ForbiddenError: The user is deactivated.
        """
        user = await self.users.get_by_email(email)
        stored_hash = user.hashed_password if user is not None else None
        valid, new_hash = await verify_password_in_thread(
            password, stored_hash, self.settings
        )
        if user is None or not valid:
            security_log.warning(
                "login_failed",
                email=email.strip().lower(),
                reason="unknown_email" if user is None else "wrong_password",
            )
            raise UnauthorizedError(_BAD_CREDENTIALS)
        if not user.is_active:
            security_log.warning("login_failed", email=user.email, reason="deactivated")
            raise ForbiddenError("This account is deactivated")
        if new_hash is not None:
            user.hashed_password = new_hash
            await self.users.save(user)
        return user

    async def login(self, email: str, password: str) -> Tokens:
        """Check the credentials and start a new token family.

        Raises:
            UnauthorizedError: No user has this email and password.
            ForbiddenError: The user is deactivated.
        """
        user = await self.authenticate(email, password)
        return await self.start_session(user)

    async def start_session(self, user: User) -> Tokens:
        """Issue the tokens of a new session (token family) of ``user``."""
        return await self._issue(
            user, family_id=uuid4(), session_started_at=datetime.now(UTC)
        )

    async def refresh(self, refresh_token: str) -> Tokens:
        """Exchange a refresh token for new tokens of the same family.

        A token that was already exchanged or revoked is a stolen copy or a
        replay: the whole family is revoked, signing out the thief and the user.
        The exchange is one conditional write, so of several requests with the
        same token at once exactly one succeeds and the others count as reuse.
        The new tokens expire no later than the session does.

        Raises:
            UnauthorizedError: The token is unknown, revoked or expired, its
                session is over, or its user is deactivated.
        """
        now = datetime.now(UTC)
        stored = await self.tokens.get_by_digest(token_digest(refresh_token))
        if stored is None or stored.expires_at <= now:
            raise UnauthorizedError(_INVALID_REFRESH)
        if stored.revoked_at is not None or not await self.tokens.claim(stored, now):
            await self.tokens.revoke_family(stored.family_id, now)
            # Keep the revocation although the request fails.
            await self.session.commit()
            security_log.warning(
                "refresh_token_reused",
                user_id=str(stored.user_id),
                family_id=str(stored.family_id),
            )
            raise UnauthorizedError(_INVALID_REFRESH)
        user = await self.users.get(stored.user_id)
        if user is None or not user.is_active:
            raise UnauthorizedError(_INVALID_REFRESH)
        return await self._issue(
            user,
            family_id=stored.family_id,
            session_started_at=stored.session_started_at,
        )

    async def logout(self, refresh_token: str) -> None:
        """Revoke the family of ``refresh_token``; unknown tokens are ignored."""
        stored = await self.tokens.get_by_digest(token_digest(refresh_token))
        if stored is not None:
            await self.tokens.revoke_family(stored.family_id, datetime.now(UTC))

    async def _issue(
        self, user: User, *, family_id: UUID, session_started_at: datetime
    ) -> Tokens:
        refresh_token = new_refresh_token()
        now = datetime.now(UTC)
        session_end = session_started_at + timedelta(
            days=self.settings.session_lifetime_days
        )
        lifetime = timedelta(days=self.settings.refresh_token_expire_days)
        await self.tokens.add(
            RefreshToken(
                user_id=user.id,
                token_digest=token_digest(refresh_token),
                family_id=family_id,
                session_started_at=session_started_at,
                expires_at=min(now + lifetime, session_end),
            )
        )
        return Tokens(
            access_token=create_access_token(str(user.id), self.settings),
            refresh_token=refresh_token,
            expires_in=self.settings.access_token_expire_minutes * 60,
        )
