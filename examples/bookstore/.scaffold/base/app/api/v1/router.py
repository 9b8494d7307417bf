"""The version 1 API router, mounted under ``/api/v1``.

Each resource adds its router here::

    from app.api.v1.endpoints import books

    api_router.include_router(books.router)
"""

from fastapi import APIRouter

from app.api.v1.endpoints import api_keys, auth, users

api_router = APIRouter()

api_router.include_router(auth.router)
api_router.include_router(users.router)
api_router.include_router(api_keys.router)
