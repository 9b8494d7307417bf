"""``--help`` without ``<bool>`` beside flags.

Typer's rich help prints a value type beside every option, ``<bool>`` for
flags too, although a flag takes no value (its plain help leaves the type
out). :func:`hide_flag_types` makes the rich help do the same; it changes
nothing else.
"""

from __future__ import annotations

from typing import Any

from typer.core import TyperOption

__all__ = ["hide_flag_types"]


def hide_flag_types() -> None:
    """Show no value type beside flags (``--force``, ``--check/--no-check``)."""
    shown = TyperOption.display_type_rich
    if getattr(shown, "hides_flags", False):
        return

    def display_type_rich(self: TyperOption, ctx: Any) -> str | None:
        return None if self.is_flag else shown(self, ctx)

    display_type_rich.hides_flags = True  # type: ignore[attr-defined]
    TyperOption.display_type_rich = display_type_rich  # type: ignore[method-assign]
