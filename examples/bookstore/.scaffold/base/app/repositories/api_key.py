"""Database access for API keys."""

from uuid import UUID

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from app.models.api_key import ApiKey
from app.schemas.common import PageQuery


class ApiKeyRepository:
    """Reads and writes the ``api_keys`` table.

    Args:
        session: The session of the current request.
    """

    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def add(self, api_key: ApiKey) -> ApiKey:
        """Store a new key."""
        self.session.add(api_key)
        await self.session.flush()
        return api_key

    async def get(self, api_key_id: UUID) -> ApiKey | None:
        """Return the key with this id, if any."""
        return await self.session.get(ApiKey, api_key_id)

    async def get_by_digest(self, digest: str) -> ApiKey | None:
        """Return the key whose SHA-256 digest is ``digest``, if any."""
        result = await self.session.scalars(
            select(ApiKey).where(ApiKey.key_digest == digest)
        )
        return result.first()

    async def list(self, query: PageQuery) -> tuple[list[ApiKey], int]:
        """Return one page of keys, newest first, and the number of all keys."""
        total = await self.session.scalar(select(func.count()).select_from(ApiKey))
        result = await self.session.scalars(
            select(ApiKey)
            .order_by(ApiKey.created_at.desc(), ApiKey.id)
            .offset((query.page - 1) * query.size)
            .limit(query.size)
        )
        return list(result), total or 0
