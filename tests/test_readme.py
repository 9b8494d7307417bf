"""The README's walk-through, replayed: its sample output and its set-up advice.

The sample at the top of the README is a real run's output; replaying the
commands must print the same lines (times aside). The quick start's shell
set-up must let ``uv run`` work in a project without warnings.
"""

from __future__ import annotations

import os
import re
import shlex
import shutil
import subprocess
from pathlib import Path

import pytest

from scaffold.tools.check import tool_environment
from tests.e2e import SCAFFOLD

ROOT = Path(__file__).resolve().parents[1]
README = (ROOT / "README.md").read_text(encoding="utf-8")
_TIME = re.compile(r"\s+[\d.]+ s$")

pytestmark = pytest.mark.e2e


def console_blocks() -> list[str]:
    """The text of every ```console block of the README."""
    return re.findall(r"```console\n(.*?)```", README, flags=re.S)


def normalised(lines: list[str]) -> list[str]:
    """Lines without trailing blanks, each check's time replaced by ``N s``."""
    return [_TIME.sub(" N s", line.rstrip()) for line in lines]


def test_the_sample_output_is_what_a_real_run_prints(tmp_path: Path) -> None:
    # Given the README's first sample: commands after '$ ', then their output
    sample = console_blocks()[0].splitlines()
    runs: list[tuple[str, list[str]]] = []
    for line in sample:
        if line.startswith("$ "):
            runs.append((line[2:], []))
        else:
            runs[-1][1].append(line)

    # When each command is run for real, in a fresh directory
    cwd = tmp_path
    for command, expected in runs:
        argv = shlex.split(command)
        if argv[0] == "cd":
            cwd = cwd / argv[1]
            assert expected == []
            continue
        assert argv[0] == "scaffold"
        result = subprocess.run(
            [SCAFFOLD, *argv[1:]],
            cwd=cwd,
            env={**os.environ, "NO_COLOR": "1", "COLUMNS": "100"},
            capture_output=True,
            text=True,
            timeout=900,
            check=False,
        )

        # Then it succeeds and prints what the README shows
        assert result.returncode == 0, result.stderr
        printed = (result.stdout + result.stderr).splitlines()
        assert normalised(printed) == normalised(expected), command


def test_the_quick_start_set_up_lets_uv_run_without_warnings(
    project: Path, tmp_path: Path
) -> None:
    # Given the quick start's shell set-up, in a directory holding scaffold's
    # .venv and a project 'demo'
    block = next(text for text in console_blocks() if "export PATH=" in text)
    commands = [line for line in block.splitlines() if line.strip()]
    assert commands[:2] == ['export PATH="$PWD/.venv/bin:$PATH"', "cd demo"]
    assert not any("activate" in line for line in commands)
    (tmp_path / ".venv").symlink_to(ROOT / ".venv")
    shutil.copytree(project, tmp_path / "demo")
    steps = [line for line in commands if "uvicorn" not in line]  # it serves
    env = tool_environment()

    # When its steps are followed literally, and once more after activating
    # scaffold's environment, as the README advised before
    followed = subprocess.run(
        ["bash", "-ec", "\n".join(steps)],
        cwd=tmp_path, env=env, capture_output=True, text=True, timeout=600,
        check=False,
    )  # fmt: skip
    activated = subprocess.run(
        ["bash", "-ec", ". .venv/bin/activate\n" + "\n".join(steps)],
        cwd=tmp_path, env=env, capture_output=True, text=True, timeout=600,
        check=False,
    )  # fmt: skip

    # Then the advice migrates the database without uv's warning, which the
    # activated environment would have caused
    assert followed.returncode == 0, followed.stderr
    assert "does not match the project environment" not in followed.stderr
    assert "does not match the project environment" in activated.stderr
