"""Password hashing off the event loop, and the password length policy.

Argon2 is slow on purpose: a hash takes tens of milliseconds of CPU and memory.
Computed on the event loop it would stall every other request meanwhile, so
hashes run in worker threads, at most ``PASSWORD_HASH_CONCURRENCY`` at once;
further logins wait for a free slot while other requests go on being served.
"""

import secrets
from functools import lru_cache

from anyio import CapacityLimiter, to_thread
from pwdlib import PasswordHash

from app.core.config import Settings
from app.core.errors import PasswordTooShortError
from app.core.security import hash_password, password_hash, verify_password

_NOBODYS_PASSWORD = secrets.token_urlsafe(32)
"""A password no account has, hashed for logins with an unknown email address."""


@lru_cache
def hashing_limiter(total_tokens: int) -> CapacityLimiter:
    """The limiter shared by every hash computed with this concurrency.

    Args:
        total_tokens: How many hashes may run at once.

    Returns:
        The capacity limiter of the worker threads that hash passwords.
    """
    return CapacityLimiter(total_tokens)


def check_password_length(password: str, settings: Settings) -> None:
    """Refuse a new password shorter than ``PASSWORD_MIN_LENGTH``.

    Args:
        password: The password a user chose.
        settings: Settings holding the minimum length.

    Raises:
        PasswordTooShortError: The password is too short.
    """
    if len(password) < settings.password_min_length:
        raise PasswordTooShortError(settings.password_min_length)


async def hash_password_in_thread(password: str, settings: Settings) -> str:
    """Hash ``password`` in a worker thread; see :func:`hash_password`.

    Args:
        password: The password to hash.
        settings: Settings holding the Argon2 costs and the concurrency.

    Returns:
        The encoded hash.
    """
    return await to_thread.run_sync(
        hash_password,
        password,
        settings,
        limiter=hashing_limiter(settings.password_hash_concurrency),
    )


async def verify_password_in_thread(
    password: str, hashed: str | None, settings: Settings
) -> tuple[bool, str | None]:
    """Check ``password`` in a worker thread; see :func:`verify_password`.

    Args:
        password: The password given at login.
        hashed: The stored hash, or ``None`` when no account has the email
            address: the password is then checked against a hash of a password
            nobody has, so that the answer takes as long as for a known one.
        settings: Settings holding the Argon2 costs and the concurrency.

    Returns:
        Whether the password matches (never without a stored hash), and a new
        hash to store when it matches but used outdated parameters.
    """
    limiter = hashing_limiter(settings.password_hash_concurrency)
    if hashed is None:
        dummy = await to_thread.run_sync(
            _dummy_hash, password_hash(settings), limiter=limiter
        )
        await to_thread.run_sync(
            verify_password, password, dummy, settings, limiter=limiter
        )
        return False, None
    return await to_thread.run_sync(
        verify_password, password, hashed, settings, limiter=limiter
    )


@lru_cache
def _dummy_hash(hasher: PasswordHash) -> str:
    """A hash, made by ``hasher``, of a password no account has."""
    return hasher.hash(_NOBODYS_PASSWORD)
