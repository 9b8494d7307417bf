"""Measure a generated API on PostgreSQL against a hand-written floor.

Usage: ``python benchmarks/app_bench.py [--rows N] [--requests N] [--seconds S]
[--rounds R]``
(from the repository, with scaffold installed in the running interpreter's
environment, and PostgreSQL on 127.0.0.1:5432 with trust authentication).

It generates a project (``--no-auth``) with one ``book`` resource, installs its
environment, migrates a fresh database ``scaffold_bench<SUFFIX>`` (the suffix
from ``SCAFFOLD_TEST_DB_SUFFIX``), fills it with 100,000 books, and serves the
generated app and ``floor_app.py`` (FastAPI + raw asyncpg, the same queries) on
127.0.0.1 with uvicorn, one at a time. Each query is then driven by 1 and by 32
concurrent clients, at most ``--requests`` requests or ``--seconds`` seconds,
whichever comes first, after a short warm-up. The two apps take ``--rounds``
turns, alternating which goes first; the table shows each cell's median
requests per second and p50 / p95 latency over the rounds, and the generated
app's throughput as a share of the floor's. Nothing talks to anything but 127.0.0.1.
"""

# The seeding SQL is assembled from constants and integers only.
# ruff: noqa: S608

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

HERE = Path(__file__).resolve().parent
SCAFFOLD = str(Path(sys.executable).parent / "scaffold")
PG = "postgres@127.0.0.1:5432"
BASE = "http://127.0.0.1:8765"
SPEC = """version: 1
resources:
  - name: book
    fields:
      title: str(200):index
      status: enum(draft,published):default=draft
      price: decimal(10,2):min=0
    searchable: [title]
"""
#: The queries, as (label, method, path); ``{id}`` is a book that exists.
QUERIES = [
    ("get by id", "GET", "/api/v1/books/{id}"),
    ("first page", "GET", "/api/v1/books"),
    ("deep page (1,000 of 2,000)", "GET", "/api/v1/books?page=1000"),
    ("filter (status)", "GET", "/api/v1/books?status=published"),
    ("search (q)", "GET", "/api/v1/books?q=Book%2099999"),
    ("create", "POST", "/api/v1/books"),
]
CONCURRENCY = (1, 32)

#: The load generator, run by the generated project's interpreter (it has httpx).
LOAD = r"""
import asyncio, json, sys, time
import httpx

base, method, path, clients, limit, seconds = sys.argv[1:7]
clients, limit, seconds = int(clients), int(limit), float(seconds)
body = {"title": "Benchmark book", "status": "draft", "price": "9.99"}

errors = []

async def worker(client, latencies, deadline, counter):
    while counter[0] < limit and time.perf_counter() < deadline:
        counter[0] += 1
        start = time.perf_counter()
        try:
            if method == "POST":
                response = await client.post(path, json=body)
            else:
                response = await client.get(path)
        except httpx.TransportError as error:  # counted, not fatal
            errors.append(repr(error))
            continue
        latencies.append(time.perf_counter() - start)
        assert response.status_code < 300, response.text

async def main():
    limits = httpx.Limits(max_connections=clients)
    async with httpx.AsyncClient(base_url=base, limits=limits, timeout=60) as client:
        warm = time.perf_counter() + 60
        await asyncio.gather(*(worker(client, [], warm, [limit - clients])
                               for _ in range(clients)))
        latencies, counter = [], [0]
        start = time.perf_counter()
        await asyncio.gather(*(worker(client, latencies, start + seconds, counter)
                               for _ in range(clients)))
        elapsed = time.perf_counter() - start
    latencies.sort()
    pick = lambda p: latencies[min(len(latencies) - 1, int(p * len(latencies)))]
    print(json.dumps({"rps": len(latencies) / elapsed, "p50": pick(0.5),
                      "p95": pick(0.95), "n": len(latencies),
                      "errors": len(errors)}))

asyncio.run(main())
"""


def run(*argv: str, cwd: Path | None = None, env: dict[str, str] | None = None) -> str:
    """Run a command; stop the benchmark with its output if it fails."""
    print("...", " ".join(argv)[:80].replace("\n", " "), file=sys.stderr, flush=True)
    result = subprocess.run(
        argv, cwd=cwd, env=env, capture_output=True, text=True, check=False
    )
    if result.returncode != 0:
        sys.exit(f"{' '.join(argv)[:100]} failed:\n{result.stdout}\n{result.stderr}")
    return result.stdout


def psql(database: str, sql: str) -> str:
    """Run SQL on the local server; return its unaligned output."""
    return run("psql", "-qAt", "-h", "127.0.0.1", "-U", "postgres", "-d", database,
               "-c", sql)  # fmt: skip


def seed(database: str, rows: int) -> str:
    """Fill ``books`` with ``rows`` rows; return the id of one of them."""
    psql(
        database,
        "INSERT INTO books (id, title, status, price, created_at, updated_at) "
        "SELECT gen_random_uuid(), 'Book ' || i, "
        "CASE WHEN i % 2 = 0 THEN 'draft' ELSE 'published' END, (i % 1000) + 0.99, "
        "now() - i * interval '1 second', now() - i * interval '1 second' "
        f"FROM generate_series(1, {rows}) AS i",
    )
    psql(database, "ANALYZE books")
    middle = f"Book {rows // 2}"
    return psql(database, f"SELECT id FROM books WHERE title = '{middle}'").strip()


def serve(argv: list[str], cwd: Path, env: dict[str, str]) -> subprocess.Popen[bytes]:
    """Start a uvicorn server and wait until it answers on 127.0.0.1:8765."""
    process = subprocess.Popen(
        [*argv, "--host", "127.0.0.1", "--port", "8765", "--log-level", "warning",
         "--no-access-log"],
        cwd=cwd, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )  # fmt: skip
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        try:
            urllib.request.urlopen(f"{BASE}/api/v1/books?size=1", timeout=5)  # noqa: S310
            return process
        except OSError:
            time.sleep(0.3)
    process.kill()
    sys.exit(f"{argv} did not start")


Results = dict[str, dict[int, dict[str, float]]]


def measure(python: str, book_id: str, requests: int, seconds: float) -> Results:
    """Drive every query at every concurrency against the server on port 8765."""
    results: Results = {}
    for label, method, path in QUERIES:
        for clients in CONCURRENCY:
            out = run(python, "-c", LOAD, BASE, method,
                      path.format(id=book_id), str(clients), str(requests),
                      str(seconds))  # fmt: skip
            results.setdefault(label, {})[clients] = json.loads(out)
    return results


def medians(runs: list[Results]) -> Results:
    """Each cell's median over the rounds (errors are summed)."""
    merged: Results = {}
    for label, by_clients in runs[0].items():
        for clients in by_clients:
            cells = [run[label][clients] for run in runs]
            merged.setdefault(label, {})[clients] = {
                key: statistics.median(cell[key] for cell in cells)
                for key in ("rps", "p50", "p95", "n")
            } | {"errors": sum(cell.get("errors", 0) for cell in cells)}
    return merged


def table(generated: Results, floor: Results) -> str:
    """The results as a Markdown table."""
    lines = [
        "| query | clients | generated req/s | p50 / p95 ms | floor req/s | "
        "p50 / p95 ms | generated / floor |",
        "| --- | --- | --- | --- | --- | --- | --- |",
    ]
    for label, _, _ in QUERIES:
        for clients in CONCURRENCY:
            g, f = generated[label][clients], floor[label][clients]
            lines.append(
                f"| {label} | {clients} | {g['rps']:.0f} | {g['p50'] * 1000:.1f} / "
                f"{g['p95'] * 1000:.1f} | {f['rps']:.0f} | {f['p50'] * 1000:.1f} / "
                f"{f['p95'] * 1000:.1f} | {g['rps'] / f['rps']:.0%} |"
            )
    failed = [
        f"{side} {label} at {clients}: {result['errors']} connection errors"
        for side, results in (("generated", generated), ("floor", floor))
        for label, by_clients in results.items()
        for clients, result in by_clients.items()
        if result.get("errors")
    ]
    return "\n".join([*lines, *(f"\n{line}" for line in failed)])


def main() -> int:
    """Generate, seed, serve and measure; print the table."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=100_000)
    parser.add_argument("--requests", type=int, default=2000)
    parser.add_argument("--seconds", type=float, default=5.0)
    parser.add_argument("--rounds", type=int, default=3)
    options = parser.parse_args()
    database = "scaffold_bench" + os.environ.get("SCAFFOLD_TEST_DB_SUFFIX", "")
    with tempfile.TemporaryDirectory(prefix="scaffold-app-bench-") as scratch:
        parent = Path(scratch)
        (parent / "bench.yaml").write_text(SPEC)
        run(SCAFFOLD, "new", "project", "bench", "--no-auth", "--no-check", "-q",
            "-d", str(parent))  # fmt: skip
        project = parent / "bench"
        run(SCAFFOLD, "add", "resource", "--spec", str(parent / "bench.yaml"),
            "--no-check", "-q", cwd=project)  # fmt: skip
        env = {k: v for k, v in os.environ.items() if k != "VIRTUAL_ENV"}
        env["DATABASE_URL"] = f"postgresql+asyncpg://{PG}/{database}"
        env["FLOOR_DATABASE_URL"] = f"postgresql://{PG}/{database}"
        env["LOG_LEVEL"] = "WARNING"
        from uv import find_uv_bin

        uv = str(find_uv_bin())
        run(uv, "sync", "--quiet", cwd=project, env=env)
        python = str(project / ".venv" / "bin" / "python")
        psql("postgres", f"DROP DATABASE IF EXISTS {database}")
        psql("postgres", f"CREATE DATABASE {database}")
        try:
            run(python, "-m", "alembic", "upgrade", "head", cwd=project, env=env)
            book_id = seed(database, options.rows)
            servers = [
                ("generated", [python, "-m", "uvicorn", "app.main:app"], project),
                ("floor", [python, "-m", "uvicorn", "floor_app:app"], HERE),
            ]
            rounds: dict[str, list[Results]] = {"generated": [], "floor": []}
            for number in range(options.rounds):
                # Alternate which app goes first, so a drift in the machine's
                # load weighs on both alike.
                for name, argv, cwd in servers[:: 1 if number % 2 == 0 else -1]:
                    server = serve(argv, cwd, env)
                    try:
                        rounds[name].append(measure(python, book_id,
                                                    options.requests,
                                                    options.seconds))  # fmt: skip
                    finally:
                        server.terminate()
                        server.wait(timeout=30)
                    psql(database, "DELETE FROM books WHERE title = 'Benchmark book'")
            results = {name: medians(runs) for name, runs in rounds.items()}
        finally:
            psql("postgres", f"DROP DATABASE IF EXISTS {database}")
    print(f"{options.rows:,} rows; at most {options.requests} requests or "
          f"{options.seconds:g} s per cell; medians of {options.rounds} "
          "rounds, the apps alternating")  # fmt: skip
    print(table(results["generated"], results["floor"]))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
