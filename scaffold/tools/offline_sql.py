"""The SQL a revision runs on PostgreSQL, from Alembic's offline mode.

``--dry-run`` of a field command shows it. The revision runs in the
project's own environment (Alembic is the project's dependency, not
scaffold's), offline: no database is needed and nothing is executed.
"""

from __future__ import annotations

import tempfile
from pathlib import Path

from scaffold.tools.check import run_tool, tool_environment, uv_binary

__all__ = ["OFFLINE_SCRIPT", "postgres_sql"]

#: Run with the revision file as its argument; prints the upgrade's SQL.
OFFLINE_SCRIPT = """\
import importlib.util
import io
import sys

from alembic.migration import MigrationContext
from alembic.operations import Operations

buffer = io.StringIO()
context = MigrationContext.configure(
    dialect_name="postgresql",
    opts={"as_sql": True, "output_buffer": buffer, "literal_binds": True},
)
spec = importlib.util.spec_from_file_location("revision", sys.argv[1])
module = importlib.util.module_from_spec(spec)
spec.loader.exec_module(module)
with Operations.context(context):
    module.upgrade()
print(buffer.getvalue(), end="")
"""


def postgres_sql(root: Path, revision: str) -> str | None:
    """The PostgreSQL SQL of ``revision``'s upgrade, or None without the
    project's environment (``uv sync`` makes it) or when it cannot be had.
    """
    if not (root / ".venv").is_dir():
        return None
    with tempfile.TemporaryDirectory(prefix="scaffold-sql-") as staging:
        path = Path(staging) / "revision.py"
        path.write_text(revision, encoding="utf-8")
        argv = (uv_binary(), "run", "--no-sync", "python", "-c", OFFLINE_SCRIPT)
        process = run_tool(
            (*argv, str(path)), cwd=root, env=tool_environment(), timeout=120
        )
    if process.returncode != 0:
        return None
    return process.stdout
