"""Request and response bodies of the ``/auth`` and ``/users`` endpoints.

No response ever contains a password or its hash.
"""

from datetime import datetime
from typing import Annotated, Any, Literal

from pydantic import BaseModel, ConfigDict, Field, StrictBool, field_validator
from pydantic.json_schema import SkipJsonSchema

from app.core.config import get_settings
from app.core.security import MAX_PASSWORD_LENGTH, MIN_PASSWORD_LENGTH
from app.models.user import EMAIL_LENGTH, Role
from app.schemas import common
from app.schemas.common import omittable


def _password_rule(schema: dict[str, Any]) -> None:
    """Give the minimum length ``PASSWORD_MIN_LENGTH`` sets, as the API checks it.

    Below it, a new password answers 422 (see ``check_password_length``); the
    schema says so, so that clients and fuzzers send passwords that pass.
    """
    schema["minLength"] = get_settings().password_min_length


Password = Annotated[
    str,
    Field(
        min_length=MIN_PASSWORD_LENGTH,
        max_length=MAX_PASSWORD_LENGTH,
        json_schema_extra=_password_rule,
    ),
]
Email = Annotated[common.Email, Field(max_length=EMAIL_LENGTH)]


def normalise_email(email: str) -> str:
    """The form an email address is stored and looked up in: lower case."""
    return email.lower()


class UserCreate(BaseModel):
    """The body of ``POST /auth/register``."""

    model_config = ConfigDict(
        extra="forbid",
        json_schema_extra={
            "examples": [{"email": "ada@example.com", "password": "correct-horse"}]
        },
    )

    email: Email
    password: Password

    @field_validator("email")
    @classmethod
    def _lower_case(cls, email: str) -> str:
        """Store the address in lower case, so that it is unique in any case."""
        return normalise_email(email)


class UserRead(BaseModel):
    """A user as the API returns it."""

    model_config = ConfigDict(from_attributes=True)

    id: int
    email: str
    role: Role
    is_active: bool
    created_at: datetime
    updated_at: datetime


class UserUpdate(BaseModel):
    """The body of ``PATCH /users/{id}``: an administrator's changes."""

    model_config = ConfigDict(extra="forbid")

    role: Role | SkipJsonSchema[None] = omittable()
    is_active: StrictBool | SkipJsonSchema[None] = omittable()

    @field_validator("role", "is_active")
    @classmethod
    def _not_null(cls, value: object) -> object:
        """Refuse an explicit ``null``: leave the field out instead."""
        if value is None:
            raise ValueError("may be left out, but not set to null")
        return value


class TokenResponse(BaseModel):
    """The tokens a login or a refresh hands out (bearer transport)."""

    access_token: str
    refresh_token: str
    token_type: Literal["bearer"] = Field(default="bearer")
    expires_in: int = Field(description="Seconds until the access token expires.")


class RefreshRequest(BaseModel):
    """The body of ``POST /auth/refresh`` and ``POST /auth/logout``."""

    model_config = ConfigDict(extra="forbid")

    refresh_token: str = Field(min_length=1, max_length=200)


class PasswordChange(BaseModel):
    """The body of ``POST /auth/password``."""

    model_config = ConfigDict(
        extra="forbid",
        json_schema_extra={
            "examples": [
                {"current_password": "correct-horse", "new_password": "battery-staple"}
            ]
        },
    )

    current_password: str = Field(min_length=1, max_length=MAX_PASSWORD_LENGTH)
    new_password: Password


class PasswordResetRequest(BaseModel):
    """The body of ``POST /auth/password-reset``."""

    model_config = ConfigDict(
        extra="forbid", json_schema_extra={"examples": [{"email": "ada@example.com"}]}
    )

    email: Email


class PasswordResetConfirm(BaseModel):
    """The body of ``POST /auth/password-reset/confirm``."""

    model_config = ConfigDict(extra="forbid")

    token: str = Field(min_length=1, max_length=200)
    new_password: Password
