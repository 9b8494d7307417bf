"""The schema a generated model module declares, read from its source.

:func:`read_tables` parses a model module (never imports it: the model's
packages live in the project's environment, not scaffold's) and lists, for
each table it declares, what a revision can change in place: the columns'
types and nullability, and the named CHECK constraints, unique constraints
and indexes, under the names the project's naming convention gives them in
the database. It reads the shapes scaffold's model templates write: a
declarative class with ``__tablename__``, ``__table_args__`` and
``Mapped[...]`` attributes, and module-level association tables
(``Table(...)``).

Expressions are returned as a migration spells them: every name the module
imports from ``sqlalchemy`` is prefixed with ``sa.`` (``column("price") >=
0`` becomes ``sa.column("price") >= 0``). :func:`condition_sql` writes such
an expression as the SQL text a row count can use.
"""

from __future__ import annotations

import ast
from dataclasses import dataclass, field

from scaffold.migrations.sql_source import ident

__all__ = [
    "Column",
    "Index",
    "TableSchema",
    "condition_sql",
    "expression_columns",
    "read_tables",
]


@dataclass(frozen=True)
class Column:
    """A column: its type as the model names it, and whether it takes NULL.

    Attributes:
        type: The type's source, ``sa.``-prefixed (``sa.String(200)``), or
            None when SQLAlchemy infers it from the annotation.
        annotation: The type the ``Mapped[...]`` annotation holds, without
            ``| None`` (empty for a ``Table``'s column).
        nullable: Whether the column takes NULL.
    """

    type: str | None
    annotation: str
    nullable: bool


@dataclass(frozen=True)
class Index:
    """An index: its columns, whether it is unique, over which rows, how built.

    Attributes:
        columns: The indexed columns, in order.
        unique: Whether the index is unique.
        where: The condition of a partial index (the ``postgresql_where``
            a soft-delete resource's unique fields declare, ``sa.``-prefixed),
            or None for an index over every row.
        trigram: Whether it is a trigram index (``postgresql_using="gin"``
            under ``.ddl_if(dialect="postgresql")``), which exists on
            PostgreSQL alone.
    """

    columns: tuple[str, ...]
    unique: bool = False
    where: str | None = None
    trigram: bool = False


@dataclass
class TableSchema:
    """What a revision can change of one table, by database name."""

    name: str
    columns: dict[str, Column] = field(default_factory=dict)
    checks: dict[str, str] = field(default_factory=dict)
    uniques: dict[str, tuple[str, ...]] = field(default_factory=dict)
    indexes: dict[str, Index] = field(default_factory=dict)


class _Prefix(ast.NodeTransformer):
    """Spell every name imported from ``sqlalchemy`` as ``sa.NAME``."""

    def __init__(self, names: set[str]) -> None:
        self.names = names

    def visit_Name(self, node: ast.Name) -> ast.AST:
        if node.id not in self.names:
            return node
        return ast.copy_location(
            ast.Attribute(ast.Name("sa", ast.Load()), node.id, ast.Load()), node
        )


def _sqlalchemy_names(tree: ast.Module) -> set[str]:
    return {
        alias.asname or alias.name
        for node in tree.body
        if isinstance(node, ast.ImportFrom) and node.module == "sqlalchemy"
        for alias in node.names
    }


def _call_name(node: ast.AST) -> str | None:
    if not isinstance(node, ast.Call):
        return None
    if isinstance(node.func, ast.Name):
        return node.func.id
    if isinstance(node.func, ast.Attribute):
        return node.func.attr
    return None


def _keyword(call: ast.Call, name: str) -> ast.expr | None:
    return next((k.value for k in call.keywords if k.arg == name), None)


def _true(node: ast.expr | None) -> bool:
    return isinstance(node, ast.Constant) and node.value is True


def _text(node: ast.expr | None) -> str | None:
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        return node.value
    return None


def _bare(annotation: ast.expr) -> str:
    """The type ``Mapped[...]`` holds, without ``| None``: ``Decimal``."""
    if isinstance(annotation, ast.BinOp) and isinstance(annotation.op, ast.BitOr):
        sides = [annotation.left, annotation.right]
        kept = [
            side
            for side in sides
            if not (isinstance(side, ast.Constant) and side.value is None)
        ]
        if len(kept) == 1:
            return _bare(kept[0])
    return ast.unparse(annotation)


def _optional(annotation: ast.expr) -> bool:
    """Whether ``Mapped[X | None]`` (or ``Optional[X]``) admits None."""
    found = False
    for node in ast.walk(annotation):
        if isinstance(node, ast.Constant) and node.value is None:
            found = True
        if isinstance(node, ast.Name) and node.id == "Optional":
            found = True
    return found


class _Reader:
    """Collects the tables of one module."""

    def __init__(self, tree: ast.Module) -> None:
        self.prefix = _Prefix(_sqlalchemy_names(tree))
        self.tables: dict[str, TableSchema] = {}

    def source(self, node: ast.expr) -> str:
        return ast.unparse(self.prefix.visit(ast.parse(ast.unparse(node), mode="eval")))

    def column(
        self,
        table: TableSchema,
        name: str,
        call: ast.Call | None,
        annotation: str,
        optional: bool,
    ) -> None:
        arguments = list(call.args) if call is not None else []
        if arguments and _text(arguments[0]) is not None:
            name = _text(arguments.pop(0)) or name
        types = [arg for arg in arguments if _call_name(arg) != "ForeignKey"]
        nullable = _keyword(call, "nullable") if call is not None else None
        primary = call is not None and _true(_keyword(call, "primary_key"))
        table.columns[name] = Column(
            self.source(types[0]) if types else None,
            annotation,
            (not primary and optional) if nullable is None else _true(nullable),
        )
        unique = call is not None and _true(_keyword(call, "unique"))
        if call is not None and _true(_keyword(call, "index")):
            table.indexes[f"ix_{table.name}_{name}"] = Index((name,), unique)
        elif unique:
            table.uniques[f"uq_{table.name}_{name}"] = (name,)

    def constraint(self, table: TableSchema, node: ast.expr) -> None:
        if not isinstance(node, ast.Call):
            return
        if _call_name(node) == "ddl_if" and isinstance(node.func, ast.Attribute):
            if _text(_keyword(node, "dialect")) == "postgresql":
                self.postgresql_index(table, node.func.value)
            return
        kind = _call_name(node)
        name = _text(_keyword(node, "name"))
        if kind == "CheckConstraint" and name is not None and node.args:
            table.checks[f"ck_{table.name}_{name}"] = self.source(node.args[0])
        elif kind == "UniqueConstraint":
            columns = tuple(filter(None, map(_text, node.args)))
            if columns:
                key = name or f"uq_{table.name}_{'_'.join(columns)}"
                table.uniques[key] = columns
        elif kind == "Index" and node.args:
            index_name = _text(node.args[0])
            columns = tuple(filter(None, map(_text, node.args[1:])))
            if index_name and columns:
                unique = _true(_keyword(node, "unique"))
                where = _keyword(node, "postgresql_where")
                table.indexes[index_name] = Index(
                    columns, unique, self.source(where) if where is not None else None
                )

    def postgresql_index(self, table: TableSchema, node: ast.expr) -> None:
        if not isinstance(node, ast.Call) or _call_name(node) != "Index":
            return
        name = _text(node.args[0]) if node.args else None
        columns = tuple(filter(None, map(_text, node.args[1:])))
        if name and columns and _text(_keyword(node, "postgresql_using")) == "gin":
            table.indexes[name] = Index(columns, trigram=True)

    def declarative(self, node: ast.ClassDef) -> None:
        name = None
        args: list[ast.expr] = []
        for statement in node.body:
            if isinstance(statement, ast.Assign) and len(statement.targets) == 1:
                target = statement.targets[0]
                if isinstance(target, ast.Name) and target.id == "__tablename__":
                    name = _text(statement.value)
                if isinstance(target, ast.Name) and target.id == "__table_args__":
                    value = statement.value
                    args = list(value.elts) if isinstance(value, ast.Tuple) else []
        if name is None:
            return
        table = self.tables.setdefault(name, TableSchema(name))
        for arg in args:
            self.constraint(table, arg)
        for statement in node.body:
            if not isinstance(statement, ast.AnnAssign) or not isinstance(
                statement.target, ast.Name
            ):
                continue
            annotation = statement.annotation
            if not (
                isinstance(annotation, ast.Subscript)
                and isinstance(annotation.value, ast.Name)
                and annotation.value.id == "Mapped"
            ):
                continue
            assigned = statement.value
            if assigned is not None and _call_name(assigned) != "mapped_column":
                continue  # a relationship, or another non-column attribute
            self.column(
                table,
                statement.target.id,
                assigned if isinstance(assigned, ast.Call) else None,
                _bare(annotation.slice),
                _optional(annotation.slice),
            )

    def association(self, call: ast.Call) -> None:
        if len(call.args) < 2 or _text(call.args[0]) is None:
            return
        table = self.tables.setdefault(
            _text(call.args[0]) or "", TableSchema(_text(call.args[0]) or "")
        )
        for arg in call.args[2:]:
            if _call_name(arg) == "Column" and isinstance(arg, ast.Call):
                name = _text(arg.args[0]) if arg.args else None
                if name is not None:
                    optional = not _true(_keyword(arg, "primary_key"))
                    self.column(table, name, arg, "", optional)
            else:
                self.constraint(table, arg)


def read_tables(source: str) -> dict[str, TableSchema]:
    """The tables the model module ``source`` declares, by name.

    Raises:
        SyntaxError: The source does not parse.
    """
    tree = ast.parse(source)
    reader = _Reader(tree)
    for node in tree.body:
        if isinstance(node, ast.ClassDef):
            reader.declarative(node)
        elif (
            isinstance(node, ast.Assign)
            and isinstance(node.value, ast.Call)
            and _call_name(node.value) == "Table"
        ):
            reader.association(node.value)
    return reader.tables


_OPERATORS: dict[type[ast.AST], str] = {
    ast.GtE: ">=",
    ast.LtE: "<=",
    ast.Gt: ">",
    ast.Lt: "<",
    ast.Eq: "=",
    ast.NotEq: "<>",
    ast.Add: "+",
    ast.Sub: "-",
    ast.Mult: "*",
    ast.Div: "/",
    ast.BitAnd: "AND",
    ast.BitOr: "OR",
}


def _sql(node: ast.expr) -> str:
    if isinstance(node, ast.Constant) and isinstance(node.value, bool | type(None)):
        return {True: "TRUE", False: "FALSE", None: "NULL"}[node.value]
    if isinstance(node, ast.Constant) and isinstance(node.value, int | float):
        return repr(node.value)
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        return "'" + node.value.replace("'", "''") + "'"
    if (
        isinstance(node, ast.Compare)
        and len(node.ops) == 1
        and type(node.ops[0]) in _OPERATORS
    ):
        operator = _OPERATORS[type(node.ops[0])]
        return f"{_sql(node.left)} {operator} {_sql(node.comparators[0])}"
    if isinstance(node, ast.BinOp) and type(node.op) in _OPERATORS:
        operator = _OPERATORS[type(node.op)]
        return f"({_sql(node.left)} {operator} {_sql(node.right)})"
    if isinstance(node, ast.UnaryOp) and isinstance(node.op, ast.USub):
        return f"-{_sql(node.operand)}"
    if isinstance(node, ast.UnaryOp) and isinstance(node.op, ast.Invert):
        return f"NOT ({_sql(node.operand)})"
    if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute):
        return _call_sql(node, node.func)
    raise ValueError(ast.unparse(node))


def _call_sql(node: ast.Call, func: ast.Attribute) -> str:
    owner, name = func.value, func.attr
    if name in ("in_", "not_in") and len(node.args) == 1:
        values = node.args[0]
        if isinstance(values, ast.List | ast.Tuple):
            listed = ", ".join(_sql(value) for value in values.elts)
            word = "IN" if name == "in_" else "NOT IN"
            return f"{_sql(owner)} {word} ({listed})"
    arguments = [_sql(arg) for arg in node.args]
    if isinstance(owner, ast.Attribute) and owner.attr == "func":
        return f"{name}({', '.join(arguments)})"
    if isinstance(owner, ast.Name) and owner.id == "sa":
        text = _text(node.args[0]) if node.args else None
        if name in ("column", "literal_column") and text is not None:
            return ident(text) if name == "column" else text
        if name == "text" and text is not None:
            return text
        if name in ("and_", "or_") and arguments:
            return "(" + f" {name[:-1].upper()} ".join(arguments) + ")"
        if name == "not_" and len(arguments) == 1:
            return f"NOT ({arguments[0]})"
    if name in ("is_", "is_not", "isnot") and len(node.args) == 1:
        word = "IS" if name == "is_" else "IS NOT"
        return f"{_sql(owner)} {word} {arguments[0]}"
    raise ValueError(ast.unparse(node))


def condition_sql(expression: str) -> str:
    """The SQL text of a CHECK condition written as a migration spells it.

    Raises:
        ValueError: The expression uses a construct this cannot write as SQL.
    """
    return _sql(ast.parse(expression, mode="eval").body)


def expression_columns(expression: str) -> list[str]:
    """The columns ``sa.column("x")`` an expression names, in order."""
    names: list[str] = []
    for node in ast.walk(ast.parse(expression, mode="eval")):
        if _call_name(node) == "column" and isinstance(node, ast.Call) and node.args:
            text = _text(node.args[0])
            if text is not None and text not in names:
                names.append(text)
    return names
