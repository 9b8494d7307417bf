"""``scaffold templates check``: render every override before a command does.

Each override is rendered in the project's environment (strict: an unknown
name is an error) against fixture resources that cover every field type,
``ref`` and ``refs``, integer and UUID keys, with and without auth; a
skeleton override is rendered by Copier with the project's answers. Every
Python file rendered must parse. A failure names the template file and line
(a Jinja error's line; for output that does not parse, the output line and
its text).
"""

from __future__ import annotations

import ast
import dataclasses
import datetime as dt
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from types import TracebackType
from typing import Any

import jinja2

from scaffold.migrations.revision import new_revision, revision_parts
from scaffold.project.access import recorded_rules
from scaffold.project.answers import IdType
from scaffold.project.layout import OVERRIDES_DIR, templates_root
from scaffold.project.overrides import (
    SKELETON,
    bundled_templates,
    project_overrides,
    skeleton_overrides,
)
from scaffold.project.relations import Target
from scaffold.project.skeleton import render_skeleton
from scaffold.render.environment import environment
from scaffold.render.view import build_view
from scaffold.spec import parse_cli_resource
from scaffold.spec.naming import resource_names

__all__ = ["Failure", "check_overrides"]

_WHEN = dt.datetime(2026, 1, 31, 14, 5, tzinfo=dt.UTC)
_EVERY_TYPE = [
    "title:str:unique",
    "code:str(8):index",
    "body:text?",
    "qty:int:min=0:default=1",
    "ratio:float?",
    "price:decimal(10,2)",
    "ok:bool:default=true",
    "day:date?",
    "at:datetime?",
    "token:uuid?",
    "mail:email:unique",
    "site:url?",
    "meta:json?",
    "status:enum(draft,published):default=draft",
]
_REFS = ["title:str", "author:ref", "editor:ref(person)?", "tags:refs"]
_JOB = "nightly_report"


@dataclass(frozen=True)
class Failure:
    """One override that does not render, or renders code that does not parse."""

    template: str
    line: int | None
    message: str
    fixture: str

    def __str__(self) -> str:
        where = f"{OVERRIDES_DIR}/{self.template}"
        line = f", line {self.line}" if self.line else ""
        return f"{where}{line}: {self.message} (fixture: {self.fixture})"


@dataclass(frozen=True)
class _Fixture:
    name: str
    fields: list[str]
    id_type: IdType
    auth: bool
    options: dict[str, Any] = dataclasses.field(default_factory=dict)


_FIXTURES = (
    _Fixture("every field type, uuid keys, auth", _EVERY_TYPE, "uuid", True),
    _Fixture("every field type, integer keys, no auth", _EVERY_TYPE, "int", False),
    _Fixture("ref and refs, owned rows, auth", _REFS, "uuid", True, {"owned": True}),
    _Fixture("ref and refs, integer keys, no auth", _REFS, "int", False),
    _Fixture(
        "every field type, soft delete, auth",
        _EVERY_TYPE,
        "uuid",
        True,
        {"soft_delete": True},
    ),
)


def _contexts(fixture: _Fixture) -> Iterator[tuple[str, dict[str, Any]]]:
    """Each resource template's name and its context for ``fixture``."""
    spec = parse_cli_resource("article", fixture.fields, **fixture.options)
    spec = recorded_rules(spec, project_auth=fixture.auth)
    targets = {
        name: Target.of(resource_names(name)) for name in ("author", "person", "tag")
    }
    view = build_view(
        spec, id_type=fixture.id_type, targets=targets, project_auth=fixture.auth
    )
    revision = new_revision("articles", down_revision="0123456789ab", when=_WHEN)
    for name in sorted(bundled_templates()):
        if not name.startswith("resource/") or name.startswith("resource/_"):
            continue
        context: dict[str, Any] = {"r": view, "m": revision, "utc_now": True}
        if name == "resource/drop_migration.py.jinja":
            created = environment().get_template("resource/migration.py.jinja")
            context.update(
                table="articles",
                resource="article",
                created=revision.revision,
                parts=revision_parts(created.render(**context)),
            )
        yield name, context


def _template_of(
    tb: TracebackType | None, lookup: Callable[[str], str | None]
) -> tuple[str, int] | None:
    """The innermost template frame of a traceback: its name and line."""
    found = None
    while tb is not None:
        name = lookup(tb.tb_frame.f_code.co_filename)
        if name is not None:
            found = (name, tb.tb_lineno)
        tb = tb.tb_next
    return found


def _jinja_failure(
    exc: jinja2.TemplateError, rendered: str, names: dict[str, str], fixture: str
) -> Failure:
    if isinstance(exc, jinja2.TemplateSyntaxError):
        name = names.get(exc.filename or "", exc.name or rendered)
        return Failure(name, exc.lineno, exc.message or str(exc), fixture)
    where = _template_of(exc.__traceback__, names.get)
    name, line = where if where is not None else (rendered, None)
    return Failure(name, line, f"{type(exc).__name__}: {exc}", fixture)


def _parse_failure(
    name: str, text: str, fixture: str, source: str | None = None
) -> Failure | None:
    try:
        ast.parse(text)
    except SyntaxError as exc:
        lines = text.splitlines()
        line = lines[exc.lineno - 1].strip() if exc.lineno and lines else ""
        return Failure(
            name,
            _source_line(source, line),
            f"renders Python that does not parse: {exc.msg} at output line "
            f"{exc.lineno}: {line!r}",
            fixture,
        )
    return None


def _source_line(source: str | None, output: str) -> int | None:
    """The one template line that can print ``output`` (its ``{{ }}``
    expressions matching anything), if exactly one can.
    """
    if source is None or not output:
        return None
    found = []
    for number, line in enumerate(source.splitlines(), start=1):
        parts = re.split(r"\{\{.*?\}\}", line.strip())
        pattern = ".*".join(re.escape(part) for part in parts)
        literal = "".join(parts).strip()
        if literal and "{%" not in line and re.fullmatch(pattern, output):
            found.append(number)
    return found[0] if len(found) == 1 else None


def _source(filename: str | None) -> str | None:
    if filename is None or not Path(filename).is_file():
        return None
    return Path(filename).read_text(encoding="utf-8")


def _names(root: Path) -> dict[str, str]:
    """Template file → template name, for the project's and the bundled files."""
    names = {str(path): name for name, path in bundled_templates().items()}
    names.update({str(path): name for name, path in project_overrides(root).items()})
    return names


def _render_resources(root: Path, names: dict[str, str]) -> Iterator[Failure]:
    for fixture in _FIXTURES:
        for name, context in _contexts(fixture):
            try:
                template = environment(root).get_template(name)
                text = template.render(**context)
            except jinja2.TemplateError as exc:
                yield _jinja_failure(exc, name, names, fixture.name)
                continue
            source = _source(template.filename)
            failure = _parse_failure(name, text, fixture.name, source)
            if failure is not None:
                yield failure


def _render_jobs(root: Path, names: dict[str, str]) -> Iterator[Failure]:
    fixture = f"job {_JOB}"
    for name in ("job/job.py.jinja", "job/test_job.py.jinja"):
        try:
            text = environment(root).get_template(name).render(name=_JOB)
        except jinja2.TemplateError as exc:
            yield _jinja_failure(exc, name, names, fixture)
            continue
        failure = _parse_failure(name, text, fixture)
        if failure is not None:
            yield failure


def _render_skeleton(
    root: Path, overrides: dict[str, str], answers: dict[str, object]
) -> Iterator[Failure]:
    fixture = "the project's answers"
    texts = skeleton_overrides(overrides)
    try:
        files = render_skeleton(templates_root() / "project", answers, overrides=texts)
    except jinja2.TemplateError as exc:
        where = _template_of(exc.__traceback__, _skeleton_name)
        if isinstance(exc, jinja2.TemplateSyntaxError) and exc.filename:
            where = (_skeleton_name(exc.filename) or exc.filename, exc.lineno)
        name, line = where if where is not None else (SKELETON, None)
        yield Failure(name, line, f"{type(exc).__name__}: {exc}", fixture)
        return
    for path, text in files.items():
        for name in overrides:
            if name.startswith(f"{SKELETON}/") and _output_of(name, str(path)):
                failure = (
                    _parse_failure(name, text, fixture, overrides[name])
                    if str(path).endswith(".py")
                    else None
                )
                if failure is not None:
                    yield failure


def _skeleton_name(filename: str) -> str | None:
    """A skeleton template's name from a file of Copier's copy of the template."""
    marker = "/template/"
    if "scaffold-skeleton-" in filename and marker in filename:
        return f"project/{filename.split(marker, 1)[1]}"
    return None


def _output_of(name: str, path: str) -> bool:
    """Whether the skeleton file ``path`` is rendered from template ``name``."""
    relative = name.removeprefix(f"{SKELETON}/").removesuffix(".jinja")
    return "{" not in relative and relative == path


def check_overrides(root: Path, answers: dict[str, object]) -> list[Failure]:
    """Every failure of the project's overrides (orphans are not rendered)."""
    overrides = {
        name: path.read_text(encoding="utf-8")
        for name, path in project_overrides(root).items()
        if name in bundled_templates()
    }
    names = _names(root)
    failures: list[Failure] = []
    if any(name.startswith("resource/") for name in overrides):
        failures += _render_resources(root, names)
    if any(name.startswith("job/") for name in overrides):
        failures += _render_jobs(root, names)
    if any(name.startswith(f"{SKELETON}/") for name in overrides):
        failures += _render_skeleton(root, overrides, answers)
    seen = set()
    unique = []
    for failure in failures:
        key = (failure.template, failure.line, failure.message.split(" at ")[0])
        if key not in seen:
            seen.add(key)
            unique.append(failure)
    return unique
