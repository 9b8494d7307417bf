"""Application settings, read from the environment and an optional ``.env`` file."""

from functools import lru_cache
from typing import Annotated, Literal, Self

from limits import parse
from pydantic import Field, SecretStr, field_validator, model_validator
from pydantic_settings import BaseSettings, NoDecode, SettingsConfigDict

Environment = Literal["development", "test", "production"]
LogLevel = Literal["DEBUG", "INFO", "WARNING", "ERROR", "CRITICAL"]
AuthTransport = Literal["bearer", "cookie"]
SameSite = Literal["lax", "strict", "none"]
JwtAlgorithm = Literal["HS256", "HS384", "HS512"]

DEVELOPMENT_SIGNING_KEY = "development-only-secret-key-replace-me-in-production"
"""The signing key outside production when none is set; refused in production."""
MIN_SECRET_KEY_BYTES = 32
"""RFC 7518 asks for an HMAC key at least as long as the hash output."""


class Settings(BaseSettings):
    """Configuration of one running instance of the service.

    Every field can be set through an environment variable of the same name in
    upper case (``DATABASE_URL``, ``CORS_ORIGINS`` ...) or in a ``.env`` file in
    the working directory; see ``.env.example``.
    """

    model_config = SettingsConfigDict(
        env_file=".env",
        env_file_encoding="utf-8",
        extra="ignore",
    )

    app_name: str = "Every Field"
    environment: Environment = "development"
    database_url: str = Field(
        default="sqlite+aiosqlite:///./app.db",
        description="SQLAlchemy URL of the database, with an async driver.",
    )
    cors_origins: Annotated[list[str], NoDecode] = Field(
        default_factory=list,
        description="Origins allowed by CORS, comma-separated in the environment.",
    )
    cors_allow_credentials: bool = False
    log_level: LogLevel = "INFO"
    log_json: bool = Field(
        default_factory=lambda data: data["environment"] == "production",
        description="JSON log lines; defaults to on in production only.",
    )

    # Operations: metrics, tracing, slow queries and the database pool.
    metrics_enabled: bool = Field(
        default=True, description="Serve Prometheus metrics at /metrics."
    )
    metrics_public: bool = Field(
        default_factory=lambda data: data["environment"] != "production",
        description="Serve /metrics to anyone; defaults to off in production, "
        "where METRICS_TOKEN opens it to a scraper.",
    )
    metrics_token: SecretStr | None = Field(
        default=None,
        description="Bearer token a Prometheus scraper sends to read /metrics.",
    )
    otel_exporter_otlp_endpoint: str | None = Field(
        default=None,
        description="OTLP/HTTP collector, e.g. http://localhost:4318; tracing is "
        "off (and OpenTelemetry not even imported) while unset.",
    )
    otel_service_name: str = "every-field"
    slow_query_ms: float = Field(
        default=500,
        ge=0,
        description="Log statements that run longer than this many milliseconds.",
    )
    db_pool_size: int = Field(default=5, ge=1)
    db_max_overflow: int = Field(default=10, ge=0)
    db_pool_timeout: float = Field(default=30, gt=0, description="Seconds.")
    db_pool_recycle: int = Field(
        default=1800, ge=-1, description="Seconds; -1 keeps connections forever."
    )
    db_pool_pre_ping: bool = True
    db_pgbouncer: bool = Field(
        default=False,
        description="Behind PgBouncer in transaction mode: turn off asyncpg's "
        "prepared statement cache.",
    )

    secret_key: SecretStr = Field(
        default=SecretStr(DEVELOPMENT_SIGNING_KEY),
        description="Key that signs access tokens; at least 32 bytes.",
    )
    jwt_algorithm: JwtAlgorithm = "HS256"
    access_token_expire_minutes: int = Field(default=15, ge=1, le=24 * 60)
    refresh_token_expire_days: int = Field(default=14, ge=1, le=365)
    auth_transport: AuthTransport = Field(
        default="bearer",
        description="bearer: tokens in the body and the Authorization header; "
        "cookie: HTTP-only cookies with a CSRF token.",
    )
    cookie_secure: bool = True
    cookie_samesite: SameSite = "lax"
    password_hash_time_cost: int = Field(default=3, ge=1)
    password_hash_memory_cost: int = Field(default=65536, ge=8, description="KiB")
    password_hash_parallelism: int = Field(default=4, ge=1)
    auth_rate_limit: str = Field(
        default="10/minute",
        description="Requests per client to login, register and refresh, "
        "e.g. '10/minute' or '100/hour'.",
    )
    rate_limit_enabled: bool = True
    rate_limit_storage_url: str = Field(
        default="async+memory://",
        description="Where the limits keep their counters, e.g. "
        "async+redis://localhost:6379 when several processes serve the API.",
    )

    @field_validator("cors_origins", mode="before")
    @classmethod
    def _split_origins(cls, value: object) -> object:
        """Accept ``CORS_ORIGINS`` as a comma-separated string."""
        if isinstance(value, str):
            return [origin.strip() for origin in value.split(",") if origin.strip()]
        return value

    @field_validator("cors_origins")
    @classmethod
    def _normalise_origins(cls, origins: list[str]) -> list[str]:
        """Drop trailing slashes: browsers send origins without them."""
        return [origin.rstrip("/") for origin in origins]

    @model_validator(mode="after")
    def _refuse_wildcard_with_credentials(self) -> Self:
        """Refuse CORS settings that would let any site act as the user."""
        if self.cors_allow_credentials and "*" in self.cors_origins:
            raise ValueError(
                "CORS_ORIGINS='*' cannot be combined with "
                "CORS_ALLOW_CREDENTIALS=true; list the allowed origins instead"
            )
        return self

    @field_validator("auth_rate_limit")
    @classmethod
    def _valid_rate_limit(cls, value: str) -> str:
        """Refuse a rate limit the limits library cannot read."""
        try:
            parse(value)
        except ValueError as exc:
            raise ValueError(
                f"AUTH_RATE_LIMIT={value!r} is not a rate limit; use e.g. 10/minute"
            ) from exc
        return value

    @model_validator(mode="after")
    def _refuse_weak_secret_key(self) -> Self:
        """Refuse a short signing key, and the development key in production."""
        key = self.secret_key.get_secret_value()
        if len(key.encode()) < MIN_SECRET_KEY_BYTES:
            raise ValueError(
                f"SECRET_KEY must be at least {MIN_SECRET_KEY_BYTES} bytes; generate "
                'one with: python -c "import secrets; print(secrets.token_urlsafe(48))"'
            )
        if self.is_production and key == DEVELOPMENT_SIGNING_KEY:
            raise ValueError(
                "SECRET_KEY is the development default; set a secret key of your "
                "own in production"
            )
        return self

    @model_validator(mode="after")
    def _refuse_insecure_cross_site_cookies(self) -> Self:
        """Refuse ``SameSite=None`` without ``Secure``, which browsers drop."""
        if self.cookie_samesite == "none" and not self.cookie_secure:
            raise ValueError(
                "COOKIE_SAMESITE=none needs COOKIE_SECURE=true; browsers refuse "
                "cross-site cookies that are not Secure"
            )
        return self

    @property
    def is_production(self) -> bool:
        """Whether the service runs in production."""
        return self.environment == "production"


@lru_cache
def get_settings() -> Settings:
    """Return the settings of this process, read once and cached.

    Tests build their own ``Settings`` and pass them to ``create_app`` instead of
    touching this cache.
    """
    return Settings()
