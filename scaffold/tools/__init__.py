"""Running the external tools: ruff, mypy, uv, pytest and Alembic."""
