"""The application factory: lifespan, routers and the OpenAPI document."""

from fastapi import FastAPI
from sqlalchemy import QueuePool, text
from sqlalchemy.ext.asyncio import AsyncEngine

from app.core.config import Settings
from app.main import create_app
from app.schemas.common import ErrorResponse


def pooled_connections(engine: AsyncEngine) -> int:
    """Number of idle connections the engine's pool holds."""
    pool = engine.pool
    assert isinstance(pool, QueuePool)
    return pool.checkedin()


async def test_lifespan_opens_and_disposes_of_the_database_engine(
    settings: Settings,
) -> None:
    # Given a new application that has not started
    app = create_app(settings)

    # When it starts and serves a query
    async with app.router.lifespan_context(app):
        engine = app.state.engine
        async with app.state.session_factory() as session:
            assert await session.scalar(text("SELECT 1")) == 1

        # Then the connection goes back to the engine's pool
        assert pooled_connections(engine) == 1

    # And when it stops, the pool is closed
    assert pooled_connections(engine) == 0


def test_operation_ids_name_the_tag_and_the_route(app: FastAPI) -> None:
    # Given the application
    # When its OpenAPI document is built
    paths = app.openapi()["paths"]

    # Then each operation id reads <tag>-<route name>
    assert paths["/healthz"]["get"]["operationId"] == "health-healthz"
    assert paths["/readyz"]["get"]["operationId"] == "health-readyz"


def test_openapi_documents_errors_in_the_one_format(app: FastAPI) -> None:
    # Given the application
    # When its OpenAPI document is built
    document = app.openapi()

    # Then the readiness check documents its 503 with the error schema, plus
    # the status of each check
    response = document["paths"]["/readyz"]["get"]["responses"]["503"]
    schema = response["content"]["application/json"]["schema"]
    assert schema == {"$ref": "#/components/schemas/ReadinessErrorResponse"}
    readiness_error = document["components"]["schemas"]["ReadinessErrorResponse"]
    error_fields = ErrorResponse.model_json_schema()["required"]
    assert set(error_fields) < set(readiness_error["required"])
    assert "request_id" in readiness_error["required"]
    assert "checks" in readiness_error["required"]
