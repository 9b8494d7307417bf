"""Time scaffold's commands against the start-up floor, Copier and the peers.

Usage: ``python benchmarks/bench.py [--runs N] [--no-peers]`` (from the
repository, with scaffold installed in the running interpreter's environment).

Each job is a whole process, run N times on the same machine in one go; the
table shows medians and the ratio to the start-up floor, with each target, then
scaffold next to its peers. Peers that install from the package registries are
set up on first use in ``benchmarks/.peers`` (not timed): the NestJS CLI from
npm, in a fresh Nest project. ``copier copy`` of scaffold's own FastAPI
template stands for a comparable Copier template (the FastAPI templates
compared in shared/PEERS.md are not on PyPI; s3rius' ``fastapi_template`` is,
but it insists on an interactive terminal, so it cannot be timed here).
"""

from __future__ import annotations

import argparse
import compileall
import functools
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

LOAD_BEFORE = os.getloadavg()
BIN = Path(sys.executable).parent
SCAFFOLD = str(BIN / "scaffold")
HERE = Path(__file__).resolve().parent
REPO = HERE.parent
PEERS = HERE / ".peers"
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
    runs: int | None = None  # fewer runs for slow jobs
    warm_up: bool = True  # run once, untimed, first
    target: float | None = None  # an absolute goal, in seconds


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


def add_field(tmp: Path) -> tuple[Sequence[str], Path]:
    """Add a required field with a backfill to the book resource (not timed: book)."""
    project = _project(tmp)
    subprocess.run(
        [SCAFFOLD, "add", "resource", *BOOK, "--no-check", "-q"],
        cwd=project,
        check=True,
    )
    argv = [SCAFFOLD, "add", "field", "book", "isbn:str(13)", "--backfill", "0"]
    return [*argv, "--no-check"], project


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


def copier_copy(tmp: Path) -> tuple[Sequence[str], Path]:
    """``copier copy`` of the same FastAPI template ``new project`` renders."""
    argv = [
        str(BIN / "copier"), "copy", "--defaults", "--quiet",
        "--data", "project_name=demo", "--data", "scaffold_version=0",
        str(REPO / "templates" / "project"), str(tmp / "demo"),
    ]  # fmt: skip
    return argv, tmp


@functools.cache
def kept() -> Path:
    """A directory for projects that outlive one run (environment, mypy cache)."""
    return Path(tempfile.mkdtemp(prefix="scaffold-bench-kept-"))


def check_bookstore(tmp: Path) -> tuple[Sequence[str], Path]:
    """``scaffold check`` on one copy of the bookstore example, warm after run 1.

    The copy is made once; the warm-up run creates its environment and mypy
    cache, as a user's first check does, and every timed run reuses them.
    """
    project = kept() / "bookstore"
    if not project.exists():
        shutil.copytree(REPO / "examples" / "bookstore", project)
    return [SCAFFOLD, "check", "-q"], project


def add_one_checked(tmp: Path) -> tuple[Sequence[str], Path]:
    """Add one resource, with its checks, to a project ``new project`` just made.

    ``new project`` runs with its checks (not timed), so the project has its
    environment and a warm mypy cache, as it does for a user.
    """
    subprocess.run(
        [SCAFFOLD, "new", "project", "shop", "-q"],
        cwd=tmp,
        check=True,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    return [SCAFFOLD, "add", "resource", *BOOK, "-q"], tmp / "shop"


def pytest_run(*args: str) -> Callable[[Path], tuple[Sequence[str], Path]]:
    """A job that runs scaffold's own test suite (README's command) with ``args``."""
    return lambda tmp: ([sys.executable, "-m", "pytest", "-q", *args], REPO)


def _nest_project() -> Path | None:
    """A Nest project with the NestJS CLI, set up once; None if npm is missing."""
    npm = shutil.which("npm")
    if npm is None:
        return None
    nest = PEERS / "node_modules" / ".bin" / "nest"
    project = PEERS / "nest-project"
    quiet = {"stdout": subprocess.DEVNULL, "stderr": subprocess.DEVNULL}
    if not nest.exists():
        subprocess.run([npm, "install", "--prefix", str(PEERS), "@nestjs/cli@12"],
                       check=True, **quiet)  # fmt: skip
    if not (project / "node_modules").is_dir():
        subprocess.run([str(nest), "new", project.name, "--skip-git", "-p", "npm"],
                       cwd=PEERS, check=True, **quiet)  # fmt: skip
        # the first resource installs @nestjs/mapped-types; later ones do not
        subprocess.run([str(nest), "g", "resource", "warmup", "--type", "rest",
                        "--crud"], cwd=project, check=True, **quiet)  # fmt: skip
    return project


def nest_resource(tmp: Path) -> tuple[Sequence[str], Path]:
    """``nest g resource`` (empty CRUD shells) in the prepared Nest project."""
    project = _nest_project()
    if project is None:
        raise RuntimeError("the NestJS peer needs npm")
    name = f"book{tmp.name.rsplit('-', 1)[-1].lower()}"
    nest = str(PEERS / "node_modules" / ".bin" / "nest")
    return [nest, "g", "resource", name, "--type", "rest", "--crud"], project


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
    Job("scaffold add field --no-check (1)", add_field),
    Job("scaffold check (bookstore, warm)", check_bookstore, runs=3, target=12.0),
    Job("scaffold add resource, checks (1)", add_one_checked, runs=3, target=6.0),
]
#: scaffold's own suite, with --suite: one run each, no warm-up.
SUITE_JOBS = [
    Job(
        "suite: quick loop (-m 'not e2e')",
        pytest_run("-m", "not e2e"),
        runs=1,
        warm_up=False,
        target=60.0,
    ),
    Job("suite: full", pytest_run(), runs=1, warm_up=False, target=360.0),
]
PEER_JOBS = [
    Job("peer: copier copy (same template)", copier_copy),
    Job("peer: nest g resource (empty shells)", nest_resource),
]
#: scaffold job -> the peer job doing the same work.
VERSUS = {
    "scaffold new project --no-check": "peer: copier copy (same template)",
    "scaffold add resource --no-check (1)": "peer: nest g resource (empty shells)",
}


def compile_scaffold() -> None:
    """Compile scaffold's modules to bytecode, as installing its wheel does.

    An editable install has no bytecode until Python writes it on first import,
    and with ``PYTHONDONTWRITEBYTECODE`` set it never does: every run would
    compile scaffold's modules again, while the floor's libraries (installed
    from wheels) are compiled. Compiling first times what a user runs.
    """
    import scaffold

    compileall.compile_dir(Path(scaffold.__file__).parent, quiet=1)


def median_seconds(job: Job, runs: int) -> float:
    """Run ``job`` ``runs`` times (plus one warm-up) and return the median."""
    samples = []
    runs = min(runs, job.runs or runs)
    first = 0 if job.warm_up else 1
    for attempt in range(first, runs + 1):
        tmp = Path(tempfile.mkdtemp(prefix="scaffold-bench-"))
        try:
            argv, cwd = job.prepare(tmp)
            started = time.perf_counter()
            subprocess.run(
                argv,
                cwd=cwd,
                check=True,
                stdout=subprocess.DEVNULL,
                stderr=subprocess.DEVNULL,
                env={**os.environ, "NO_COLOR": "1"},
            )
            elapsed = time.perf_counter() - started
        finally:
            shutil.rmtree(tmp, ignore_errors=True)
        if attempt:  # the first run warms caches and is not counted
            samples.append(elapsed)
    return statistics.median(samples)


#: Jobs whose medians other jobs' targets are measured against.
_BASES = ("floor:", "import copier", "scaffold add resource --no-check (1)")


def _wanted(name: str, only: Sequence[str]) -> bool:
    """Whether ``--only`` keeps the job ``name`` (bases are always kept)."""
    return name.startswith(_BASES) or any(text in name for text in only)


def main(argv: Sequence[str] | None = None) -> int:
    """Run every job and print the table of medians, ratios and targets."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--runs", type=int, default=7, help="timed runs per job")
    parser.add_argument(
        "--no-peers", action="store_true", help="time scaffold only, not the peers"
    )
    parser.add_argument(
        "--suite",
        action="store_true",
        help="also time scaffold's own test suite: the quick loop and the full run",
    )
    parser.add_argument(
        "--only",
        action="append",
        metavar="TEXT",
        help="time only the jobs whose name holds TEXT (repeatable), beside the "
        "floor and the jobs their targets compare with",
    )
    options = parser.parse_args(argv)

    compile_scaffold()
    jobs = list(JOBS)
    if options.suite:
        jobs += SUITE_JOBS
    if options.only:
        jobs = [job for job in jobs if _wanted(job.name, options.only)]
    if not options.no_peers:
        jobs.append(PEER_JOBS[0])
        if _nest_project() is not None:
            jobs.append(PEER_JOBS[1])
        else:
            print("npm not found: nest g resource is not timed", file=sys.stderr)
    medians = {job.name: median_seconds(job, options.runs) for job in jobs}
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
        "scaffold add field --no-check (1)": (
            1.5 * medians["scaffold add resource --no-check (1)"],
            "<= 1.5 x add resource",
        ),
    }
    targets = {name: target for name, target in targets.items() if name in medians}
    for job in jobs:
        if job.target is not None:
            targets[job.name] = (job.target, "<=")
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
    versus = [(ours, peer) for ours, peer in VERSUS.items() if peer in medians]
    if versus:
        print(f"\n{'scaffold':<40} {'peer':<38} {'ratio':>7}")
        for ours, peer in versus:
            ratio = medians[peer] / medians[ours]
            print(f"{ours:<40} {peer:<38} {ratio:6.1f}x")
        print("(ratio: the peer's median over scaffold's; above 1, scaffold is faster)")
    python_version = sys.version.split()[0]
    print(
        f"\n{options.runs} timed runs per job (fewer where a job says so), "
        f"medians; Python {python_version}; load average before the run "
        f"{LOAD_BEFORE[0]:.1f}, after {os.getloadavg()[0]:.1f} ({os.cpu_count()} cores)"
    )
    if os.environ.get("PYTHONDONTWRITEBYTECODE"):
        print("PYTHONDONTWRITEBYTECODE is set: uv compiles the projects' bytecode")
    if kept.cache_info().currsize:
        shutil.rmtree(kept(), ignore_errors=True)
    return 1 if failed else 0


if __name__ == "__main__":
    raise SystemExit(main())
