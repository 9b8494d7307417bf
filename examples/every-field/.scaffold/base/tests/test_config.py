"""Settings: defaults, parsing from the environment and refused combinations."""

import pytest
from pydantic import ValidationError

from app.core.config import Settings, temporary_signing_key

PRODUCTION_KEY = "a-production-signing-key-of-more-than-64-bytes-for-any-algorithm!"


@pytest.fixture(autouse=True)
def signing_key(monkeypatch: pytest.MonkeyPatch) -> None:
    """A signing key fit for production, so that production settings load."""
    monkeypatch.setenv("SECRET_KEY", PRODUCTION_KEY)


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


@pytest.mark.parametrize("key", [None, ""])
def test_production_refuses_to_start_without_a_signing_key(
    monkeypatch: pytest.MonkeyPatch, key: str | None
) -> None:
    # Given production with no signing key, or an empty one
    if key is None:
        monkeypatch.delenv("SECRET_KEY")
    else:
        monkeypatch.setenv("SECRET_KEY", key)
    monkeypatch.setenv("ENVIRONMENT", "production")

    # When the settings are loaded / Then they are refused
    with pytest.raises(ValidationError, match="SECRET_KEY is required in production"):
        Settings(_env_file=None)


def test_development_without_a_key_signs_with_a_random_key_per_process(
    monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    # Given development without a signing key, in a process that made none yet
    monkeypatch.delenv("SECRET_KEY")
    temporary_signing_key.cache_clear()

    # When the settings are loaded twice
    first, second = Settings(_env_file=None), Settings(_env_file=None)

    # Then both use one random key, long enough for every algorithm
    key = first.secret_key.get_secret_value()
    assert key == second.secret_key.get_secret_value()
    assert len(key.encode()) >= 64

    # And one warning says so, without showing the key
    warnings = [r for r in caplog.records if "SECRET_KEY is not set" in r.message]
    assert len(warnings) == 1
    assert key not in caplog.text

    # And another process (a cleared cache) would make another key
    temporary_signing_key.cache_clear()
    assert Settings(_env_file=None).secret_key.get_secret_value() != key


@pytest.mark.parametrize(
    ("algorithm", "length"), [("HS256", 32), ("HS384", 48), ("HS512", 64)]
)
@pytest.mark.parametrize("environment", ["development", "production"])
def test_the_signing_key_must_be_as_long_as_the_algorithm_needs(
    monkeypatch: pytest.MonkeyPatch, environment: str, algorithm: str, length: int
) -> None:
    # Given an algorithm and an environment
    monkeypatch.setenv("JWT_ALGORITHM", algorithm)
    monkeypatch.setenv("ENVIRONMENT", environment)

    # When the key is one byte too short / Then the settings are refused, and
    # the error does not show the key
    short_key = "k" * (length - 1)
    monkeypatch.setenv("SECRET_KEY", short_key)
    with pytest.raises(ValidationError, match=f"at least {length} bytes") as error:
        Settings(_env_file=None)
    assert short_key not in str(error.value)

    # And a key of exactly that length is accepted
    monkeypatch.setenv("SECRET_KEY", "k" * length)
    assert Settings(_env_file=None).jwt_algorithm == algorithm


def test_production_accepts_a_signing_key_of_its_own(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    # Given production with a long signing key of its own
    monkeypatch.setenv("ENVIRONMENT", "production")

    # When the settings are loaded
    settings = Settings(_env_file=None)

    # Then the key is used, and never shown in the settings' repr
    assert settings.secret_key.get_secret_value() == PRODUCTION_KEY
    assert PRODUCTION_KEY not in repr(settings)


def test_cross_site_cookies_must_be_secure(monkeypatch: pytest.MonkeyPatch) -> None:
    # Given cookies sent cross-site but not only over HTTPS
    monkeypatch.setenv("COOKIE_SAMESITE", "none")
    monkeypatch.setenv("COOKIE_SECURE", "false")

    # When the settings are loaded
    # Then they are refused
    with pytest.raises(ValidationError, match="COOKIE_SECURE"):
        Settings(_env_file=None)


def test_an_unreadable_rate_limit_is_refused(monkeypatch: pytest.MonkeyPatch) -> None:
    # Given a rate limit the limits library cannot read
    monkeypatch.setenv("AUTH_RATE_LIMIT", "lots")

    # When the settings are loaded
    # Then they are refused, naming the setting
    with pytest.raises(ValidationError, match="AUTH_RATE_LIMIT"):
        Settings(_env_file=None)


def test_an_unreadable_login_failure_limit_is_refused(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("LOGIN_FAILURE_LIMIT", "5 a while")

    with pytest.raises(ValidationError, match="LOGIN_FAILURE_LIMIT"):
        Settings(_env_file=None)


def test_passwords_need_12_characters_by_default_and_never_fewer_than_8(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    assert Settings(_env_file=None).password_min_length == 12

    monkeypatch.setenv("PASSWORD_MIN_LENGTH", "7")
    with pytest.raises(ValidationError, match="password_min_length"):
        Settings(_env_file=None)


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
