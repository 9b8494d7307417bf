"""``If-Match`` on versioned resources: which tags match, and what does not."""

import pytest
from fastapi import FastAPI
from httpx import ASGITransport, AsyncClient

from app.core.errors import PreconditionFailedError, PreconditionRequiredError
from app.core.preconditions import IF_MATCH_REQUIRED, IfMatch, ensure_current, etag


def test_an_etag_is_the_version_strongly_quoted() -> None:
    assert etag(3) == '"3"'


@pytest.mark.parametrize(
    "if_match", ['"3"', '"2", "3"', '"2","3"', "*", ' "3" ', '"3", W/"2"']
)
def test_a_tag_naming_the_current_version_matches(if_match: str) -> None:
    # Given a row at version 3, when a change names it, then nothing is raised
    ensure_current(if_match, 3)


@pytest.mark.parametrize("if_match", ['"2"', '"2", "4"', "3", '"30"', "", "garbage"])
def test_a_tag_naming_another_version_answers_412(if_match: str) -> None:
    # Given a row at version 3, when a change names another one, then 412
    with pytest.raises(PreconditionFailedError) as raised:
        ensure_current(if_match, 3)
    assert raised.value.status_code == 412
    assert raised.value.error_code == "PRECONDITION_FAILED"


def test_a_weak_tag_never_matches_and_the_412_says_why() -> None:
    with pytest.raises(PreconditionFailedError, match="weak"):
        ensure_current('W/"3"', 3)


def test_a_change_without_if_match_answers_428() -> None:
    with pytest.raises(PreconditionRequiredError) as raised:
        ensure_current(None, 3)
    assert raised.value.status_code == 428
    assert raised.value.error_code == "PRECONDITION_REQUIRED"


async def test_the_header_is_read_whole_and_documented_as_required() -> None:
    # Given a route that echoes the If-Match it reads
    app = FastAPI()

    @app.put("/echo", openapi_extra=IF_MATCH_REQUIRED)
    async def echo(if_match: IfMatch) -> str | None:
        return if_match

    # When it is called with two If-Match lines, and without any
    async with AsyncClient(
        transport=ASGITransport(app=app), base_url="http://test"
    ) as client:
        both = await client.put(
            "/echo", headers=[("If-Match", '"1"'), ("If-Match", '"2"')]
        )
        none = await client.put("/echo")

    # Then it reads both lines, or None; OpenAPI names the header, required
    assert both.json() == '"1", "2"'
    assert none.json() is None
    [parameter] = app.openapi()["paths"]["/echo"]["put"]["parameters"]
    assert parameter["name"] == "If-Match"
    assert parameter["in"] == "header"
    assert parameter["required"] is True
