"""The floor: a minimal hand-written FastAPI + asyncpg app for ``app_bench.py``.

It answers the same routes as the generated ``books`` resource with the same
SQL (a count and a page of 50, the generated default, ordered by
``created_at``, ``id``, newest first), and nothing else: no validation layer,
no ORM, no middleware. Its database URL is the plain
``postgresql://`` one in ``FLOOR_DATABASE_URL``.
"""

# The SQL is assembled from constants and integers only; every value a client
# sends is a bound parameter.
# ruff: noqa: S608

from __future__ import annotations

import os
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from decimal import Decimal
from typing import Any
from uuid import UUID

import asyncpg
from fastapi import FastAPI, HTTPException, Request

COLUMNS = "id, title, status, price, created_at, updated_at"


@asynccontextmanager
async def lifespan(app: FastAPI) -> AsyncIterator[None]:
    """Open the connection pool for the app's lifetime."""
    app.state.pool = await asyncpg.create_pool(
        os.environ["FLOOR_DATABASE_URL"], min_size=5, max_size=15
    )
    yield
    await app.state.pool.close()


app = FastAPI(lifespan=lifespan)


def row_json(row: asyncpg.Record) -> dict[str, Any]:
    """One book as JSON-ready data."""
    return {**dict(row), "id": str(row["id"]), "price": str(row["price"])}


@app.get("/api/v1/books/{book_id}")
async def get_book(book_id: UUID, request: Request) -> dict[str, Any]:
    """One book by id."""
    row = await request.app.state.pool.fetchrow(
        f"SELECT {COLUMNS} FROM books WHERE id = $1", book_id
    )
    if row is None:
        raise HTTPException(404)
    return row_json(row)


@app.get("/api/v1/books")
async def list_books(
    request: Request,
    page: int = 1,
    size: int = 50,
    status: str | None = None,
    q: str | None = None,
) -> dict[str, Any]:
    """One page of books, filtered by status or searched by title."""
    where, args = [], []
    if status is not None:
        args.append(status)
        where.append(f"status = ${len(args)}")
    if q is not None:
        escaped = q.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
        args.append(f"%{escaped}%")
        where.append(f"title ILIKE ${len(args)}")
    clause = f" WHERE {' AND '.join(where)}" if where else ""
    pool = request.app.state.pool
    total = await pool.fetchval(f"SELECT count(*) FROM books{clause}", *args)
    rows = await pool.fetch(
        f"SELECT {COLUMNS} FROM books{clause} ORDER BY created_at DESC, id DESC "
        f"LIMIT {size} OFFSET {(page - 1) * size}",
        *args,
    )
    return {"items": [row_json(r) for r in rows], "total": total, "page": page}


@app.post("/api/v1/books", status_code=201)
async def create_book(body: dict[str, Any], request: Request) -> dict[str, Any]:
    """Insert one book."""
    row = await request.app.state.pool.fetchrow(
        f"INSERT INTO books (id, title, status, price, created_at, updated_at) "
        f"VALUES (gen_random_uuid(), $1, $2, $3, now(), now()) RETURNING {COLUMNS}",
        body["title"],
        body.get("status", "draft"),
        Decimal(body["price"]),
    )
    return row_json(row)
