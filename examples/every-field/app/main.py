"""Application factory and the ASGI application served by uvicorn."""

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from fastapi import FastAPI
from fastapi.middleware.cors import CORSMiddleware
from fastapi.routing import APIRoute
from starlette.middleware import Middleware
from uvicorn.middleware.proxy_headers import ProxyHeadersMiddleware

from app import __version__
from app.api import health
from app.api.v1.router import api_router
from app.core.config import Settings, get_settings
from app.core.database import create_engine, create_session_factory
from app.core.errors import register_exception_handlers
from app.core.logging import configure_logging
from app.core.middleware import (
    PROCESS_TIME_HEADER,
    REQUEST_ID_HEADER,
    AccessLogMiddleware,
    BodySizeLimitMiddleware,
    RequestIdMiddleware,
    SecurityHeadersMiddleware,
)
from app.core.observability import (
    install_observability,
    observe_engine,
    telemetry_config,
)
from app.core.rate_limit import create_rate_limiter
from app.core.schema_version import warn_if_migrations_pending

API_V1_PREFIX = "/api/v1"
OPENAPI_URL = "/openapi.json"
DOCS_URL = "/docs"
REDOC_URL = "/redoc"
OAUTH2_REDIRECT_URL = "/docs/oauth2-redirect"


def generate_operation_id(route: APIRoute) -> str:
    """Name an OpenAPI operation ``<first tag>-<route name>``, e.g. ``health-readyz``.

    Args:
        route: The route to name.

    Returns:
        The operation id; the route name alone when the route has no tag.
    """
    if route.tags:
        return f"{route.tags[0]}-{route.name}"
    return route.name


def create_app(settings: Settings | None = None) -> FastAPI:
    """Build the application.

    Args:
        settings: Settings to run with; ``get_settings()`` when omitted.

    Returns:
        The application, with middleware, exception handlers and routers. Its
        lifespan opens the database engine and disposes of it on shutdown.
    """
    settings = settings or get_settings()
    configure_logging(level=settings.log_level, json=settings.log_json)

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        engine = create_engine(settings.database_url, settings)
        app.state.engine = engine
        observe_engine(app, engine, settings)
        app.state.session_factory = create_session_factory(engine)
        await warn_if_migrations_pending(engine)
        try:
            yield
        finally:
            await engine.dispose()

    # Listed from the outermost to the innermost. Only the proxies in
    # TRUSTED_PROXIES may name the client in X-Forwarded-For (the rightmost
    # address they did not add); uvicorn itself runs without --proxy-headers.
    middleware = [
        Middleware(ProxyHeadersMiddleware, trusted_hosts=settings.trusted_proxies),
        Middleware(RequestIdMiddleware),
        Middleware(AccessLogMiddleware, process_time_header=not settings.is_production),
        Middleware(
            SecurityHeadersMiddleware,
            docs_paths=(DOCS_URL, REDOC_URL, OAUTH2_REDIRECT_URL),
            hsts=settings.is_production,
        ),
        Middleware(
            CORSMiddleware,
            allow_origins=settings.cors_origins,
            allow_credentials=settings.cors_allow_credentials,
            allow_methods=["*"],
            allow_headers=["*"],
            expose_headers=[REQUEST_ID_HEADER, PROCESS_TIME_HEADER],
        ),
        Middleware(BodySizeLimitMiddleware, max_body_bytes=settings.max_body_bytes),
    ]

    telemetry = telemetry_config(settings)
    app = FastAPI(
        title=settings.app_name,
        version=__version__,
        lifespan=lifespan,
        middleware=middleware,
        # Off in production unless DOCS_ENABLED: the schema maps the attack surface.
        openapi_url=OPENAPI_URL if settings.docs_enabled else None,
        docs_url=DOCS_URL if settings.docs_enabled else None,
        redoc_url=REDOC_URL if settings.docs_enabled else None,
        swagger_ui_oauth2_redirect_url=OAUTH2_REDIRECT_URL,
        generate_unique_id_function=generate_operation_id,
        telemetry=telemetry,
    )
    app.state.settings = settings
    app.state.rate_limiter = create_rate_limiter(settings)
    register_exception_handlers(app)
    install_observability(app, settings, telemetry)
    app.include_router(health.router)
    app.include_router(api_router, prefix=API_V1_PREFIX)
    return app


app = create_app()
