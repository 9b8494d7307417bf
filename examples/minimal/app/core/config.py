"""Application settings, read from the environment and an optional ``.env`` file."""

from functools import lru_cache
from ipaddress import ip_network
from typing import Annotated, Literal, Self

from pydantic import Field, SecretStr, field_validator, model_validator
from pydantic_settings import BaseSettings, NoDecode, SettingsConfigDict

Environment = Literal["development", "test", "production"]
LogLevel = Literal["DEBUG", "INFO", "WARNING", "ERROR", "CRITICAL"]
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

    app_name: str = "Minimal"
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
    otel_service_name: str = "minimal"
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
