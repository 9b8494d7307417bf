"""Where things are: scaffold's templates, and every path of a project.

Every path convention of a generated project (its modules, tests, migrations
and scaffold's own record under ``.scaffold/``) is spelled here once; the
rest of scaffold asks this module instead of writing path fragments.
"""

from __future__ import annotations

from functools import cache
from pathlib import Path, PurePosixPath

from scaffold.errors import ScaffoldError

__all__ = [
    "BACKUP_DIR",
    "BASE_DIR",
    "COMMON_SCHEMAS_FILE",
    "DATABASE_FILE",
    "ERRORS_FILE",
    "JOBS_TESTS_INIT",
    "JOURNAL_DIR",
    "MANIFEST_FILE",
    "MODELS_FILE",
    "OVERRIDES_DIR",
    "PYPROJECT_FILE",
    "ROUTER_FILE",
    "STATE_DIR",
    "VERSIONS_DIR",
    "WORKER_FILE",
    "job_paths",
    "model_path",
    "overrides_dir",
    "resource_paths",
    "revision_path",
    "templates_root",
]

P = PurePosixPath
_PACKAGE = Path(__file__).resolve().parent.parent

#: scaffold's record in a project (committed with it).
STATE_DIR = ".scaffold"
MANIFEST_FILE = f"{STATE_DIR}/manifest.json"
#: The text of each generated file as scaffold last wrote it (merge base).
BASE_DIR = f"{STATE_DIR}/base"
#: Files replaced with ``--force``, one directory per run.
BACKUP_DIR = f"{STATE_DIR}/backup"
#: The journal of a change being applied (rolled back if interrupted).
JOURNAL_DIR = f"{STATE_DIR}/journal"
#: The project's own templates, searched before the bundled ones.
OVERRIDES_DIR = f"{STATE_DIR}/templates"

PYPROJECT_FILE = "pyproject.toml"
ROUTER_FILE = "app/api/v1/router.py"
MODELS_FILE = "app/models/__init__.py"
ERRORS_FILE = "app/core/errors.py"
COMMON_SCHEMAS_FILE = "app/schemas/common.py"
DATABASE_FILE = "app/core/database.py"
WORKER_FILE = "app/jobs/worker.py"
JOBS_TESTS_INIT = "tests/jobs/__init__.py"
VERSIONS_DIR = "alembic/versions"


@cache
def templates_root() -> Path:
    """The directory holding ``project/`` (Copier) and ``resource/`` (Jinja).

    A wheel ships the templates inside the package (``scaffold/templates``); an
    editable install or a source checkout reads them from the repository's
    top-level ``templates/``.

    Raises:
        ScaffoldError: Neither place holds the templates (a broken install).
    """
    for candidate in (_PACKAGE / "templates", _PACKAGE.parent / "templates"):
        if (candidate / "project" / "copier.yml").is_file():
            return candidate
    raise ScaffoldError(
        f"scaffold's templates are missing from {_PACKAGE}; reinstall it with "
        "pip install --force-reinstall fastapi-resource-scaffold"
    )


def overrides_dir(root: Path) -> Path:
    """The project's template overrides: ``.scaffold/templates/``."""
    return root / OVERRIDES_DIR


def model_path(module: str) -> PurePosixPath:
    """The model module of a resource: ``app/models/book.py``."""
    return P(f"app/models/{module}.py")


def resource_paths(module: str, plural: str) -> dict[str, PurePosixPath]:
    """Resource template name → project path of each file of a resource.

    Args:
        module: The resource's module name (``book``).
        plural: Its plural, naming the endpoints and tests (``books``).
    """
    return {
        "model.py.jinja": model_path(module),
        "schemas.py.jinja": P(f"app/schemas/{module}.py"),
        "repository.py.jinja": P(f"app/repositories/{module}.py"),
        "service.py.jinja": P(f"app/services/{module}.py"),
        "endpoints.py.jinja": P(f"app/api/v1/endpoints/{plural}.py"),
        "tests.py.jinja": P(f"tests/api/test_{plural}.py"),
    }


def revision_path(filename: str) -> PurePosixPath:
    """A migration revision's path: ``alembic/versions/<filename>``."""
    return P(f"{VERSIONS_DIR}/{filename}")


def job_paths(name: str) -> tuple[PurePosixPath, PurePosixPath]:
    """A background job's module and test: ``app/jobs/x.py``, ``tests/jobs/...``."""
    return P(f"app/jobs/{name}.py"), P(f"tests/jobs/test_{name}.py")
