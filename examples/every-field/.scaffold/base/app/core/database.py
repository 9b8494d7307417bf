"""Database engine, session factory and the declarative base of every model."""

from collections.abc import Callable
from datetime import UTC, datetime
from enum import StrEnum
from typing import Any, ClassVar

from sqlalchemy import Connection, DateTime, Dialect, Index, MetaData, event
from sqlalchemy.engine.interfaces import DBAPIConnection
from sqlalchemy.ext.asyncio import (
    AsyncEngine,
    AsyncSession,
    async_sessionmaker,
    create_async_engine,
)
from sqlalchemy.ext.compiler import compiles
from sqlalchemy.orm import DeclarativeBase, Mapped, declared_attr, mapped_column
from sqlalchemy.pool import ConnectionPoolEntry
from sqlalchemy.schema import SchemaItem
from sqlalchemy.sql.compiler import SQLCompiler
from sqlalchemy.sql.functions import FunctionElement
from sqlalchemy.types import TypeDecorator

from app.core.config import Settings
from app.core.pool import engine_options
from app.core.slow_queries import log_slow_queries

NAMING_CONVENTION: dict[str, str] = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}
"""Constraint names that are stable across databases and Alembic revisions."""


class UTCDateTime(TypeDecorator[datetime]):
    """A timezone-aware ``DateTime`` that always hands out UTC datetimes.

    PostgreSQL stores ``timestamp with time zone``; SQLite has no time zones and
    returns naive values, which this type marks as UTC so both databases behave
    alike. Naive datetimes are refused on the way in.
    """

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(
        self, value: datetime | None, dialect: Dialect
    ) -> datetime | None:
        """Convert an aware datetime to UTC before it is stored."""
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError(f"naive datetime {value!r}; use datetime.now(UTC)")
        return value.astimezone(UTC)

    def process_result_value(
        self, value: datetime | None, dialect: Dialect
    ) -> datetime | None:
        """Return stored datetimes as aware UTC datetimes."""
        if value is None:
            return None
        if value.tzinfo is None:
            return value.replace(tzinfo=UTC)
        return value.astimezone(UTC)


class Base(DeclarativeBase):
    """Declarative base class of every model.

    ``eager_defaults`` makes a flush fetch server-generated values (such as
    ``created_at``) at once, so async code never lazy-loads them afterwards.
    """

    metadata = MetaData(naming_convention=NAMING_CONVENTION)
    type_annotation_map: ClassVar[dict[Any, Any]] = {datetime: UTCDateTime()}

    @declared_attr.directive
    def __mapper_args__(cls) -> dict[str, Any]:
        """Mapper options shared by every model."""
        return {"eager_defaults": True}


@event.listens_for(Base.metadata, "before_create")
def _create_trigram_extension(
    target: MetaData, connection: Connection, **kw: Any
) -> None:
    """Give ``create_all`` (the tests' schema) what the migrations create first.

    On PostgreSQL: the trigram operator classes behind the search indexes.
    """
    if connection.dialect.name == "postgresql":
        connection.exec_driver_sql("CREATE EXTENSION IF NOT EXISTS pg_trgm")


def schema_filter(dialect: str) -> Callable[..., bool]:
    """Return Alembic's ``include_object`` for a database of ``dialect``.

    Schema comparisons (``alembic check``, the migration tests) then leave out
    what that database does not build: an index using a PostgreSQL access
    method (the trigram indexes behind search) exists on PostgreSQL alone.

    Args:
        dialect: The name of the database's dialect (``postgresql``, ``sqlite``).

    Returns:
        A function telling whether to compare a schema object.
    """

    def include_object(
        obj: SchemaItem, name: str | None, type_: str, reflected: bool, *_: Any
    ) -> bool:
        if dialect == "postgresql" or reflected or not isinstance(obj, Index):
            return True
        return not obj.dialect_kwargs.get("postgresql_using")

    return include_object


class UtcNow(FunctionElement[datetime]):
    """The database's current UTC time, to the millisecond or finer.

    ``clock_timestamp()`` on PostgreSQL (microseconds, and the time of the
    statement, where ``CURRENT_TIMESTAMP`` is the same for a whole
    transaction); on SQLite, whose ``CURRENT_TIMESTAMP`` has whole seconds
    only, ``STRFTIME`` with ``%f`` (milliseconds, padded to the six digits
    SQLAlchemy writes, so stored and bound values compare alike as text). Rows
    created one after the other, even within one second, then sort in the
    order they were created.
    """

    type = UTCDateTime()
    inherit_cache = True


@compiles(UtcNow)
def _compile_utcnow(element: UtcNow, compiler: SQLCompiler, **kw: Any) -> str:
    return "CURRENT_TIMESTAMP"


@compiles(UtcNow, "postgresql")
def _compile_utcnow_postgresql(
    element: UtcNow, compiler: SQLCompiler, **kw: Any
) -> str:
    return "clock_timestamp()"


@compiles(UtcNow, "sqlite")
def _compile_utcnow_sqlite(element: UtcNow, compiler: SQLCompiler, **kw: Any) -> str:
    return "STRFTIME('%Y-%m-%d %H:%M:%f000', 'now')"


class TimestampMixin:
    """``created_at`` and ``updated_at`` columns, set by the database."""

    created_at: Mapped[datetime] = mapped_column(server_default=UtcNow())
    updated_at: Mapped[datetime] = mapped_column(
        server_default=UtcNow(), onupdate=UtcNow()
    )


def enum_values(enum: type[StrEnum]) -> list[str]:
    """Store an enum's values rather than its member names.

    Pass as ``values_callable`` to ``sqlalchemy.Enum``, so that the column holds
    ``"in-progress"``, the value clients see, rather than ``"IN_PROGRESS"``.

    Args:
        enum: The enum class of the column.

    Returns:
        The values, in declaration order.
    """
    return [member.value for member in enum]


def escape_like(text: str, escape: str = "\\") -> str:
    """Escape the ``LIKE`` wildcards in ``text`` so that it matches literally.

    Use with ``column.ilike(f"%{escape_like(text)}%", escape="\\")``.

    Args:
        text: What the user searched for.
        escape: The escape character the query declares.

    Returns:
        ``text`` with ``%``, ``_`` and the escape character escaped.
    """
    for special in (escape, "%", "_"):
        text = text.replace(special, escape + special)
    return text


def _enable_sqlite_foreign_keys(
    dbapi_connection: DBAPIConnection, connection_record: ConnectionPoolEntry
) -> None:
    """Turn on foreign key enforcement, which SQLite leaves off by default."""
    cursor = dbapi_connection.cursor()
    try:
        cursor.execute("PRAGMA foreign_keys=ON")
    finally:
        cursor.close()


def create_engine(
    url: str, settings: Settings | None = None, **options: Any
) -> AsyncEngine:
    """Create the async engine for ``url``.

    Args:
        url: SQLAlchemy database URL with an async driver, for example
            ``sqlite+aiosqlite:///./app.db`` or
            ``postgresql+asyncpg://user:password@host:5432/name``.
        settings: Settings with the pool options and the slow query threshold;
            without them the engine keeps SQLAlchemy's pool defaults and logs
            no slow queries.
        **options: More options for SQLAlchemy's ``create_async_engine``, over
            those ``settings`` give (the tests' engine passes its own
            ``async_creator``).

    Returns:
        The engine. Dispose of it when the application shuts down. Its errors
        leave out the bound parameters, which may hold personal data or
        secrets, so that they cannot reach a log.
    """
    defaults = engine_options(url, settings) if settings else {"pool_pre_ping": True}
    engine = create_async_engine(url, hide_parameters=True, **(defaults | options))
    if engine.dialect.name == "sqlite":
        event.listen(engine.sync_engine, "connect", _enable_sqlite_foreign_keys)
    if settings is not None:
        log_slow_queries(engine, settings.slow_query_ms)
    return engine


def create_session_factory(engine: AsyncEngine) -> async_sessionmaker[AsyncSession]:
    """Create the factory of request sessions bound to ``engine``.

    Objects stay usable after a commit (``expire_on_commit=False``): an async
    session cannot lazy-load expired attributes while a response is built.

    Args:
        engine: The engine the sessions connect through.

    Returns:
        A session factory.
    """
    return async_sessionmaker(engine, expire_on_commit=False)
