"""Application settings, read from the environment and an optional ``.env`` file."""

from functools import lru_cache
from typing import Annotated, Literal, Self

from pydantic import Field, field_validator, model_validator
from pydantic_settings import BaseSettings, NoDecode, SettingsConfigDict

Environment = Literal["development", "test", "production"]
LogLevel = Literal["DEBUG", "INFO", "WARNING", "ERROR", "CRITICAL"]


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
