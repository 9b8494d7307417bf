"""The version 1 API router, mounted under ``/api/v1``.

Each resource adds its router here::

    from app.api.v1.endpoints import books

    api_router.include_router(books.router)
"""

from fastapi import APIRouter

api_router = APIRouter()
