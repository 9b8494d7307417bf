"""Shared fixtures and helpers for scaffold's own tests."""

from __future__ import annotations

import functools
import hashlib
import os
import shutil
import subprocess
import threading
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from hypothesis import settings

from scaffold.tools import check as tools_check
from scaffold.tools.lock import lock_dependencies
from scaffold.tools.parallel import WORKERS_VARIABLE
from tests.environments import Prepare, build_seed, seed_root, seeded

# Property tests measure correctness, not speed: on a shared, noisy machine a
# per-example deadline only produces flaky failures.
settings.register_profile("scaffold", deadline=None)
settings.load_profile("scaffold")

# The suite runs two workers on two cores already: the projects it checks run
# their own tests in one process, except where a test asks for more.
os.environ.setdefault("SCAFFOLD_TEST_WORKERS", "1")

#: The local PostgreSQL server CI and developers' machines run.
POSTGRES_URL = os.environ.get(
    "SCAFFOLD_TEST_POSTGRES_URL", "postgresql+asyncpg://postgres@127.0.0.1:5432"
)
#: Appended to every PostgreSQL database name the suite uses, so that two
#: checkouts can run their suites against one server at the same time.
POSTGRES_SUFFIX = os.environ.get("SCAFFOLD_TEST_DB_SUFFIX", "")


def postgres_database(name: str) -> str:
    """The URL of the suite's PostgreSQL database ``name`` on the local server.

    The name carries :data:`POSTGRES_SUFFIX` and, under pytest-xdist, the
    worker's id, so no two checkouts or workers ever share a database.
    """
    worker = os.environ.get("PYTEST_XDIST_WORKER", "")
    return f"{POSTGRES_URL}/{name}{POSTGRES_SUFFIX}{'_' + worker if worker else ''}"


def tree_digest(root: Path) -> dict[str, str]:
    """Map every file and directory under ``root`` to a digest of its content.

    Two calls give equal results exactly when nothing was created, removed or
    changed in between.
    """
    digest: dict[str, str] = {}
    if not root.exists():
        return digest
    for path in sorted(root.rglob("*")):
        key = path.relative_to(root).as_posix()
        if path.is_symlink():
            digest[key] = "link:" + str(path.readlink())
        elif path.is_dir():
            digest[key] = "dir"
        else:
            digest[key] = hashlib.sha256(path.read_bytes()).hexdigest()
    return digest


def postgres_available() -> bool:
    """Whether the local PostgreSQL server answers."""
    pg_isready = shutil.which("pg_isready")
    if pg_isready is None:
        return False
    result = subprocess.run(
        [pg_isready, "--quiet", "--host", "127.0.0.1", "--port", "5432"],
        check=False,
    )
    return result.returncode == 0


def pytest_configure(config: pytest.Config) -> None:
    """Run generated projects' tests in one process unless a test asks for more.

    The suite's own workers keep every core busy already: a project's tests
    spread over more processes by ``scaffold check`` would only pay each
    process's start-up (the application imported, the schema built) again.
    The tests that spread them set ``SCAFFOLD_TEST_WORKERS`` themselves.
    """
    os.environ.setdefault(WORKERS_VARIABLE, "1")


def pytest_sessionstart(session: pytest.Session) -> None:
    """In a run of the whole suite, build the seed project while workers start.

    Almost every end-to-end test needs the seed (``environments.py``), and the
    first ones start together: one worker built it while the other waited for
    it. Built here, in the background, it is ready (or nearly) when the first
    one asks. A run of some tests only may need no seed, and builds none here.
    """
    config = session.config
    whole_suite = (
        config.args_source is pytest.Config.ArgsSource.TESTPATHS
        and not config.option.markexpr
        and not config.option.keyword
    )
    if whole_suite and not os.environ.get("PYTEST_XDIST_WORKER"):
        root = seed_root(config._tmp_path_factory)  # what tmp_path_factory gives
        threading.Thread(target=build_seed, args=(root,), daemon=True).start()


@pytest.hookimpl(trylast=True)
def pytest_collection_modifyitems(
    config: pytest.Config, items: list[pytest.Item]
) -> None:
    """Run the end-to-end tests first; stop if xdist would ignore its groups.

    Under xdist the workers take tests in this order: the long ones started
    first leave the short ones to fill in at the end, so both workers finish
    together instead of one running a long test alone.

    Under ``--dist loadgroup`` each worker's items carry their group in their
    node id; where pytest and pytest-xdist disagree on how to set it, groups
    are ignored without a word and each worker builds what a group shares.
    """
    items.sort(key=lambda item: item.get_closest_marker("e2e") is None)
    if not config.getoption("loadgroup", default=False):
        return
    lost = [
        item.nodeid
        for item in items
        if item.get_closest_marker("xdist_group") and "@" not in item.nodeid
    ]
    if lost:
        raise pytest.UsageError(
            f"pytest-xdist ignores the xdist_group of {lost[0]} (and "
            f"{len(lost) - 1} more) with pytest {pytest.__version__}; "
            "install the versions pyproject.toml allows: pip install -e '.[dev]'"
        )


def run_cache(tmp_path_factory: pytest.TempPathFactory, name: str) -> Path:
    """A directory for what one run computes once, shared by its xdist workers.

    It lies beside the workers' own temporary directories (in this process's
    one without xdist), so it lives exactly as long as the run's.
    """
    root = tmp_path_factory.getbasetemp()
    if os.environ.get("PYTEST_XDIST_WORKER"):
        root = root.parent
    cache = root / name
    cache.mkdir(exist_ok=True)
    return cache


@pytest.fixture(scope="session", autouse=True)
def cached_locks(tmp_path_factory: pytest.TempPathFactory) -> Iterator[None]:
    """Resolve each distinct project's ``uv.lock`` once per run.

    ``new project`` runs ``uv lock``, which asks the package index (seconds
    each time). Within one run a project with the same ``pyproject.toml`` and
    ``.python-version`` resolves to the same lock, so every later one, on any
    xdist worker, gets a copy of the first (kept beside the workers' temporary
    directories). Scaffold run as a real process (the packaging, README and
    signal tests) still resolves its own.
    """
    cache = run_cache(tmp_path_factory, "uv-locks")

    def lock_once(project: Path) -> str | None:
        key = hashlib.sha256(
            b"\0".join(
                (project / name).read_bytes()
                for name in ("pyproject.toml", ".python-version")
                if (project / name).is_file()
            )
        ).hexdigest()
        cached = cache / key
        if cached.is_file():
            shutil.copyfile(cached, project / "uv.lock")
            return None
        problem = lock_dependencies(project)
        if problem is None:
            partial = cache / f"{key}.{os.getpid()}"
            shutil.copyfile(project / "uv.lock", partial)
            partial.replace(cached)
        return problem

    with pytest.MonkeyPatch.context() as patch:
        patch.setattr("scaffold.changes.new_project.lock_dependencies", lock_once)
        yield


@pytest.fixture
def workdir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    """An empty directory that is also the current directory."""
    monkeypatch.chdir(tmp_path)
    yield tmp_path


@pytest.fixture(scope="session")
def require_postgres() -> None:
    """Fail (never skip) when the PostgreSQL server the suite needs is down."""
    if not postgres_available():
        pytest.fail(
            "PostgreSQL is not answering on 127.0.0.1:5432; start it with "
            "pg_ctlcluster --skip-systemctl-redirect $(ls /etc/postgresql) main start"
        )


@pytest.fixture(scope="session")
def seed(tmp_path_factory: pytest.TempPathFactory) -> Callable[[], Path]:
    """The seed project (``environments.py``), built on first call, once per run."""
    return functools.cache(lambda: build_seed(seed_root(tmp_path_factory)))


@pytest.fixture(scope="session", autouse=True)
def install(seed: Callable[[], Path]) -> Iterator[Prepare]:
    """Install generated projects' environments from a seed (``environments.py``).

    Every ``scaffold`` command the suite runs in this process, and every test
    that installs a project's environment itself (with this fixture), starts a
    missing environment as a copy of one built once per run.
    """
    prepare = seeded(seed)
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(tools_check, "prepare_environment", prepare)
        yield prepare


#: Renders a fresh project into a directory: ``render(parent, name=..., **options)``.
RenderOnce = Callable[..., Path]


@pytest.fixture(scope="session")
def render_once(tmp_path_factory: pytest.TempPathFactory) -> RenderOnce:
    """Render each distinct project once per run; copy it for every later use.

    Rendering runs Copier (a second or two each time). Fixtures that only need
    a fresh project get a copy of the first one rendered with the same options,
    on any xdist worker (kept beside the workers' temporary directories); the
    tests of rendering itself call ``render_project``.
    """
    from scaffold.changes.new_project import ProjectRequest, render_project

    cache = run_cache(tmp_path_factory, "rendered")

    def render(parent: Path, **options: object) -> Path:
        key = hashlib.sha256(repr(sorted(options.items())).encode()).hexdigest()
        cached = cache / key
        if not cached.is_dir():
            staging = cache / f"{key}.{os.getpid()}"
            staging.mkdir()
            render_project(ProjectRequest.build(parent=staging, **options))
            try:
                staging.rename(cached)
            except OSError:  # another worker rendered it meanwhile
                shutil.rmtree(staging)
        name = str(options["name"])
        return Path(shutil.copytree(cached / name, parent / name, symlinks=True))

    return render


@pytest.fixture(scope="session")
def base_project(
    tmp_path_factory: pytest.TempPathFactory, render_once: RenderOnce
) -> Path:
    """A freshly rendered SQLite project with the default options, never modified.

    Copy it (the ``project`` fixture) to use it; a test module may override it
    with other options.
    """
    return render_once(tmp_path_factory.mktemp("base"), name="shop")


@pytest.fixture
def project(base_project: Path, tmp_path: Path) -> Path:
    """A private copy of the base project."""
    return Path(shutil.copytree(base_project, tmp_path / "shop"))
