"""Connection pool options from the settings, and PgBouncer's transaction mode."""

from app.core.config import Settings
from app.core.database import create_engine
from app.core.pool import engine_options

POSTGRES_URL = "postgresql+asyncpg://app@db.example:5432/app"


def test_postgres_gets_the_pool_settings() -> None:
    # Given pool settings
    settings = Settings(
        _env_file=None,
        db_pool_size=7,
        db_max_overflow=3,
        db_pool_timeout=4.5,
        db_pool_recycle=600,
        db_pool_pre_ping=True,
    )

    # When a PostgreSQL engine is configured
    options = engine_options(POSTGRES_URL, settings)

    # Then its pool takes them, and asyncpg keeps its statement cache
    assert options == {
        "pool_pre_ping": True,
        "pool_size": 7,
        "max_overflow": 3,
        "pool_timeout": 4.5,
        "pool_recycle": 600,
    }


def test_the_engine_is_built_with_the_pool_settings() -> None:
    # Given a pool size and timeout
    settings = Settings(_env_file=None, db_pool_size=9, db_pool_timeout=12)

    # When the engine is created (it connects only on first use)
    engine = create_engine(POSTGRES_URL, settings)

    # Then its pool has them
    assert engine.pool.size() == 9  # type: ignore[attr-defined]
    assert engine.pool.timeout() == 12  # type: ignore[attr-defined]


def test_pgbouncer_turns_off_the_statement_cache() -> None:
    # Given a database behind PgBouncer in transaction mode
    settings = Settings(_env_file=None, db_pgbouncer=True)

    # When a PostgreSQL engine is configured
    connect_args = engine_options(POSTGRES_URL, settings)["connect_args"]

    # Then asyncpg caches no statements and names each prepared one uniquely
    assert connect_args["statement_cache_size"] == 0
    name = connect_args["prepared_statement_name_func"]
    assert name() != name()


def test_sqlite_keeps_its_default_pool() -> None:
    # Given the default settings
    settings = Settings(_env_file=None)

    # When a SQLite engine is configured
    options = engine_options("sqlite+aiosqlite:///./app.db", settings)

    # Then only the pre-ping option applies, off by default
    assert options == {"pool_pre_ping": False}
