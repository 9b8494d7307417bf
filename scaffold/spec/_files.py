"""Read spec files (YAML, TOML, JSON) into plain data, refusing ambiguity.

Duplicate keys are errors (YAML and JSON parsers would keep the last one
silently), YAML aliases are refused (no exponential expansion), and every
problem names the file and the line or key path it concerns.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

from pydantic import ValidationError
from pydantic_core import ErrorDetails

from scaffold.errors import SpecFileError
from scaffold.spec._schema import (
    MAPPING_TAG,
    STRING_TAG,
    FieldMapping,
    ResourceEntry,
    SpecFile,
)
from scaffold.spec.naming import did_you_mean

__all__ = [
    "MAX_SPEC_BYTES",
    "SUFFIXES",
    "SpecFileError",
    "format_location",
    "pydantic_problems",
    "read_data",
]

SUFFIXES = (".yaml", ".yml", ".toml", ".json")
MAX_SPEC_BYTES = 1_048_576


def _duplicate(key: object, line: int | None) -> str:
    where = f"line {line}: " if line is not None else ""
    return f"{where}duplicate key {key!r}; each key may appear once"


def _load_yaml(text: str, problems: list[str]) -> Any:
    import yaml

    class StrictLoader(yaml.SafeLoader):
        def compose_node(self, parent: Any, index: Any) -> Any:
            if self.check_event(yaml.AliasEvent):
                event = self.peek_event()  # type: ignore[no-untyped-call]
                raise yaml.composer.ComposerError(
                    None,
                    None,
                    "aliases (*name) are not supported in spec files",
                    event.start_mark,
                )
            return super().compose_node(parent, index)

        def construct_mapping(self, node: Any, deep: bool = False) -> Any:
            if isinstance(node, yaml.MappingNode):
                seen: set[Any] = set()
                for key_node, _ in node.value:
                    key = self.construct_object(key_node, deep=True)
                    try:
                        duplicate = key in seen
                    except TypeError:  # unhashable: the base class reports it
                        continue
                    if duplicate:
                        problems.append(_duplicate(key, key_node.start_mark.line + 1))
                    seen.add(key)
            return super().construct_mapping(node, deep=deep)

    loader = None
    try:
        loader = StrictLoader(text)
        return loader.get_single_data()
    except yaml.MarkedYAMLError as error:
        mark = error.problem_mark
        where = f"line {mark.line + 1}, column {mark.column + 1}: " if mark else ""
        raise SpecFileError(f"{where}{error.problem or error}") from error
    except (yaml.YAMLError, RecursionError) as error:
        raise SpecFileError(f"not valid YAML: {error}") from error
    finally:
        if loader is not None:
            loader.dispose()


def _load_toml(text: str, problems: list[str]) -> Any:
    import tomllib

    try:
        return tomllib.loads(text)
    except (tomllib.TOMLDecodeError, RecursionError) as error:
        raise SpecFileError(f"not valid TOML: {error}") from error


def _load_json(text: str, problems: list[str]) -> Any:
    def pairs(items: list[tuple[str, Any]]) -> dict[str, Any]:
        result: dict[str, Any] = {}
        for key, value in items:
            if key in result:
                problems.append(_duplicate(key, None))
            result[key] = value
        return result

    try:
        return json.loads(text, object_pairs_hook=pairs)
    except json.JSONDecodeError as error:
        raise SpecFileError(
            f"line {error.lineno}, column {error.colno}: not valid JSON: {error.msg}"
        ) from error
    except RecursionError as error:
        raise SpecFileError("not valid JSON: nested too deeply") from error


_LOADERS: dict[str, Callable[[str, list[str]], Any]] = {
    ".yaml": _load_yaml,
    ".yml": _load_yaml,
    ".toml": _load_toml,
    ".json": _load_json,
}


def read_data(path: Path) -> tuple[Any, list[str]]:
    """Read and parse a spec file into plain data.

    Returns:
        The data, and the problems that did not stop parsing (duplicate keys,
        of which the last value was kept).

    Raises:
        SpecFileError: The file is missing, too large, not UTF-8, of an unknown
            kind or not parseable.
    """
    load = _LOADERS.get(path.suffix.lower())
    if load is None:
        raise SpecFileError(
            f"unknown spec file type {path.suffix!r}; use {', '.join(SUFFIXES)}"
        )
    try:
        size = path.stat().st_size
        if size > MAX_SPEC_BYTES:
            raise SpecFileError(
                f"the file has {size} bytes; spec files are limited to 1 MiB"
            )
        text = path.read_bytes().decode("utf-8-sig")
    except OSError as error:
        raise SpecFileError(
            f"cannot read the file: {error.strerror or error}"
        ) from error
    except UnicodeDecodeError as error:
        raise SpecFileError(
            f"the file is not UTF-8 (byte {error.start}); save it as UTF-8"
        ) from error
    problems: list[str] = []
    return load(text, problems), problems


def format_location(loc: tuple[int | str, ...]) -> str:
    """Render a key path: ``("resources", 0, "name")`` -> ``resources[0].name``."""
    out = ""
    for part in loc:
        if isinstance(part, int) and not isinstance(part, bool):
            out += f"[{part}]"
        else:
            out += f".{part}" if out else str(part)
    return out


def _allowed_keys(loc: tuple[int | str, ...]) -> list[str]:
    if len(loc) <= 1:
        return [field.alias or name for name, field in SpecFile.model_fields.items()]
    if len(loc) <= 3:
        return list(ResourceEntry.model_fields)
    return list(FieldMapping.model_fields)


def _problem(error: ErrorDetails) -> tuple[tuple[int | str, ...], str]:
    loc = tuple(part for part in error["loc"] if part not in (STRING_TAG, MAPPING_TAG))
    kind, value = error["type"], error.get("input")
    if kind == "extra_forbidden":
        key = str(loc[-1])
        keys = _allowed_keys(loc)
        message = (
            f"unknown key {key!r}; keys: {', '.join(keys)}{did_you_mean(key, keys)}"
        )
        return loc, message
    if kind == "missing":
        return loc[:-1], f"missing required key {loc[-1]!r}"
    if loc and loc[-1] == "[key]":  # loc[-2] is the key itself, maybe bool -> int
        return loc[:-2], (
            f"key {value!r} is not a string; quote it (YAML reads unquoted "
            "yes/no/on/off/true/false as booleans and digits as numbers)"
        )
    if kind == "too_short" and loc == ("resources",):
        return loc, "list at least one resource"
    shown = repr(value)
    shown = shown if len(shown) <= 60 else shown[:57] + "..."
    return loc, f"{error['msg']} (got {shown})"


def pydantic_problems(
    error: ValidationError,
) -> list[tuple[tuple[int | str, ...], str]]:
    """Turn Pydantic's errors into (key path, message) pairs worth reading."""
    return [_problem(detail) for detail in error.errors()]
