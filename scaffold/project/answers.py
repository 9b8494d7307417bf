"""A generated project's recorded answers, and finding the project itself."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Literal

from scaffold.errors import ProjectError

__all__ = [
    "ANSWERS_FILE",
    "IdType",
    "ProjectAnswers",
    "find_project",
    "read_answers",
]

#: The primary key type a project was made with (``new project --id-type``).
IdType = Literal["uuid", "int"]

ANSWERS_FILE = ".copier-answers.yml"


@dataclass(frozen=True)
class ProjectAnswers:
    """How a project was made: its database, primary-key type, auth and jobs.

    Projects made before ``auth`` existed recorded no such answer and have no
    users: they read back as ``auth=False``. Likewise projects made before
    ``jobs`` existed have no worker and read back as ``jobs=False``.
    """

    database: Literal["sqlite", "postgres"]
    id_type: IdType
    auth: bool = False
    jobs: bool = False


def find_project(start: Path) -> Path:
    """The root of the scaffold project containing ``start``.

    Raises:
        ProjectError: No directory from ``start`` upwards is a scaffold project.
    """
    start = start.resolve()
    for directory in (start, *start.parents):
        if (directory / ANSWERS_FILE).is_file() and (directory / "app").is_dir():
            return directory
    raise ProjectError(
        f"{start} is not inside a project made by scaffold (no {ANSWERS_FILE} "
        "next to an app/ directory); cd into one or pass --project PATH"
    )


def read_answers(root: Path) -> ProjectAnswers:
    """Read the answers Copier recorded when the project was made.

    Raises:
        ProjectError: The answers file is unreadable or records options this
            version of scaffold does not know.
    """
    import yaml

    try:
        answers = yaml.safe_load((root / ANSWERS_FILE).read_text(encoding="utf-8"))
    except (OSError, yaml.YAMLError) as exc:
        raise ProjectError(
            f"cannot read {root / ANSWERS_FILE} ({exc}); restore it from version "
            "control"
        ) from exc
    answers = answers if isinstance(answers, dict) else {}
    database = answers.get("database", "sqlite")
    id_type = answers.get("id_type", "uuid")
    auth = answers.get("auth", False)
    jobs = answers.get("jobs", False)
    if (
        database not in ("sqlite", "postgres")
        or id_type not in ("uuid", "int")
        or not isinstance(auth, bool)
        or not isinstance(jobs, bool)
    ):
        raise ProjectError(
            f"{ANSWERS_FILE} records database={database!r}, id_type={id_type!r}, "
            f"auth={auth!r}, jobs={jobs!r}, which this scaffold does not know; "
            "upgrade scaffold"
        )
    return ProjectAnswers(database, id_type, auth, jobs)


def raw_answers(root: Path) -> dict[str, object]:
    """Every answer the project recorded (Copier's own ``_`` keys left out), as
    the project template is given them when the skeleton is rendered again.
    """
    import yaml

    data = yaml.safe_load((root / ANSWERS_FILE).read_text(encoding="utf-8"))
    return {
        key: value
        for key, value in (data if isinstance(data, dict) else {}).items()
        if not key.startswith("_")
    }
