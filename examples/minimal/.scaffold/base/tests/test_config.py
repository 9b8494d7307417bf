"""Settings: defaults, parsing from the environment and refused combinations."""

import pytest
from pydantic import ValidationError

from app.core.config import Settings


def test_wildcard_origin_with_credentials_is_refused() -> None:
    # Given CORS settings allowing every origin to send credentials
    # When the settings are loaded
    # Then they are refused
    with pytest.raises(ValidationError, match="CORS_ALLOW_CREDENTIALS"):
        Settings(_env_file=None, cors_origins=["*"], cors_allow_credentials=True)


def test_wildcard_origin_without_credentials_is_accepted() -> None:
    # Given CORS settings allowing every origin, without credentials
    # When the settings are loaded
    settings = Settings(
        _env_file=None, cors_origins=["*"], cors_allow_credentials=False
    )

    # Then they are accepted
    assert settings.cors_origins == ["*"]


def test_cors_origins_are_read_comma_separated(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    # Given origins in the environment, comma-separated, one with a trailing slash
    monkeypatch.setenv("CORS_ORIGINS", "https://a.example, https://b.example/")

    # When the settings are loaded
    settings = Settings(_env_file=None)

    # Then each origin is listed as a browser sends it
    assert settings.cors_origins == ["https://a.example", "https://b.example"]


def test_unknown_environment_is_refused(monkeypatch: pytest.MonkeyPatch) -> None:
    # Given an environment name that is not one of the known ones
    monkeypatch.setenv("ENVIRONMENT", "staging-ish")

    # When the settings are loaded
    # Then they are refused
    with pytest.raises(ValidationError, match="environment"):
        Settings(_env_file=None)


@pytest.mark.parametrize(
    ("environment", "log_json"),
    [("production", True), ("development", False), ("test", False)],
)
def test_logs_are_json_in_production_by_default(
    monkeypatch: pytest.MonkeyPatch, environment: str, log_json: bool
) -> None:
    # Given an environment and no explicit LOG_JSON
    monkeypatch.delenv("LOG_JSON", raising=False)
    monkeypatch.setenv("ENVIRONMENT", environment)

    # When the settings are loaded
    settings = Settings(_env_file=None)

    # Then JSON logging is on in production only
    assert settings.log_json is log_json


def test_explicit_log_json_wins(monkeypatch: pytest.MonkeyPatch) -> None:
    # Given production with LOG_JSON turned off explicitly
    monkeypatch.setenv("ENVIRONMENT", "production")
    monkeypatch.setenv("LOG_JSON", "false")

    # When the settings are loaded
    settings = Settings(_env_file=None)

    # Then the explicit choice is kept
    assert settings.log_json is False


def test_trusted_proxies_are_read_comma_separated(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("TRUSTED_PROXIES", "10.0.0.1, 172.16.0.0/12,2001:db8::/32")

    settings = Settings(_env_file=None)

    assert settings.trusted_proxies == ["10.0.0.1", "172.16.0.0/12", "2001:db8::/32"]


def test_a_trusted_proxy_that_is_not_an_address_is_refused(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    # Given a host name among the trusted proxies, which uvicorn would ignore
    monkeypatch.setenv("TRUSTED_PROXIES", "10.0.0.1,proxy.internal")

    # When the settings are loaded / Then they are refused, naming the entry
    with pytest.raises(ValidationError, match=r"proxy\.internal"):
        Settings(_env_file=None)
