"""The plain types that describe a field: Python and SQL types, enum members."""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict

__all__ = ["EnumMember", "PyType", "SqlType"]


class _Plain(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class PyType(_Plain):
    """A Python type as import pieces, so templates can alias the import.

    Attributes:
        module: Where ``name`` is imported from: ``"builtins"``, ``"datetime"``,
            ``"decimal"``, ``"uuid"``, ``"typing"``, ``"pydantic"``; ``""`` for a
            class the generated module defines itself (an enum).
        name: The type's name in that module: ``"Decimal"``, ``"date"``.
        args: Type arguments, e.g. ``str`` and ``Any`` for ``dict[str, Any]``.
    """

    module: str
    name: str
    args: tuple[PyType, ...] = ()

    @property
    def annotation(self) -> str:
        """The annotation with bare names: ``Decimal``, ``dict[str, Any]``."""
        if not self.args:
            return self.name
        return f"{self.name}[{', '.join(arg.annotation for arg in self.args)}]"

    @property
    def imports(self) -> tuple[tuple[str, str], ...]:
        """``(module, name)`` pairs to import, builtins and local names excluded."""
        pairs = [] if self.module in ("", "builtins") else [(self.module, self.name)]
        for arg in self.args:
            pairs += [pair for pair in arg.imports if pair not in pairs]
        return tuple(pairs)


class SqlType(_Plain):
    """A SQLAlchemy column type: ``sa.<name>(*args, **kwargs)``.

    For ``Enum`` the template passes the generated enum class first (and, to
    store values rather than member names, a ``values_callable``).
    """

    name: str
    args: tuple[int, ...] = ()
    kwargs: dict[str, bool | int | str] = {}


class EnumMember(_Plain):
    """One member of a generated ``StrEnum``: ``DRAFT = "draft"``."""

    name: str
    value: str
