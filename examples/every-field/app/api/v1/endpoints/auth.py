"""The ``/auth`` endpoints: register, log in, refresh, log out, and who am I;
change or reset the password, and log out everywhere.

With ``AUTH_TRANSPORT=bearer`` (the default) login, refresh and password change
answer with the tokens, and refresh and logout take ``{"refresh_token": ...}``.
With ``cookie`` they set HTTP-only cookies instead and answer 204; refresh and
logout then read the refresh cookie and need the ``X-CSRF-Token`` header.
Answers that carry tokens are never cached (``Cache-Control: no-store``).
"""

from typing import Annotated, Any

from fastapi import APIRouter, BackgroundTasks, Depends, Request, Response, status
from fastapi.responses import JSONResponse
from fastapi.security import OAuth2PasswordRequestForm

from app.api.deps import (
    ACCESS_COOKIE,
    CSRF_COOKIE,
    REFRESH_COOKIE,
    CurrentUser,
    RateLimiterDep,
    SessionDep,
    SettingsDep,
    check_csrf,
    cookie_name,
    rate_limit,
)
from app.core.config import Settings
from app.core.errors import ForbiddenError, UnauthorizedError
from app.core.mail import MailSender, create_mail_sender
from app.core.security import new_csrf_token
from app.schemas.common import error_responses
from app.schemas.user import (
    PasswordChange,
    PasswordResetConfirm,
    PasswordResetRequest,
    RefreshRequest,
    TokenResponse,
    UserCreate,
    UserRead,
)
from app.services.auth import AuthService, Tokens
from app.services.credentials import CredentialsService

NO_STORE_HEADERS = {"Cache-Control": "no-store", "Pragma": "no-cache"}
"""Headers that keep browsers and proxies from storing an answer with tokens."""

_COOKIE_RESPONSE: dict[int | str, dict[str, Any]] = {
    status.HTTP_204_NO_CONTENT: {
        "description": "Cookie transport: the tokens are set as cookies."
    }
}


async def get_auth_service(session: SessionDep, settings: SettingsDep) -> AuthService:
    """Provide the authentication service for one request."""
    return AuthService(session, settings)


AuthServiceDep = Annotated[AuthService, Depends(get_auth_service)]


async def get_credentials_service(
    session: SessionDep, settings: SettingsDep
) -> CredentialsService:
    """Provide the credentials service for one request."""
    return CredentialsService(session, settings)


CredentialsServiceDep = Annotated[CredentialsService, Depends(get_credentials_service)]


async def get_mail_sender(settings: SettingsDep) -> MailSender:
    """Provide the mail sender ``MAIL_BACKEND`` selects; tests override it."""
    return create_mail_sender(settings)


MailSenderDep = Annotated[MailSender, Depends(get_mail_sender)]

router = APIRouter(prefix="/auth", tags=["auth"], responses=error_responses(422))


def _token_response(tokens: Tokens, settings: Settings) -> Response:
    """Answer with the tokens in the body, or set them as cookies; never cached.

    Every cookie has ``Path=/`` and no ``Domain``, as the ``__Host-`` prefix of
    secure cookies demands. The CSRF cookie lives as long as the refresh
    cookie, so the session survives a browser restart.
    """
    if settings.auth_transport == "bearer":
        body = TokenResponse(
            access_token=tokens.access_token,
            refresh_token=tokens.refresh_token,
            expires_in=tokens.expires_in,
        )
        return JSONResponse(body.model_dump(mode="json"), headers=NO_STORE_HEADERS)
    response = Response(
        status_code=status.HTTP_204_NO_CONTENT, headers=NO_STORE_HEADERS
    )
    session_lifetime = settings.refresh_token_expire_days * 24 * 3600
    cookies = (
        (ACCESS_COOKIE, tokens.access_token, tokens.expires_in, True),
        (REFRESH_COOKIE, tokens.refresh_token, session_lifetime, True),
        # Readable by the site's own scripts, which echo it in X-CSRF-Token.
        (CSRF_COOKIE, new_csrf_token(), session_lifetime, False),
    )
    for name, value, max_age, httponly in cookies:
        response.set_cookie(
            cookie_name(name, settings),
            value,
            max_age=max_age,
            path="/",
            httponly=httponly,
            secure=settings.cookie_secure,
            samesite=settings.cookie_samesite,
        )
    return response


def _refresh_token(
    request: Request, body: RefreshRequest | None, settings: Settings
) -> str:
    """The refresh token of the request: from the body, or the cookie."""
    if settings.auth_transport == "cookie":
        check_csrf(request, settings)
        token = request.cookies.get(cookie_name(REFRESH_COOKIE, settings))
    else:
        token = body.refresh_token if body is not None else None
    if not token:
        raise UnauthorizedError("Refresh token missing")
    return token


@router.post(
    "/register",
    name="register",
    summary="Register a user",
    status_code=status.HTTP_201_CREATED,
    responses=error_responses(400, 403, 409, 429),
    dependencies=[Depends(rate_limit("register"))],
)
async def register(
    data: UserCreate, service: AuthServiceDep, settings: SettingsDep
) -> UserRead:
    """Create an account with the ``user`` role.

    Answers 403 when ``REGISTRATION_ENABLED`` is false.
    """
    if not settings.registration_enabled:
        raise ForbiddenError("Registration is closed")
    return UserRead.model_validate(await service.register(data))


@router.post(
    "/login",
    name="login",
    summary="Log in",
    response_model=TokenResponse,
    responses={**error_responses(400, 401, 403, 429), **_COOKIE_RESPONSE},
    dependencies=[Depends(rate_limit("login"))],
)
async def login(
    form: Annotated[OAuth2PasswordRequestForm, Depends()],
    service: AuthServiceDep,
    settings: SettingsDep,
    limiter: RateLimiterDep,
) -> Response:
    """Exchange an email (as ``username``) and password for tokens.

    Takes the OAuth2 password form, so the documentation's Authorize button
    works. An account with too many recent failed logins answers 429 whatever
    the password, from any address.
    """
    await limiter.check_account(form.username)
    try:
        tokens = await service.login(form.username, form.password)
    except UnauthorizedError:
        await limiter.record_login_failure(form.username)
        raise
    return _token_response(tokens, settings)


@router.post(
    "/refresh",
    name="refresh",
    summary="Refresh the tokens",
    response_model=TokenResponse,
    responses={**error_responses(400, 401, 403, 429), **_COOKIE_RESPONSE},
    dependencies=[Depends(rate_limit("refresh"))],
)
async def refresh(
    request: Request,
    service: AuthServiceDep,
    settings: SettingsDep,
    body: RefreshRequest | None = None,
) -> Response:
    """Exchange a refresh token for new tokens; the old one stops working."""
    tokens = await service.refresh(_refresh_token(request, body, settings))
    return _token_response(tokens, settings)


@router.post(
    "/logout",
    name="logout",
    summary="Log out",
    status_code=status.HTTP_204_NO_CONTENT,
    responses=error_responses(400, 401, 403),
)
async def logout(
    request: Request,
    service: AuthServiceDep,
    settings: SettingsDep,
    body: RefreshRequest | None = None,
) -> Response:
    """Revoke the refresh token and every token refreshed from the same login."""
    await service.logout(_refresh_token(request, body, settings))
    response = Response(status_code=status.HTTP_204_NO_CONTENT)
    _clear_cookies(response, settings)
    return response


@router.get(
    "/me", name="me", summary="The current user", responses=error_responses(401, 403)
)
async def read_me(user: CurrentUser) -> UserRead:
    """Return the user the access token belongs to."""
    return UserRead.model_validate(user)


def _clear_cookies(response: Response, settings: Settings) -> None:
    """Delete the cookies of the cookie transport."""
    for name in (ACCESS_COOKIE, REFRESH_COOKIE, CSRF_COOKIE):
        response.delete_cookie(
            cookie_name(name, settings),
            path="/",
            secure=settings.cookie_secure,
            samesite=settings.cookie_samesite,
        )


@router.post(
    "/password",
    name="change_password",
    summary="Change the password",
    response_model=TokenResponse,
    responses={**error_responses(400, 401, 403, 429), **_COOKIE_RESPONSE},
    dependencies=[Depends(rate_limit("password"))],
)
async def change_password(
    data: PasswordChange,
    user: CurrentUser,
    service: CredentialsServiceDep,
    settings: SettingsDep,
) -> TokenResponse | Response:
    """Set a new password, given the current one.

    Every session of the user ends, on every device; the answer carries the
    tokens of a new session (403 when the current password is wrong).
    """
    tokens = await service.change_password(
        user, data.current_password, data.new_password
    )
    return _token_response(tokens, settings)


@router.post(
    "/logout-all",
    name="logout_all",
    summary="Log out everywhere",
    status_code=status.HTTP_204_NO_CONTENT,
    responses=error_responses(400, 401, 403, 429),
    dependencies=[Depends(rate_limit("logout-all"))],
)
async def logout_all(
    user: CurrentUser, service: CredentialsServiceDep, settings: SettingsDep
) -> Response:
    """Revoke every refresh token of the user, ending all their sessions.

    Access tokens already handed out stay valid until they expire.
    """
    await service.sign_out_everywhere(user)
    response = Response(status_code=status.HTTP_204_NO_CONTENT)
    _clear_cookies(response, settings)
    return response


@router.post(
    "/password-reset",
    name="request_password_reset",
    summary="Ask for a password reset link",
    status_code=status.HTTP_202_ACCEPTED,
    response_class=Response,
    responses={
        status.HTTP_202_ACCEPTED: {
            "description": "Accepted, whether or not the address is registered."
        },
        **error_responses(400, 429),
    },
    dependencies=[Depends(rate_limit("password-reset"))],
)
async def request_password_reset(
    data: PasswordResetRequest,
    service: CredentialsServiceDep,
    mail: MailSenderDep,
    background: BackgroundTasks,
) -> Response:
    """Mail a single-use reset link to the address, if it has an account.

    Answers 202 whether or not the address is registered, so that nobody
    learns which addresses are; the mail is sent after the answer.
    """
    message = await service.request_password_reset(data.email)
    if message is not None:
        background.add_task(mail.send, message)
    return Response(status_code=status.HTTP_202_ACCEPTED)


@router.post(
    "/password-reset/confirm",
    name="confirm_password_reset",
    summary="Set a new password with a reset token",
    status_code=status.HTTP_204_NO_CONTENT,
    responses=error_responses(400, 403, 429),
    dependencies=[Depends(rate_limit("password-reset"))],
)
async def confirm_password_reset(
    data: PasswordResetConfirm, service: CredentialsServiceDep
) -> Response:
    """Set a new password; the token is used up and every session ends.

    Answers 403 when the token is unknown, used or expired.
    """
    await service.reset_password(data.token, data.new_password)
    return Response(status_code=status.HTTP_204_NO_CONTENT)
