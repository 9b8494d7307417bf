"""The compact field grammar: ``name:type[(args)][?][:modifier...]``.

Grammar::

    token    := name ":" type ["(" args ")"] ["?"] (":" modifier)*
    type     := "str" | ... | "enum" | "ref" | "refs"  (ref(resource), refs(resource))
    modifier := "unique" | "index" | "default=" VALUE | "min=" N | "max=" N
              | "pattern=" REGEX | "on_delete=" ("cascade" | "set_null" | "restrict")
              | "inverse=" NAME

A ``default=`` or ``pattern=`` value may itself contain ``:`` (times, URLs,
regular expressions): a ``:`` ends such a value only when what follows it starts
another modifier (``unique``, ``index``, ``default=``, ``min=``, ``max=``,
``pattern=``). So ``pattern=^\\d{2}:\\d{2}$`` and
``default=2024-01-01T00:00:00+00:00`` work anywhere in the token. A value that
must contain one of those sequences itself needs a spec file's mapping form.
"""

from __future__ import annotations

import difflib
import re
from dataclasses import dataclass, field

from scaffold.spec._catalog import MODIFIERS, OPTION_HINTS
from scaffold.spec.naming import did_you_mean

__all__ = ["MODIFIER_HELP", "RawField", "Reporter", "parse_compact"]

_FLAGS = ("unique", "index")
_VALUED = ("default", "min", "max", "pattern", "on_delete", "inverse")
_CONTINUED = ("default", "pattern")
MODIFIER_HELP = (
    "modifiers: unique, index, default=VALUE, min=N, max=N, pattern=REGEX, and "
    "on_delete=cascade|set_null|restrict and inverse=NAME for ref fields"
)
_TYPE_RE = re.compile(r"(?P<type>[^:(]*)(?:\((?P<args>[^)]*)\))?(?P<rest>.*)", re.S)
_WORDISH = re.compile(r"[A-Za-z_]+(?:=.*)?", re.S)


@dataclass
class Reporter:
    """Collects problem lines, each prefixed with where it was found.

    Attributes:
        where: The location prefix (``field 'x:int'`` or
            ``books.yaml: resources[0].fields.price``).
        sink: The shared list of problem lines.
        nested: Whether options have their own locations (mapping form), so
            ``at("min")`` appends ``.min`` to the location.
        root: Whether ``where`` is a file name, so ``at`` starts a key path.
    """

    where: str
    sink: list[str] = field(default_factory=list)
    nested: bool = False
    root: bool = False

    def add(self, message: str) -> None:
        """Record one problem at this location, on one line."""
        self.sink.append(" ".join(f"{self.where}: {message}".split()))

    def at(self, part: str) -> Reporter:
        """Return a reporter for one option (its own location in a mapping)."""
        if not self.nested:
            return self
        joiner = ": " if self.root else "."
        return Reporter(f"{self.where}{joiner}{part}", self.sink, nested=True)


@dataclass
class RawField:
    """A field as written, before validation; shared by both spellings.

    Attributes:
        name: The field name as written.
        type_name: The type name as written (``str``, ``decimal``...).
        optional: Whether ``?`` (or ``optional: true``) was given.
        options: Given options by name: compact-form values are strings,
            mapping-form values are whatever the file held.
    """

    name: str
    type_name: str
    optional: bool = False
    options: dict[str, object] = field(default_factory=dict)


def _type_args(type_name: str, args: str, raw: RawField, rep: Reporter) -> None:
    values = [part.strip() for part in args.split(",")]
    if type_name in ("ref", "refs"):
        if len(values) != 1 or not values[0]:
            rep.add(
                f"{type_name} takes the name of the referenced resource, as in "
                f"'{type_name}(person)', not {args!r}"
            )
        else:
            raw.options["to"] = values[0]
    elif type_name == "enum":
        raw.options["choices"] = [] if args.strip() == "" else values
    elif type_name == "str":
        if len(values) != 1:
            rep.add(f"str takes one length, as in 'str(200)', not {args!r}")
        else:
            raw.options["max_length"] = values[0]
    elif type_name == "decimal":
        if len(values) != 2:
            rep.add(
                "decimal takes precision and scale, as in 'decimal(10,2)', "
                f"not {args!r}"
            )
        else:
            raw.options["precision"], raw.options["scale"] = values
    elif type_name in (
        "text",
        "int",
        "float",
        "bool",
        "date",
        "datetime",
        "uuid",
    ) or type_name in ("email", "url", "json"):
        rep.add(f"{type_name} takes no arguments; write {type_name!r}, not ({args})")


def _starts_modifier(piece: str) -> bool:
    key, eq, _ = piece.partition("=")
    return piece in _FLAGS or (bool(eq) and key in _VALUED)


def _group_modifiers(text: str, rep: Reporter) -> list[str]:
    groups: list[str] = []
    for piece in text.split(":"):
        open_value = groups and groups[-1].partition("=")[0] in _CONTINUED
        if open_value and "=" in groups[-1] and not _starts_modifier(piece):
            key = piece.partition("=")[0]
            near = difflib.get_close_matches(key.lower(), MODIFIERS, n=1, cutoff=0.75)
            if _WORDISH.fullmatch(piece) and (near or key in OPTION_HINTS):
                owner = groups[-1].partition("=")[0]
                meant = f"the modifier {near[0]!r}" if near else "a modifier"
                rep.add(
                    f"{':' + piece!r} is read as part of the {owner} value "
                    f"{groups[-1].partition('=')[2] + ':' + piece!r}; if you meant "
                    f"{meant}, write it as one of the {MODIFIER_HELP}; if it belongs "
                    "to the value, use the mapping form in a spec file"
                )
            groups[-1] += ":" + piece
        else:
            groups.append(piece)
    return groups


def _modifier(piece: str, raw: RawField, rep: Reporter) -> None:
    key, eq, value = piece.partition("=")
    if piece == "":
        rep.add(
            "empty modifier (two ':' in a row, or a ':' at the end); " + MODIFIER_HELP
        )
    elif key in raw.options and key in MODIFIERS:
        rep.add(f"modifier {key!r} is given twice; keep one")
    elif key in _FLAGS:
        if eq:
            rep.add(f"{key!r} takes no value; write ':{key}', not {piece!r}")
        else:
            raw.options[key] = True
    elif key in _VALUED:
        if not eq:
            rep.add(f"{piece!r} needs a value: write {key}=VALUE")
        elif value == "" and key != "default":
            rep.add(f"{piece!r} has an empty value; write {key}=VALUE")
        else:
            raw.options[key] = value
    else:
        hint = OPTION_HINTS.get(key.lower())
        tail = f"; {hint}" if hint else did_you_mean(key, MODIFIERS)
        rep.add(f"unknown modifier {piece!r}; {MODIFIER_HELP}{tail}")


def parse_compact(
    text: str, rep: Reporter, *, name: str | None = None
) -> RawField | None:
    """Split a compact field into its parts, reporting syntax problems.

    Args:
        text: ``name:type...`` on the command line, or ``type...`` (the name
            being the mapping key) in a spec file.
        rep: Where problems go.
        name: The field name when ``text`` does not start with one.

    Returns:
        The raw field, or None when the text cannot be split into a name and a
        type. Option values are not validated here.
    """
    if name is None:
        name, colon, text = text.partition(":")
        if not colon:
            if not name.strip():
                rep.add("empty field; write name:type, e.g. 'title:str'")
            else:
                rep.add(f"no type: write the field as name:type, e.g. '{name}:str'")
            return None
        if name.endswith("?"):
            rep.add(f"put '?' after the type, not the name: '{name[:-1]}:TYPE?'")
            name = name[:-1]
    match = _TYPE_RE.fullmatch(text)
    if match is None:  # pragma: no cover - every part may be empty, so never
        raise ValueError(f"unparseable field type {text!r}")
    type_name, args, rest = match["type"], match["args"], match["rest"]
    optional = type_name.endswith("?") and args is None
    if optional:
        type_name = type_name[:-1]
    elif type_name.endswith("?"):
        rep.add(f"put '?' after the arguments: '{type_name[:-1]}({args})?'")
        type_name, optional = type_name[:-1], True
    if rest.startswith("?"):
        rest, optional = rest[1:], True
    raw = RawField(name=name, type_name=type_name, optional=optional)
    extra, colon, modifiers = rest.partition(":")
    if "(" in type_name or extra.startswith("("):
        rep.add(f"unclosed '(' in {text.partition(':')[0]!r}; close it: 'enum(a,b)'")
    elif extra:
        rep.add(
            f"unexpected {extra!r} after type {type_name!r}; only '?' may follow the "
            "type, then ':' and modifiers"
        )
    if args is not None:
        _type_args(type_name, args, raw, rep)
    if colon:
        for piece in _group_modifiers(modifiers, rep):
            _modifier(piece, raw, rep)
    return raw
