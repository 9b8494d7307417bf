"""A project's database in a test: rows in and out, and Alembic run on it."""

from __future__ import annotations

import sqlite3
import subprocess
from pathlib import Path

from scaffold.tools.check import tool_environment, uv_binary
from tests.conftest import POSTGRES_URL, postgres_database


class Database:
    """A test's database for a project: SQLite file or PostgreSQL database."""

    def __init__(self, kind: str, project: Path, name: str) -> None:
        self.kind = kind
        self.project = project
        if kind == "sqlite":
            self.path = project / f"{name}.db"
            self.url = f"sqlite+aiosqlite:///{self.path}"
        else:
            self.name = postgres_database(name).rsplit("/", 1)[1]
            self.url = f"{POSTGRES_URL}/{self.name}"
            self.psql("postgres", f'DROP DATABASE IF EXISTS "{self.name}"')
            self.psql("postgres", f'CREATE DATABASE "{self.name}"')

    def psql(self, database: str, sql: str) -> str:
        result = subprocess.run(
            ["psql", "-h", "127.0.0.1", "-U", "postgres", "-d", database,
             "-v", "ON_ERROR_STOP=1", "-At", "-F", "|", "-c", sql],
            check=True, capture_output=True, text=True,
        )  # fmt: skip
        return result.stdout

    def rows(self, sql: str) -> list[tuple[str, ...]]:
        """The rows ``sql`` selects, every value as text ('' for NULL)."""
        if self.kind == "sqlite":
            with sqlite3.connect(self.path) as connection:
                found = connection.execute(sql).fetchall()
            return [tuple("" if v is None else str(v) for v in row) for row in found]
        lines = self.psql(self.name, sql).splitlines()
        return [tuple(line.split("|")) for line in lines]

    def execute(self, sql: str) -> None:
        if self.kind == "sqlite":
            with sqlite3.connect(self.path) as connection:
                connection.execute(sql)
        else:
            self.psql(self.name, sql)

    def alembic(self, *args: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            [uv_binary(), "run", "--no-sync", "alembic", *args],
            cwd=self.project,
            env=tool_environment({"DATABASE_URL": self.url}),
            capture_output=True,
            text=True,
            check=False,
        )

    def drop(self) -> None:
        if self.kind == "postgres":
            self.psql("postgres", f'DROP DATABASE IF EXISTS "{self.name}"')
