"""Start, wait for and stop external tools: ruff, mypy, pytest, uv.

Every tool runs from an argument list (never a shell), in a session of its own:
the tool and anything it starts (``uv run`` starts the real tool as a child)
form one process group, which is stopped as a whole on a timeout or an
interrupt, so no orphan keeps writing into a project after an interrupt has
removed or rolled it back.
"""

from __future__ import annotations

import contextlib
import os
import shlex
import signal
import subprocess
import threading
import time
from collections.abc import Callable, Iterator, Mapping, Sequence
from pathlib import Path
from types import FrameType
from typing import IO, cast

from scaffold.errors import CheckFailedError, ProjectError

__all__ = [
    "DEFAULT_TIMEOUT",
    "finish_tool",
    "run_tool",
    "set_for_scaffold_only",
    "start_tool",
    "stop_tool",
    "tool_environment",
    "uv_binary",
]

#: Seconds one tool may run before it is stopped.
DEFAULT_TIMEOUT = 900.0


def uv_binary() -> str:
    """Locate the ``uv`` executable that ships with scaffold's ``uv`` dependency."""
    try:
        from uv import find_uv_bin

        return str(find_uv_bin())
    except (ImportError, FileNotFoundError) as exc:
        raise ProjectError(
            "the 'uv' executable was not found; reinstall scaffold "
            "(pip install --force-reinstall fastapi-resource-scaffold)"
        ) from exc


#: Variables of scaffold's own environment that tools must not see.
_LEFT_OUT = frozenset(
    {
        "VIRTUAL_ENV",
        "UV_PROJECT_ENVIRONMENT",
        "PYTHONPATH",
        "PYTEST_XDIST_WORKER",
        "PYTEST_XDIST_WORKER_COUNT",
        "PYTEST_XDIST_TESTRUNUID",
        # Without bytecode every tool process (each test process, the round
        # trip, the server) compiles the project's modules again; what Python
        # writes goes to ``__pycache__``, which the project's .gitignore skips.
        "PYTHONDONTWRITEBYTECODE",
    }
)


#: Variables scaffold set in its own environment, for itself alone.
_SET_FOR_SCAFFOLD: set[str] = set()


def set_for_scaffold_only(name: str, value: str) -> None:
    """Set ``name`` in scaffold's environment, unless it is set already, and
    keep it out of the tools' environments (a project's own tests, say).
    """
    if name not in os.environ:
        os.environ[name] = value
        _SET_FOR_SCAFFOLD.add(name)


def tool_environment(extra: Mapping[str, str] | None = None) -> dict[str, str]:
    """The environment external tools run in.

    The caller's virtual environment is left out so that ``uv`` uses the
    project's own ``.venv``, and so is a pytest-xdist worker's identity (when
    scaffold itself runs under one), which would name the project's test
    databases, and so is what scaffold set for itself alone
    (:func:`set_for_scaffold_only`). ``PYTHONDONTWRITEBYTECODE`` is left out
    too: the project's tools cache the project's bytecode in ``__pycache__``
    instead of compiling it in every process. ``extra`` (for example
    ``DATABASE_URL``) wins.
    """
    left_out = _LEFT_OUT | _SET_FOR_SCAFFOLD
    env = {key: value for key, value in os.environ.items() if key not in left_out}
    env["NO_COLOR"] = "1"
    env.update(extra or {})
    return env


def start_tool(
    argv: Sequence[str],
    *,
    cwd: Path,
    env: Mapping[str, str] | None = None,
    output: IO[str] | None = None,
) -> subprocess.Popen[str]:
    """Start an external tool in a process group of its own; do not wait for it.

    Args:
        argv: The command as an argument list; it is never given to a shell.
        cwd: The directory to run it in.
        env: The whole environment for the tool.
        output: A file that receives the tool's combined output; without one,
            :func:`finish_tool` returns it.

    Returns:
        The running process; hand it to :func:`finish_tool`.

    Raises:
        CheckFailedError: The tool could not be started.
    """
    with _signals_held() as held:
        try:
            process = subprocess.Popen(
                list(argv),
                cwd=cwd,
                env=dict(env) if env is not None else None,
                stdout=output if output is not None else subprocess.PIPE,
                stderr=subprocess.STDOUT,
                stdin=subprocess.DEVNULL,
                text=True,
                start_new_session=True,
            )
        except FileNotFoundError as exc:
            command = shlex.join(argv)
            message = f"cannot run {command!r}: {argv[0]} not found"
            raise CheckFailedError(message) from exc
    if held:
        # Ctrl-C came while the tool was starting: stop it before the
        # interrupt goes on, or it would run on as an orphan.
        stop_tool(process)
        signal.raise_signal(held[0])
    return process


@contextlib.contextmanager
def _signals_held() -> Iterator[list[int]]:
    """Hold SIGINT and SIGTERM back while a tool starts; yield those that came.

    An interrupt raised inside ``Popen`` after the fork would lose the
    process object, and with it the only way to stop the child.
    """
    if threading.current_thread() is not threading.main_thread():
        yield []
        return
    held: list[int] = []
    signals = (signal.SIGINT, signal.SIGTERM)
    previous = [signal.signal(signum, _holder(held)) for signum in signals]
    try:
        yield held
    finally:
        for signum, handler in zip(signals, previous, strict=True):
            signal.signal(signum, handler)


def _holder(held: list[int]) -> Callable[[int, FrameType | None], None]:
    def hold(signum: int, frame: FrameType | None) -> None:
        del frame
        held.append(signum)

    return hold


def finish_tool(
    process: subprocess.Popen[str], *, cwd: Path, timeout: float = DEFAULT_TIMEOUT
) -> subprocess.CompletedProcess[str]:
    """Wait for a tool :func:`start_tool` started; stop it if it takes too long.

    Args:
        process: The running tool.
        cwd: The directory it runs in, for the message of a timeout.
        timeout: Seconds to wait, from now, before the tool is stopped.

    Returns:
        The finished process, whatever its exit code; its output is empty when
        it went to a file.

    Raises:
        CheckFailedError: The tool ran out of time.
    """
    argv = cast("list[str]", process.args)
    try:
        output, _ = process.communicate(timeout=timeout)
    except subprocess.TimeoutExpired as exc:
        stop_tool(process)
        raise CheckFailedError(
            f"{shlex.join(argv)!r} did not finish within {timeout:.0f} s; "
            f"rerun it by hand in {cwd} to see where it hangs"
        ) from exc
    except BaseException:
        stop_tool(process)
        raise
    return subprocess.CompletedProcess(argv, process.returncode, output or "")


def stop_tool(process: subprocess.Popen[str]) -> None:
    """Kill ``process`` and every process of its group, and reap it."""
    with contextlib.suppress(ProcessLookupError, PermissionError):
        os.killpg(process.pid, signal.SIGKILL)
    process.kill()
    process.communicate()
    # Children of the tool may outlive the group leader for a moment.
    deadline = time.monotonic() + 5
    while time.monotonic() < deadline:
        try:
            os.killpg(process.pid, 0)
        except (ProcessLookupError, PermissionError):
            return
        time.sleep(0.02)


def run_tool(
    argv: Sequence[str],
    *,
    cwd: Path,
    env: Mapping[str, str] | None = None,
    timeout: float = DEFAULT_TIMEOUT,
) -> subprocess.CompletedProcess[str]:
    """Run an external tool and capture its combined output.

    Args:
        argv: The command as an argument list; it is never given to a shell.
        cwd: The directory to run it in.
        env: The whole environment for the tool.
        timeout: Seconds before the tool is stopped.

    Returns:
        The finished process, whatever its exit code.

    Raises:
        CheckFailedError: The tool could not be started or ran out of time.
    """
    process = start_tool(argv, cwd=cwd, env=env)
    return finish_tool(process, cwd=cwd, timeout=timeout)
