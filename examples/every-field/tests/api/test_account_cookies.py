"""Account changes with cookie transport: new cookies, and the CSRF check."""

from collections.abc import AsyncIterator

import pytest
from fastapi import FastAPI
from httpx import ASGITransport, AsyncClient

from app.api.deps import CSRF_HEADER
from app.core.config import Settings
from app.main import create_app
from app.models.user import User
from tests.auth import PASSWORD

AUTH = "/api/v1/auth"
REFRESH_COOKIE = "__Host-refresh_token"
CSRF_COOKIE = "__Host-csrf_token"
CHANGE = {"current_password": PASSWORD, "new_password": "a-brand-new-passphrase"}


@pytest.fixture(scope="module")
def application(settings: Settings) -> FastAPI:
    """The application with cookie transport, built once for these tests."""
    return create_app(settings.model_copy(update={"auth_transport": "cookie"}))


@pytest.fixture
async def browser(api: FastAPI, user: User) -> AsyncIterator[AsyncClient]:
    """A browser over HTTPS in which ``user`` logged in."""
    transport = ASGITransport(app=api)
    async with AsyncClient(transport=transport, base_url="https://test") as client:
        response = await client.post(
            f"{AUTH}/login", data={"username": user.email, "password": PASSWORD}
        )
        assert response.status_code == 204, response.text
        yield client


def csrf(browser: AsyncClient) -> dict[str, str]:
    """The CSRF header a page of the site sends, echoing the cookie."""
    return {CSRF_HEADER: browser.cookies[CSRF_COOKIE]}


async def test_a_password_change_answers_with_new_cookies(
    browser: AsyncClient,
) -> None:
    # Given a browser session and its refresh cookie
    old_refresh = browser.cookies[REFRESH_COOKIE]

    # When the password is changed with the CSRF header
    response = await browser.post(
        f"{AUTH}/password", json=CHANGE, headers=csrf(browser)
    )

    # Then 204 sets new token cookies and puts no token in the body
    assert response.status_code == 204, response.text
    assert response.content == b""
    assert browser.cookies[REFRESH_COOKIE] != old_refresh

    # And the new session refreshes
    response = await browser.post(f"{AUTH}/refresh", headers=csrf(browser))
    assert response.status_code == 204


@pytest.mark.parametrize(
    ("path", "body"), [("/password", CHANGE), ("/logout-all", None)]
)
async def test_account_changes_by_cookie_need_the_csrf_header(
    browser: AsyncClient, path: str, body: dict[str, str] | None
) -> None:
    # When a cross-site form posts with the cookies but without the header
    response = await browser.post(f"{AUTH}{path}", json=body)

    # Then it is refused, and the session goes on
    assert response.status_code == 403
    assert (
        await browser.post(f"{AUTH}/refresh", headers=csrf(browser))
    ).status_code == 204


async def test_logout_all_clears_the_cookies(browser: AsyncClient) -> None:
    response = await browser.post(f"{AUTH}/logout-all", headers=csrf(browser))

    assert response.status_code == 204
    assert REFRESH_COOKIE not in browser.cookies
