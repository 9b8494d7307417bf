"""The version 1 API router, mounted under ``/api/v1``.

Each resource adds its router here::

    from app.api.v1.endpoints import books

    api_router.include_router(books.router)
"""

from fastapi import APIRouter

from app.api.v1.endpoints import authors, books, reviews, tags

api_router = APIRouter()

api_router.include_router(authors.router)
api_router.include_router(books.router)
api_router.include_router(reviews.router)
api_router.include_router(tags.router)
