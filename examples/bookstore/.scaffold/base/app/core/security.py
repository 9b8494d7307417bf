"""Passwords and tokens: Argon2 hashing (pwdlib) and signed JWTs (PyJWT).

Access tokens are short-lived JWTs signed with ``SECRET_KEY``; the algorithm is
pinned by the settings, ``exp``, ``iat``, ``sub``, ``iss`` and ``aud`` are
required, and the issuer and audience must be this service's. Refresh and
password reset tokens are random strings; only their SHA-256 digest is stored,
so a leaked database does not leak usable tokens.
"""

import hashlib
import secrets
from datetime import UTC, datetime, timedelta
from functools import lru_cache
from typing import Any

import jwt
from pwdlib import PasswordHash
from pwdlib.hashers.argon2 import Argon2Hasher

from app.core.config import Settings

ACCESS_TYPE = "access"
REFRESH_TOKEN_BYTES = 32
MIN_PASSWORD_LENGTH = 8
"""The least ``PASSWORD_MIN_LENGTH`` may be set to (NIST SP 800-63B)."""
MAX_PASSWORD_LENGTH = 128
"""Longer passwords are refused: at registration by the schema, at login after
the same work as any other wrong password."""


class InvalidTokenError(Exception):
    """The token is malformed, expired, wrongly signed or not an access token."""


@lru_cache
def _password_hash(time_cost: int, memory_cost: int, parallelism: int) -> PasswordHash:
    return PasswordHash(
        (
            Argon2Hasher(
                time_cost=time_cost, memory_cost=memory_cost, parallelism=parallelism
            ),
        )
    )


def password_hash(settings: Settings) -> PasswordHash:
    """The Argon2 password hasher configured by ``settings``.

    Args:
        settings: Settings holding the Argon2 cost parameters.

    Returns:
        The hasher, shared by every caller with the same parameters.
    """
    return _password_hash(
        settings.password_hash_time_cost,
        settings.password_hash_memory_cost,
        settings.password_hash_parallelism,
    )


def hash_password(password: str, settings: Settings) -> str:
    """Hash ``password`` with a fresh salt.

    Args:
        password: The password, at most ``MAX_PASSWORD_LENGTH`` characters.
        settings: Settings holding the Argon2 cost parameters.

    Returns:
        The encoded hash, parameters and salt included.
    """
    return password_hash(settings).hash(password)


def verify_password(
    password: str, hashed: str, settings: Settings
) -> tuple[bool, str | None]:
    """Check ``password`` against ``hashed``.

    Args:
        password: The password given at login.
        hashed: The stored hash.
        settings: Settings holding the current Argon2 cost parameters.

    A password longer than ``MAX_PASSWORD_LENGTH`` never matches, but its
    first ``MAX_PASSWORD_LENGTH`` characters are checked all the same, so that
    the answer takes as long as for any other wrong password.

    Returns:
        Whether the password matches, and a new hash to store when it matches
        but was hashed with other parameters than the current ones.
    """
    valid, new_hash = password_hash(settings).verify_and_update(
        password[:MAX_PASSWORD_LENGTH], hashed
    )
    if len(password) > MAX_PASSWORD_LENGTH:
        return False, None
    return valid, new_hash


def create_access_token(
    subject: str, settings: Settings, *, now: datetime | None = None
) -> str:
    """Sign an access token for ``subject``.

    Args:
        subject: The user id, as text.
        settings: Settings holding the key, algorithm, issuer, audience and
            lifetime.
        now: The issue time; the current time when omitted.

    Returns:
        The encoded JWT.
    """
    issued = now or datetime.now(UTC)
    claims: dict[str, Any] = {
        "sub": subject,
        "type": ACCESS_TYPE,
        "iss": settings.jwt_issuer,
        "aud": settings.jwt_audience,
        "iat": issued,
        "exp": issued + timedelta(minutes=settings.access_token_expire_minutes),
    }
    return jwt.encode(
        claims,
        settings.secret_key.get_secret_value(),
        algorithm=settings.jwt_algorithm,
    )


def decode_access_token(token: str, settings: Settings) -> str:
    """Verify an access token and return its subject.

    Only the configured algorithm is accepted, so neither ``alg: none`` nor a
    token signed with another algorithm gets through; a token of another issuer
    or for another audience is refused. ``JWT_LEEWAY_SECONDS`` of clock skew
    are allowed.

    Args:
        token: The encoded JWT.
        settings: Settings holding the key, algorithm, issuer and audience.

    Returns:
        The ``sub`` claim: the user id, as text.

    Raises:
        InvalidTokenError: The token is not a valid, unexpired access token.
    """
    try:
        claims = jwt.decode(
            token,
            settings.secret_key.get_secret_value(),
            algorithms=[settings.jwt_algorithm],
            audience=settings.jwt_audience,
            issuer=settings.jwt_issuer,
            leeway=settings.jwt_leeway_seconds,
            options={"require": ["exp", "iat", "sub", "iss", "aud"]},
        )
    except jwt.PyJWTError as exc:
        raise InvalidTokenError(str(exc)) from exc
    if claims.get("type") != ACCESS_TYPE:
        raise InvalidTokenError("not an access token")
    subject: str = claims["sub"]
    return subject


def new_refresh_token() -> str:
    """A new refresh or password reset token: random, URL-safe, unguessable."""
    return secrets.token_urlsafe(REFRESH_TOKEN_BYTES)


def token_digest(token: str) -> str:
    """The SHA-256 digest under which a refresh or reset token is stored."""
    return hashlib.sha256(token.encode()).hexdigest()


def new_csrf_token() -> str:
    """A new CSRF token for the double-submit cookie."""
    return secrets.token_urlsafe(REFRESH_TOKEN_BYTES)
