"""API keys: issued by administrators, each acting as one user."""

import hashlib
import secrets
from datetime import UTC, datetime, timedelta

from sqlalchemy.ext.asyncio import AsyncSession

from app.core.errors import NotFoundError, UnauthorizedError
from app.models.api_key import KEY_PREFIX_LENGTH, ApiKey
from app.models.user import User
from app.repositories.api_key import ApiKeyRepository
from app.schemas.api_key import ApiKeyCreate, ApiKeyCreated, ApiKeyRead
from app.schemas.common import Page, PageQuery

KEY_MARKER = "sk_"
"""The start of every key, so that secret scanners and people recognise one."""
KEY_ENTROPY_BYTES = 32


def key_digest(key: str) -> str:
    """Return the SHA-256 digest that stands for ``key`` in the database.

    A fast hash suffices: keys are random with 256 bits of entropy, unlike
    passwords, so they cannot be guessed from their digest.
    """
    return hashlib.sha256(key.encode()).hexdigest()


def api_key_read(api_key: ApiKey) -> ApiKeyRead:
    """Describe ``api_key`` without the key itself."""
    return ApiKeyRead(
        id=api_key.id,
        user_id=api_key.user_id,
        name=api_key.name,
        prefix=api_key.prefix,
        role=api_key.user.role,
        expires_at=api_key.expires_at,
        revoked_at=api_key.revoked_at,
        created_at=api_key.created_at,
    )


class ApiKeyService:
    """Creates, lists, revokes and checks API keys.

    Args:
        session: The session of the current request.
    """

    def __init__(self, session: AsyncSession) -> None:
        self.session = session
        self.repository = ApiKeyRepository(session)

    async def create(self, data: ApiKeyCreate, *, acting: User) -> ApiKeyCreated:
        """Issue a key that acts as ``data.user_id``, or as ``acting`` without one.

        Returns:
            The key's description with the key itself, which is not kept.

        Raises:
            NotFoundError: No user has ``data.user_id``.
        """
        user = acting
        if data.user_id is not None:
            found = await self.session.get(User, data.user_id)
            if found is None:
                raise NotFoundError(f"User {data.user_id} not found")
            user = found
        key = KEY_MARKER + secrets.token_urlsafe(KEY_ENTROPY_BYTES)
        api_key = await self.repository.add(
            ApiKey(
                user=user,
                name=data.name,
                prefix=key[:KEY_PREFIX_LENGTH],
                key_digest=key_digest(key),
                expires_at=datetime.now(UTC) + timedelta(days=data.expires_in_days),
            )
        )
        return ApiKeyCreated(**api_key_read(api_key).model_dump(), key=key)

    async def list(self, query: PageQuery) -> Page[ApiKeyRead]:
        """Return one page of keys, newest first."""
        api_keys, total = await self.repository.list(query)
        return Page[ApiKeyRead].create(
            [api_key_read(api_key) for api_key in api_keys],
            total=total,
            page=query.page,
            size=query.size,
        )

    async def revoke(self, api_key_id: int) -> None:
        """Stop the key with this id from working; revoking twice changes nothing.

        Raises:
            NotFoundError: No key has this id.
        """
        api_key = await self.repository.get(api_key_id)
        if api_key is None:
            raise NotFoundError(f"API key {api_key_id} not found")
        if api_key.revoked_at is None:
            api_key.revoked_at = datetime.now(UTC)
            await self.session.flush()

    async def authenticate(self, key: str) -> User:
        """Return the active user that a valid key acts as.

        Raises:
            UnauthorizedError: The key is unknown, revoked or expired, or its
                user is inactive.
        """
        api_key = await self.repository.get_by_digest(key_digest(key))
        if (
            api_key is None
            or api_key.revoked_at is not None
            or api_key.expires_at <= datetime.now(UTC)
            or not api_key.user.is_active
        ):
            raise UnauthorizedError("Invalid, expired or revoked API key")
        return api_key.user
