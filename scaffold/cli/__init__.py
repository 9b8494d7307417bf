"""The ``scaffold`` command line: thin commands over the library.

Each command parses its options, builds the validated job and calls one
library function. Errors derived from :class:`~scaffold.errors.ScaffoldError`
are caught once, in :func:`main`, and printed as one line per problem.
"""

from __future__ import annotations

import os
import sys

# Importing the command modules registers their commands, in --help order.
from scaffold.cli import (  # noqa: F401
    apply,
    fields,
    migrations,
    new,
    resource,
    state,
    templates,
    upgrade,
)
from scaffold.cli.app import app
from scaffold.engine.interrupt import Interrupted, install_handlers, interrupted_message
from scaffold.errors import ScaffoldError
from scaffold.tools.process import set_for_scaffold_only

__all__ = ["EXIT_INTERNAL_ERROR", "app", "main"]

#: Exit codes, documented in the README.
EXIT_INTERNAL_ERROR = 70


def main() -> None:
    """Entry point of the ``scaffold`` command: run it and map errors to exit codes."""
    # scaffold uses no Pydantic plugins; looking for them scans every installed
    # distribution, a noticeable part of a short command's start-up. The
    # project's own tests still load theirs.
    set_for_scaffold_only("PYDANTIC_DISABLE_PLUGINS", "__all__")
    from scaffold.cli.console import err, escape, print_error

    install_handlers()
    try:
        # Typer itself answers usage errors (exit 2).
        app(prog_name="scaffold")
    except ScaffoldError as exc:
        print_error(exc.problems)
        sys.exit(exc.exit_code)
    except Interrupted as exc:
        err().print(f"[red]{escape(interrupted_message(exc))}[/]")
        sys.exit(exc.exit_code)
    except Exception as exc:
        if os.environ.get("SCAFFOLD_DEBUG"):
            raise
        err().print(
            f"[bold red]internal error:[/] {type(exc).__name__}: {exc}; this is a "
            "bug in scaffold: rerun with SCAFFOLD_DEBUG=1 to see the traceback "
            "and report it"
        )
        sys.exit(EXIT_INTERNAL_ERROR)
