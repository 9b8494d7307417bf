"""What success messages tell a user to run next, and the files they count."""

from __future__ import annotations

from pathlib import PurePosixPath

from scaffold.changes.next_steps import (
    MIGRATE,
    SERVE,
    after_new_project,
    after_resources,
    project_files,
)


def test_a_new_project_is_migrated_before_it_is_served() -> None:
    steps = after_new_project("blog", "sqlite")

    assert steps[:3] == ("cd blog", MIGRATE, SERVE)
    assert MIGRATE == "uv run alembic upgrade head"


def test_a_postgres_project_starts_its_server_before_migrating() -> None:
    steps = after_new_project("blog", "postgres")

    assert steps[:4] == ("cd blog", "docker compose up -d db", MIGRATE, SERVE)


def test_new_resources_are_migrated_before_they_are_tried() -> None:
    steps = after_resources(["posts", "likes"])

    assert steps[:2] == (MIGRATE, SERVE)
    assert steps[2].endswith("/api/v1/posts, /api/v1/likes")


def test_the_count_leaves_out_scaffolds_own_records() -> None:
    paths = [
        PurePosixPath("app/models/post.py"),
        PurePosixPath(".scaffold/manifest.json"),
        PurePosixPath(".scaffold/base/app/models/post.py"),
        PurePosixPath("app/api/v1/router.py"),
    ]

    assert project_files(paths) == 2
