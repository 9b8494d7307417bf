"""The one transaction every writing command goes through.

A change is planned in full first (nothing written), then:

1. :func:`guard`: the commit check, the same for ``--dry-run`` and a real run:
   a plan that rewrites files with uncommitted changes is refused.
2. :func:`carry_out`: the plan is applied all or nothing (under a journal),
   then the project's checks prove the result.

``new project`` writes through Copier rather than a plan, so it uses
:func:`verify` alone for its last step. A command made of several changes
(``apply``) runs them inside :func:`all_or_nothing`, under one journal.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

from scaffold.engine.apply import apply_plan, journal_session
from scaffold.engine.events import Reporter
from scaffold.engine.plan import Plan
from scaffold.engine.vcs import ensure_committed
from scaffold.errors import MergeConflictError
from scaffold.tools.check import CheckResult, check_project, raise_for_failures
from scaffold.tools.parallel import requested_workers

__all__ = ["all_or_nothing", "carry_out", "guard", "ready_to_check", "verify"]


def guard(root: Path, plan: Plan, *, allow_dirty: bool) -> Plan:
    """The commit check: refuse to rewrite files with uncommitted changes.

    Args:
        root: The project root.
        plan: The planned change.
        allow_dirty: Rewrite such files anyway (``--allow-dirty``).

    Returns:
        ``plan``, unchanged, for chaining.

    Raises:
        UsageError: Files the plan modifies or deletes have uncommitted changes.
    """
    ensure_committed(root, plan, allow_dirty=allow_dirty)
    return plan


def ready_to_check(check: bool) -> None:
    """Refuse, before anything is written, a setting the checks would refuse.

    Raises:
        UsageError: ``SCAFFOLD_TEST_WORKERS`` is no number of processes.
    """
    if check:
        requested_workers()


def verify(
    root: Path,
    *,
    check: bool,
    db_url: str | None = None,
    reporter: Reporter | None = None,
) -> tuple[CheckResult, ...]:
    """Run the project's checks, unless ``check`` is false.

    Returns:
        The check results (none when ``check`` is false).

    Raises:
        CheckFailedError: A check failed.
    """
    if not check:
        return ()
    results = check_project(root, db_url=db_url, reporter=reporter)
    raise_for_failures(root, results)
    return tuple(results)


def carry_out(
    root: Path,
    plan: Plan,
    *,
    check: bool,
    reporter: Reporter | None = None,
    settle: Callable[[Plan], bool] | None = None,
) -> tuple[CheckResult, ...]:
    """Apply ``plan`` all or nothing, then prove the project with its checks.

    Args:
        root: The project root.
        plan: A plan that passed :func:`guard`.
        check: Run the project's checks afterwards.
        reporter: Receives progress events.
        settle: Called with the plan once it is applied; it may raise (merge
            conflicts, say) and returns whether the checks are still needed.

    Returns:
        The check results (none when no check ran).

    Raises:
        CheckFailedError: A check failed.
    """
    ready_to_check(check)
    apply_plan(root, plan, reporter=reporter)
    if settle is not None and not settle(plan):
        return ()
    return verify(root, check=check, reporter=reporter)


@contextmanager
def all_or_nothing(root: Path) -> Iterator[None]:
    """Make every :func:`carry_out` inside the block one change: all or nothing.

    The plans share one journal: a failure or an interrupt in any of them
    undoes them all, a killed run leaves one journal for ``scaffold recover``.
    A merge conflict keeps what was written, markers included, as it does for
    a single change. Run the checks after the block.
    """
    with journal_session(root, keep=(MergeConflictError,)):
        yield
