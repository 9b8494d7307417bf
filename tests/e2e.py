"""Helpers for end-to-end tests: run the installed CLI, serve a project."""

from __future__ import annotations

import contextlib
import io
import os
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Iterator, Mapping
from pathlib import Path

from scaffold.tools.check import tool_environment, uv_binary

SCAFFOLD = str(Path(sys.executable).parent / "scaffold")
#: The signals scaffold handles; an in-process run restores their handlers.
HANDLED_SIGNALS = (signal.SIGINT, signal.SIGTERM)


def run_scaffold(
    *args: str, cwd: Path, env: Mapping[str, str] | None = None
) -> subprocess.CompletedProcess[str]:
    """Run ``scaffold`` in this process through its entry point, ``main``.

    What only a real process shows (the installed command, signals) runs
    :data:`SCAFFOLD` with ``subprocess`` instead (``test_readme.py``,
    ``test_new_project.py``).

    Arguments, working directory, environment, standard streams and signal
    handlers are the command's for the call and restored afterwards; the
    result reads like that of a process (exit code, stdout, stderr).
    """
    from scaffold.cli import main

    stdout, stderr = io.StringIO(), io.StringIO()
    handlers = {signum: signal.getsignal(signum) for signum in HANDLED_SIGNALS}
    saved_env = dict(os.environ)
    saved_argv, saved_stdin = sys.argv, sys.stdin
    code: int | str | None = 0
    try:
        os.environ.update(env or {})
        sys.argv, sys.stdin = ["scaffold", *args], io.StringIO("")
        with (
            contextlib.chdir(cwd),
            contextlib.redirect_stdout(stdout),
            contextlib.redirect_stderr(stderr),
        ):
            try:
                main()
            except SystemExit as exit_:
                code = exit_.code
    finally:
        sys.argv, sys.stdin = saved_argv, saved_stdin
        os.environ.clear()
        os.environ.update(saved_env)
        for signum, handler in handlers.items():
            signal.signal(signum, handler)
    returncode = code if isinstance(code, int) else (0 if code is None else 1)
    return subprocess.CompletedProcess(
        ["scaffold", *args], returncode, stdout.getvalue(), stderr.getvalue()
    )


def free_port() -> int:
    """A TCP port on the loopback interface that nothing listens on."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def get(url: str) -> tuple[int, bytes]:
    """GET ``url`` and return its status code and body, errors included."""
    try:
        with urllib.request.urlopen(url, timeout=5) as response:
            return response.status, response.read()
    except urllib.error.HTTPError as error:
        return error.code, error.read()


@contextlib.contextmanager
def serve(project: Path, env: Mapping[str, str] | None = None) -> Iterator[str]:
    """Serve the project with uvicorn on a free port; yield its base URL."""
    port = free_port()
    process = subprocess.Popen(
        [
            uv_binary(),
            "run",
            "--no-sync",
            "uvicorn",
            "app.main:app",
            "--port",
            str(port),
        ],
        cwd=project,
        env=tool_environment(env),
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                get(f"{base}/healthz")
                break
            except (urllib.error.URLError, ConnectionError) as error:
                if process.poll() is not None or time.monotonic() > deadline:
                    stderr = process.stderr.read() if process.stderr else b""
                    raise RuntimeError(f"uvicorn did not start: {stderr!r}") from error
                time.sleep(0.2)
        yield base
    finally:
        process.terminate()
        process.wait(timeout=30)
