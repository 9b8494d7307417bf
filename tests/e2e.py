"""Helpers for end-to-end tests: run the installed CLI, serve a project."""

from __future__ import annotations

import contextlib
import os
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


def run_scaffold(
    *args: str, cwd: Path, env: Mapping[str, str] | None = None, timeout: float = 900
) -> subprocess.CompletedProcess[str]:
    """Run the installed ``scaffold`` command as a user would."""
    return subprocess.run(
        [SCAFFOLD, *args],
        cwd=cwd,
        env={**os.environ, **(env or {})},
        capture_output=True,
        text=True,
        timeout=timeout,
        check=False,
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
