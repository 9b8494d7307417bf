"""Cookie transport: HTTP-only, Secure, SameSite cookies and the CSRF check."""

from collections.abc import AsyncIterator

import pytest
from fastapi import FastAPI
from httpx import ASGITransport, AsyncClient, Response

from app.api.deps import CSRF_HEADER
from app.core.config import Settings
from app.main import create_app
from app.models.user import User
from tests.auth import PASSWORD, auth_headers

AUTH = "/api/v1/auth"
CSRF_COOKIE = "__Host-csrf_token"


@pytest.fixture(scope="module")
def application(settings: Settings) -> FastAPI:
    """The application with cookie transport, built once for these tests."""
    return create_app(settings.model_copy(update={"auth_transport": "cookie"}))


@pytest.fixture
async def browser(api: FastAPI) -> AsyncIterator[AsyncClient]:
    """A client over HTTPS that keeps cookies, as a browser does."""
    transport = ASGITransport(app=api)
    async with AsyncClient(transport=transport, base_url="https://test") as client:
        yield client


async def log_in(browser: AsyncClient, user: User) -> None:
    """Log ``user`` in; the browser keeps the cookies."""
    response = await browser.post(
        f"{AUTH}/login", data={"username": user.email, "password": PASSWORD}
    )
    assert response.status_code == 204, response.text


async def test_login_sets_secure_http_only_cookies(
    browser: AsyncClient, user: User
) -> None:
    # Given cookie transport / When a user logs in
    response = await browser.post(
        f"{AUTH}/login", data={"username": user.email, "password": PASSWORD}
    )

    # Then no token is in the body, and the token cookies are HTTP-only and Secure
    assert response.status_code == 204
    assert response.content == b""
    cookies = response.headers.get_list("set-cookie")
    token_cookies = [c for c in cookies if not c.startswith(CSRF_COOKIE)]
    assert len(token_cookies) == 2
    for cookie in token_cookies:
        assert "HttpOnly" in cookie
        assert "Secure" in cookie
        assert "SameSite=lax" in cookie

    # And the answer may not be cached
    assert response.headers["Cache-Control"] == "no-store"


def cookie_attributes(response: Response) -> dict[str, dict[str, str]]:
    """Each cookie the response sets, by name: its attributes, lower-cased."""
    cookies = {}
    for header in response.headers.get_list("set-cookie"):
        name_value, *attributes = (part.strip() for part in header.split(";"))
        name = name_value.split("=", 1)[0]
        pairs = (attribute.partition("=") for attribute in attributes)
        cookies[name] = {key.lower(): value for key, _, value in pairs}
    return cookies


async def test_secure_cookies_are_host_prefixed_and_outlive_a_browser_restart(
    browser: AsyncClient, user: User, settings: Settings
) -> None:
    # Given cookie transport with Secure cookies / When a user logs in
    response = await browser.post(
        f"{AUTH}/login", data={"username": user.email, "password": PASSWORD}
    )

    # Then every cookie is __Host- prefixed: Secure, Path=/ and no Domain
    cookies = cookie_attributes(response)
    assert set(cookies) == {
        "__Host-access_token",
        "__Host-refresh_token",
        "__Host-csrf_token",
    }
    for attributes in cookies.values():
        assert "secure" in attributes
        assert attributes["path"] == "/"
        assert "domain" not in attributes

    # And the CSRF cookie lives as long as the refresh cookie, not the session
    session = str(settings.refresh_token_expire_days * 24 * 3600)
    assert cookies["__Host-refresh_token"]["max-age"] == session
    assert cookies["__Host-csrf_token"]["max-age"] == session


async def test_cookies_that_are_not_secure_have_no_prefix(
    settings: Settings, api: FastAPI, user: User
) -> None:
    # Given cookie transport without Secure cookies (plain-HTTP development)
    api.state.settings = settings.model_copy(
        update={"auth_transport": "cookie", "cookie_secure": False}
    )

    # When a user logs in
    transport = ASGITransport(app=api)
    async with AsyncClient(transport=transport, base_url="http://test") as client:
        response = await client.post(
            f"{AUTH}/login", data={"username": user.email, "password": PASSWORD}
        )
        me = await client.get(f"{AUTH}/me")

    # Then the cookies have their plain names, which browsers accept over HTTP
    assert set(cookie_attributes(response)) == {
        "access_token",
        "refresh_token",
        "csrf_token",
    }
    assert me.status_code == 200


async def test_cookie_authenticates_reads(browser: AsyncClient, user: User) -> None:
    await log_in(browser, user)

    response = await browser.get(f"{AUTH}/me")

    assert response.status_code == 200
    assert response.json()["email"] == user.email


async def test_changes_without_the_csrf_header_answer_403(
    browser: AsyncClient, user: User
) -> None:
    # Given a logged-in browser
    await log_in(browser, user)

    # When a state-changing request comes without the CSRF header
    response = await browser.post(f"{AUTH}/logout")

    # Then it is refused
    assert response.status_code == 403
    assert response.json()["error_code"] == "FORBIDDEN"


@pytest.mark.parametrize(
    "header",
    ["wrong-token", "", "\u00e9t\u00e9-non-ascii"],
    ids=["mismatched", "empty", "non-ascii"],
)
async def test_a_bad_csrf_header_answers_403(
    browser: AsyncClient, user: User, header: str
) -> None:
    # Given a logged-in browser
    await log_in(browser, user)

    # When it refreshes with a CSRF header that does not match the cookie, even
    # one that is not ASCII
    response = await browser.post(
        f"{AUTH}/refresh", headers=[(CSRF_HEADER.encode(), header.encode())]
    )

    # Then 403 in the one error format, never a 500
    assert response.status_code == 403
    assert response.json()["error_code"] == "FORBIDDEN"


async def test_refresh_and_logout_with_the_csrf_header(
    browser: AsyncClient, user: User
) -> None:
    # Given a logged-in browser echoing the CSRF cookie in the header
    await log_in(browser, user)
    headers = {CSRF_HEADER: browser.cookies[CSRF_COOKIE]}

    # When it refreshes, then logs out
    refreshed = await browser.post(f"{AUTH}/refresh", headers=headers)
    headers = {CSRF_HEADER: browser.cookies[CSRF_COOKIE]}
    logged_out = await browser.post(f"{AUTH}/logout", headers=headers)

    # Then both succeed, and the session is over
    assert refreshed.status_code == 204, refreshed.text
    assert logged_out.status_code == 204, logged_out.text
    assert (await browser.get(f"{AUTH}/me")).status_code == 401


async def test_cookie_authenticated_changes_need_the_csrf_header(
    browser: AsyncClient, admin: User, user: User
) -> None:
    # Given an administrator logged in through cookies
    await log_in(browser, admin)
    url = f"/api/v1/users/{user.id}"

    # When they delete a user without, then with, the CSRF header
    without = await browser.delete(url)
    with_header = await browser.delete(
        url, headers={CSRF_HEADER: browser.cookies[CSRF_COOKIE]}
    )

    # Then the first is refused and the second goes through
    assert without.status_code == 403
    assert with_header.status_code == 204, with_header.text


async def test_a_bearer_token_needs_no_csrf_header(
    browser: AsyncClient, admin: User, user: User, settings: Settings
) -> None:
    # Given cookie transport, and a client that sends a bearer token instead
    headers = auth_headers(admin, settings)

    # When it changes something without a CSRF header / Then it goes through:
    # a browser never adds the Authorization header on its own
    response = await browser.delete(f"/api/v1/users/{user.id}", headers=headers)
    assert response.status_code == 204, response.text
