"""Time scaffold's commands against the start-up floor and Copier's import.

Usage: ``python benchmarks/bench.py [--runs N]`` (from the repository, with
scaffold installed in the running interpreter's environment).

Each job is a whole process, run N times on the same machine in one go; the
table shows medians and the ratio to the start-up floor, with each target.
"""

from __future__ import annotations

import argparse
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

BIN = Path(sys.executable).parent
SCAFFOLD = str(BIN / "scaffold")
BOOK = [
    "book",
    "title:str(200):unique",
    "price:decimal(10,2):min=0",
    "published_on:date?",
]
FIELDS = [
    "name: str(120):unique",
    "description: text?",
    "price: decimal(10,2):min=0",
    "stock: int:min=0:default=0",
    "active: bool:default=true",
    "released_on: date?",
    "kind: enum(basic,premium):default=basic",
]
NOUNS = [
    "author",
    "book",
    "review",
    "tag",
    "order",
    "invoice",
    "customer",
    "supplier",
    "product",
    "warehouse",
    "shipment",
    "payment",
    "refund",
    "coupon",
    "category",
    "article",
    "comment",
    "event",
    "ticket",
    "venue",
]


@dataclass
class Job:
    """One command to time; ``prepare`` returns its argv and working directory."""

    name: str
    prepare: Callable[[Path], tuple[Sequence[str], Path]]


def python(code: str) -> Callable[[Path], tuple[Sequence[str], Path]]:
    """A job that runs ``python -c code``."""
    return lambda tmp: ([sys.executable, "-c", code], tmp)


def scaffold(*args: str) -> Callable[[Path], tuple[Sequence[str], Path]]:
    """A job that runs the scaffold command with ``args`` in a fresh directory."""
    return lambda tmp: ([SCAFFOLD, *args], tmp)


def _project(tmp: Path) -> Path:
    """Render an empty project into ``tmp`` (not timed)."""
    subprocess.run(
        [SCAFFOLD, "new", "project", "shop", "--no-check", "-q"], cwd=tmp, check=True
    )
    return tmp / "shop"


def add_one(tmp: Path) -> tuple[Sequence[str], Path]:
    """Add one resource with four fields to a fresh project."""
    return [SCAFFOLD, "add", "resource", *BOOK, "--no-check"], _project(tmp)


def add_twenty(tmp: Path) -> tuple[Sequence[str], Path]:
    """Add a spec of 20 resources with seven fields each to a fresh project."""
    lines = ["version: 1", "resources:"]
    for noun in NOUNS:
        lines += [f"  - name: {noun}", "    fields:"]
        lines += [f"      {field}" for field in FIELDS]
    spec = tmp / "spec.yaml"
    spec.write_text("\n".join(lines) + "\n")
    argv = [SCAFFOLD, "add", "resource", "--spec", str(spec), "--no-check"]
    return argv, _project(tmp)


JOBS = [
    Job(
        "floor: import typer, jinja2, pydantic",
        python("import typer, jinja2, pydantic"),
    ),
    Job("import copier", python("import copier")),
    Job("scaffold --help", scaffold("--help")),
    Job(
        "scaffold new project --no-check",
        scaffold("new", "project", "demo", "--no-check"),
    ),
    Job("scaffold add resource --no-check (1)", add_one),
    Job("scaffold add resource --no-check (20)", add_twenty),
]


def median_seconds(job: Job, runs: int) -> float:
    """Run ``job`` ``runs`` times (plus one warm-up) and return the median."""
    samples = []
    for attempt in range(runs + 1):
        tmp = Path(tempfile.mkdtemp(prefix="scaffold-bench-"))
        try:
            argv, cwd = job.prepare(tmp)
            started = time.perf_counter()
            subprocess.run(argv, cwd=cwd, check=True, stdout=subprocess.DEVNULL)
            elapsed = time.perf_counter() - started
        finally:
            shutil.rmtree(tmp, ignore_errors=True)
        if attempt:  # the first run warms caches and is not counted
            samples.append(elapsed)
    return statistics.median(samples)


def main(argv: Sequence[str] | None = None) -> int:
    """Run every job and print the table of medians, ratios and targets."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--runs", type=int, default=7, help="timed runs per job")
    options = parser.parse_args(argv)

    medians = {job.name: median_seconds(job, options.runs) for job in JOBS}
    floor = medians[JOBS[0].name]
    copier = medians["import copier"]
    targets = {
        "scaffold --help": (1.5 * floor, "<= 1.5 x floor"),
        "scaffold new project --no-check": (copier + 0.5, "<= import copier + 0.5 s"),
        "scaffold add resource --no-check (1)": (3 * floor, "<= 3 x floor"),
        "scaffold add resource --no-check (20)": (
            2 * medians["scaffold add resource --no-check (1)"],
            "< 2 x one resource",
        ),
    }
    print(f"{'job':<40} {'median':>9} {'x floor':>8}  target")
    failed = False
    for name, seconds in medians.items():
        limit, label = targets.get(name, (None, ""))
        verdict = ""
        if limit is not None:
            met = seconds <= limit
            failed |= not met
            verdict = f"{label} ({limit:.2f} s): {'met' if met else 'MISSED'}"
        print(f"{name:<40} {seconds:8.3f}s {seconds / floor:7.2f}x  {verdict}")
    python_version = sys.version.split()[0]
    print(f"\n{options.runs} timed runs per job, medians; Python {python_version}")
    return 1 if failed else 0


if __name__ == "__main__":
    raise SystemExit(main())
