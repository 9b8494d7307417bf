"""The suite's seeded environments end as the project's own fresh one would."""

from __future__ import annotations

from pathlib import Path

import pytest

from scaffold.changes.new_project import ProjectRequest, render_project
from scaffold.tools.check import SYNC_STAMP, run_tool, tool_environment, uv_binary
from tests.environments import Prepare


@pytest.mark.e2e
def test_a_seeded_environment_is_exactly_what_the_projects_lock_says(
    tmp_path: Path, install: Prepare
) -> None:
    # Given a project with fewer dependencies than the seed (no auth, no jobs)
    render_project(ProjectRequest.build(name="shop", auth=False, parent=tmp_path))
    project = tmp_path / "shop"

    # When its environment is installed from the seed
    install(project)

    # Then uv would change nothing: the seed's extra packages are gone
    env = tool_environment()
    synced = run_tool((uv_binary(), "sync", "--check"), cwd=project, env=env)
    assert synced.returncode == 0, synced.stdout
    assert "Would make no changes" in synced.stdout
    # And its scripts run its own interpreter on its own code, not the seed's
    where = run_tool(
        (uv_binary(), "run", "--no-sync", "python", "-c",
         "import sys, app; print(sys.prefix); print(app.__file__)"),
        cwd=project,
        env=env,
    )  # fmt: skip
    assert where.returncode == 0, where.stdout
    prefix, module = where.stdout.split()[-2:]
    assert Path(prefix) == project / ".venv"
    assert Path(module) == project / "app" / "__init__.py"
    # And its stamp records this project's sources, so the next check skips uv
    assert (project / SYNC_STAMP).is_file()
    assert list((project / ".venv" / "lib").glob("*/site-packages/pwdlib")) == []
