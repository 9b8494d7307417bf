"""Regenerate the example projects from their specs, or check they are current.

Usage, from the repository with scaffold installed in the running interpreter's
environment:

    python examples/regenerate.py           # rewrite examples/<name>/
    python examples/regenerate.py --check   # exit 1 with a diff if any differs

Each example is ``scaffold new project`` followed by ``scaffold apply
examples/specs/<name>.yaml``, both with ``--no-check``, at a pinned
``SOURCE_DATE_EPOCH`` so that the output depends only on scaffold itself.
"""

from __future__ import annotations

import argparse
import difflib
import os
import shutil
import subprocess
import sys
import tempfile
from collections.abc import Sequence
from pathlib import Path

HERE = Path(__file__).resolve().parent
SCAFFOLD = str(Path(sys.executable).parent / "scaffold")
PINNED_EPOCH = "1767225600"  # 2026-01-01T00:00:00Z

#: Example name -> options of ``scaffold new project``. SQLite projects also
#: carry the PostgreSQL driver, so CI checks each example on both databases.
#: ``minimal`` is a public API; the others have users (``--auth``, the default).
EXAMPLES: dict[str, tuple[str, ...]] = {
    "minimal": ("--no-auth",),
    "bookstore": (),
    "every-field": ("--id", "int"),
}


def generate(name: str, parent: Path) -> Path:
    """Generate example ``name`` into ``parent`` and return its directory."""
    env = {**os.environ, "SOURCE_DATE_EPOCH": PINNED_EPOCH}
    commands = [
        [SCAFFOLD, "new", "project", name, *EXAMPLES[name], "--no-check", "-q",
         "-d", str(parent)],
        [
            SCAFFOLD, "apply", str(HERE / "specs" / f"{name}.yaml"),
            "--no-check", "-q", "--project", str(parent / name),
        ],
    ]  # fmt: skip
    for command in commands:
        subprocess.run(command, check=True, env=env)
    return parent / name


#: Files a new project gets that are not rendered, and differ on every run:
#: ``.env`` holds the project's random ``SECRET_KEY`` (and git ignores it).
LOCAL_FILES = (".env",)

#: Files committed with each example but left out of the ``--check`` comparison:
#: ``uv.lock`` is resolved from the package index when the project is created,
#: so it changes whenever a dependency publishes a release, not with scaffold.
#: It cannot be pinned to ``SOURCE_DATE_EPOCH`` (``uv lock --exclude-newer``):
#: the dependencies' lower bounds are newer than the pinned date. The suite
#: checks instead that each lock still matches its project (``uv lock --check``).
UNPINNED_FILES = ("uv.lock",)


def files(root: Path) -> dict[str, bytes]:
    """Every rendered file under ``root`` by its relative path."""
    return {
        path.relative_to(root).as_posix(): path.read_bytes()
        for path in sorted(root.rglob("*"))
        if path.is_file() and path.relative_to(root).as_posix() not in LOCAL_FILES
    }


def differences(expected: Path, actual: Path, name: str) -> list[str]:
    """A unified diff of two trees of example ``name``; empty when the same."""
    old, new = files(actual), files(expected)
    lines: list[str] = []
    for path in sorted(old.keys() | new.keys()):
        if path in UNPINNED_FILES or old.get(path) == new.get(path):
            continue
        before = old.get(path, b"").decode(errors="replace").splitlines(keepends=True)
        after = new.get(path, b"").decode(errors="replace").splitlines(keepends=True)
        lines += difflib.unified_diff(
            before, after, f"committed/{name}/{path}", f"regenerated/{name}/{path}"
        )
    return lines


def main(argv: Sequence[str] | None = None) -> int:
    """Regenerate every example, or with ``--check`` report the ones that differ."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--check", action="store_true", help="compare instead of rewriting"
    )
    options = parser.parse_args(argv)
    stale = []
    with tempfile.TemporaryDirectory(prefix="scaffold-examples-") as scratch:
        for name in EXAMPLES:
            generated = generate(name, Path(scratch))
            committed = HERE / name
            if options.check:
                diff = differences(generated, committed, name)
                if diff:
                    stale.append(name)
                    sys.stdout.writelines(diff)
            else:
                shutil.rmtree(committed, ignore_errors=True)
                shutil.copytree(
                    generated, committed, ignore=shutil.ignore_patterns(*LOCAL_FILES)
                )
    if stale:
        print(
            f"\nexamples out of date: {', '.join(stale)}; regenerate them with "
            "`python examples/regenerate.py`, review the diff and commit it",
            file=sys.stderr,
        )
        return 1
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
