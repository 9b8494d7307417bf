"""Application settings, read from the environment and an optional ``.env`` file."""

import logging
import secrets
from functools import lru_cache
from ipaddress import ip_network
from typing import Annotated, Literal, Self

from limits import parse
from pydantic import (
    Field,
    SecretStr,
    ValidationInfo,
    field_validator,
    model_validator,
)
from pydantic_settings import BaseSettings, NoDecode, SettingsConfigDict

Environment = Literal["development", "test", "production"]
LogLevel = Literal["DEBUG", "INFO", "WARNING", "ERROR", "CRITICAL"]
AuthTransport = Literal["bearer", "cookie"]
SameSite = Literal["lax", "strict", "none"]
JwtAlgorithm = Literal["HS256", "HS384", "HS512"]
MailBackend = Literal["log", "smtp"]

MIN_SECRET_KEY_BYTES: dict[str, int] = {"HS256": 32, "HS384": 48, "HS512": 64}
"""RFC 7518 asks for an HMAC key at least as long as the hash output."""

logger = logging.getLogger(__name__)


@lru_cache
def temporary_signing_key() -> str:
    """A random signing key for this process, made on first use.

    Used outside production when ``SECRET_KEY`` is not set: tokens then stop
    working when the process restarts, and no two processes accept each
    other's tokens. Production refuses to start without a key of its own.

    Returns:
        The key, the same for every call in this process.
    """
    logger.warning(
        "SECRET_KEY is not set: signing tokens with a random key that lasts as "
        "long as this process; set SECRET_KEY in .env to keep sessions across "
        "restarts"
    )
    return secrets.token_urlsafe(64)


MEBIBYTE = 1024 * 1024


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
        # An error names the setting but never echoes its value: a refused
        # value may still be a secret (a signing key, a database password).
        hide_input_in_errors=True,
    )

    app_name: str = "Bookstore"
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

    # Abuse resistance: request size, proxies, documentation.
    max_body_bytes: int = Field(
        default=MEBIBYTE,
        ge=1,
        description="Largest request body accepted; larger ones answer 413.",
    )
    trusted_proxies: Annotated[list[str], NoDecode] = Field(
        default_factory=list,
        description="Addresses or networks of the reverse proxies whose "
        "X-Forwarded-For is believed, comma-separated in the environment.",
    )
    docs_enabled: bool = Field(
        default_factory=lambda data: data["environment"] != "production",
        description="Serve /docs, /redoc and /openapi.json; defaults to off in "
        "production only.",
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
    otel_service_name: str = "bookstore"
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
    db_pool_pre_ping: bool = Field(
        default=False,
        description="Test each connection before use (three round trips per "
        "request on asyncpg); off by default, since a lost connection answers "
        "503 once and the pool is then refreshed.",
    )
    db_pgbouncer: bool = Field(
        default=False,
        description="Behind PgBouncer in transaction mode: turn off asyncpg's "
        "prepared statement cache.",
    )

    secret_key: SecretStr = Field(
        default=SecretStr(""),
        description="Key that signs access tokens, at least as long as the "
        "algorithm's hash (32 bytes for HS256); required in production, a random "
        "key per process otherwise.",
    )
    jwt_algorithm: JwtAlgorithm = "HS256"
    jwt_issuer: str = Field(
        default="bookstore",
        min_length=1,
        description="The iss claim of the tokens this service signs and accepts.",
    )
    jwt_audience: str = Field(
        default="bookstore",
        min_length=1,
        description="The aud claim of the tokens this service signs and accepts.",
    )
    jwt_leeway_seconds: int = Field(
        default=30, ge=0, le=300, description="Clock skew allowed on exp and iat."
    )
    access_token_expire_minutes: int = Field(default=15, ge=1, le=24 * 60)
    refresh_token_expire_days: int = Field(default=14, ge=1, le=365)
    session_lifetime_days: int = Field(
        default=30,
        ge=1,
        le=365,
        description="Days after a login when its session ends, however often "
        "its refresh token was exchanged.",
    )
    registration_enabled: bool = Field(
        default=True, description="Whether anyone may register an account."
    )
    password_reset_token_expire_minutes: int = Field(default=30, ge=5, le=24 * 60)
    password_reset_url: str = Field(
        default="http://localhost:3000/reset-password",
        description="The page of the client that sets a new password; the reset "
        "mail links to it with ?token=...",
    )
    mail_backend: MailBackend = Field(
        default="log",
        description="log: write mails to the log (development only, the reset "
        "link included); smtp: send them through SMTP_HOST.",
    )
    mail_from: str = "no-reply@localhost"
    smtp_host: str = "localhost"
    smtp_port: int = Field(default=587, ge=1, le=65535)
    smtp_username: str | None = None
    smtp_password: SecretStr | None = None
    smtp_starttls: bool = Field(
        default=True, description="Upgrade the connection with STARTTLS."
    )
    smtp_tls: bool = Field(
        default=False, description="Connect with TLS from the start (port 465)."
    )
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
    login_failure_limit: str = Field(
        default="5/15minutes",
        description="Failed logins per account (email address), from any "
        "client, before its logins answer 429.",
    )
    password_min_length: int = Field(default=12, ge=8, le=128)
    password_hash_concurrency: int = Field(
        default=2,
        ge=1,
        description="Password hashes computed at once, each in a worker thread.",
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

    @field_validator("trusted_proxies", mode="before")
    @classmethod
    def _split_proxies(cls, value: object) -> object:
        """Accept ``TRUSTED_PROXIES`` as a comma-separated string."""
        if isinstance(value, str):
            return [proxy.strip() for proxy in value.split(",") if proxy.strip()]
        return value

    @field_validator("trusted_proxies")
    @classmethod
    def _valid_proxies(cls, proxies: list[str]) -> list[str]:
        """Refuse anything but IP addresses and networks, e.g. 10.0.0.0/8."""
        for proxy in proxies:
            try:
                ip_network(proxy)
            except ValueError as exc:
                raise ValueError(
                    f"TRUSTED_PROXIES: {proxy!r} is not an IP address or network; "
                    "use e.g. 10.0.0.1 or 10.0.0.0/8"
                ) from exc
        return proxies

    @model_validator(mode="after")
    def _refuse_wildcard_with_credentials(self) -> Self:
        """Refuse CORS settings that would let any site act as the user."""
        if self.cors_allow_credentials and "*" in self.cors_origins:
            raise ValueError(
                "CORS_ORIGINS='*' cannot be combined with "
                "CORS_ALLOW_CREDENTIALS=true; list the allowed origins instead"
            )
        return self

    @field_validator("auth_rate_limit", "login_failure_limit")
    @classmethod
    def _valid_rate_limit(cls, value: str, info: ValidationInfo) -> str:
        """Refuse a rate limit the limits library cannot read."""
        try:
            parse(value)
        except ValueError as exc:
            name = (info.field_name or "").upper()
            raise ValueError(
                f"{name}={value!r} is not a rate limit; use e.g. 10/minute"
            ) from exc
        return value

    @model_validator(mode="after")
    def _require_strong_secret_key(self) -> Self:
        """Refuse a short signing key, and a missing or empty one in production.

        Outside production a missing key is replaced by a random key made once
        per process (see :func:`temporary_signing_key`).
        """
        if not self.secret_key.get_secret_value():
            if self.is_production:
                raise ValueError(
                    "SECRET_KEY is required in production; generate one with: "
                    'python -c "import secrets; print(secrets.token_urlsafe(64))"'
                )
            self.secret_key = SecretStr(temporary_signing_key())
        minimum = MIN_SECRET_KEY_BYTES[self.jwt_algorithm]
        if len(self.secret_key.get_secret_value().encode()) < minimum:
            raise ValueError(
                f"SECRET_KEY must be at least {minimum} bytes for "
                f"{self.jwt_algorithm}; generate one with: "
                'python -c "import secrets; print(secrets.token_urlsafe(64))"'
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
