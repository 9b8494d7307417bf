"""The command line as a user meets it: help, version, errors and exit codes."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
from pathlib import Path

import pytest
from typer.testing import CliRunner

from scaffold import __version__, cli
from scaffold.errors import ProjectError
from tests.conftest import tree_digest

SNAPSHOTS = Path(__file__).parent / "snapshots"
HELP_PAGES = {
    "help_root.txt": ["--help"],
    "help_new_project.txt": ["new", "project", "--help"],
    "help_add_resource.txt": ["add", "resource", "--help"],
    "help_spec_schema.txt": ["spec", "schema", "--help"],
    "help_check.txt": ["check", "--help"],
    "help_regenerate.txt": ["regenerate", "--help"],
    "help_remove_resource.txt": ["remove", "resource", "--help"],
    "help_status.txt": ["status", "--help"],
    "help_recover.txt": ["recover", "--help"],
    "help_migrations_merge.txt": ["migrations", "merge", "--help"],
    "help_migrations_rebase.txt": ["migrations", "rebase", "--help"],
    "help_upgrade.txt": ["upgrade", "--help"],
    "help_templates.txt": ["templates", "--help"],
    "help_templates_eject.txt": ["templates", "eject", "--help"],
}
runner = CliRunner()


def run_main(
    args: list[str], capsys: pytest.CaptureFixture[str]
) -> tuple[int, str, str]:
    """Run :func:`scaffold.cli.main` as the console script does."""
    argv = sys.argv
    sys.argv = ["scaffold", *args]
    try:
        cli.main()
        code = 0
    except SystemExit as exc:
        code = exc.code if isinstance(exc.code, int) else 1
    finally:
        sys.argv = argv
    captured = capsys.readouterr()
    return code, captured.out, captured.err


@pytest.mark.parametrize("snapshot", sorted(HELP_PAGES))
def test_help_matches_snapshot(snapshot: str) -> None:
    # Given a fixed terminal width / When help is asked for
    result = runner.invoke(
        cli.app, HELP_PAGES[snapshot], env={"COLUMNS": "100", "NO_COLOR": "1"}
    )

    # Then it is exactly the reviewed snapshot
    assert result.exit_code == 0
    text = "\n".join(line.rstrip() for line in result.output.splitlines()) + "\n"
    path = SNAPSHOTS / snapshot
    if os.environ.get("SCAFFOLD_UPDATE_SNAPSHOTS"):
        path.write_text(text)
    assert text == path.read_text(), (
        f"--help changed; review it and regenerate with "
        f"SCAFFOLD_UPDATE_SNAPSHOTS=1 pytest {__file__}"
    )


@pytest.mark.parametrize("snapshot", sorted(HELP_PAGES))
def test_flags_show_no_value_type_in_help(snapshot: str) -> None:
    # Given any command's help / When it is shown
    result = runner.invoke(
        cli.app, HELP_PAGES[snapshot], env={"COLUMNS": "100", "NO_COLOR": "1"}
    )

    # Then a flag, which takes no value, shows no '<bool>'
    assert result.exit_code == 0
    assert "<bool>" not in result.output


def test_every_command_has_help() -> None:
    for args in (["new", "--help"], ["add", "--help"], ["remove", "--help"],
                 ["spec", "--help"]):  # fmt: skip
        result = runner.invoke(cli.app, args)
        assert result.exit_code == 0, args
        assert "Usage:" in result.output


def test_version(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run_main(["--version"], capsys)

    assert code == 0
    assert out.strip() == f"scaffold {__version__}"


def test_bad_project_name_is_one_line_exit_2_and_writes_nothing(
    workdir: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    # Given an empty directory / When a bad name is used
    code, out, err = run_main(["new", "project", "My Shop!"], capsys)

    # Then one clear error line, exit code 2, and no file was written
    assert code == 2
    assert err.count("\n") == 1
    assert err.startswith("error: invalid project name 'My Shop!'")
    assert "did you mean 'my-shop'?" in err
    assert "Traceback" not in err + out
    assert tree_digest(workdir) == {}


def test_non_empty_target_exit_2(
    workdir: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    (workdir / "shop").mkdir()
    (workdir / "shop" / "keep.txt").write_text("user data\n")
    before = tree_digest(workdir)

    code, _, err = run_main(["new", "project", "shop", "--no-check"], capsys)

    assert code == 2
    assert "already exists and is not empty" in err
    assert tree_digest(workdir) == before


def test_unknown_option_value_exit_2(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv("COLUMNS", "200")
    code, _, err = run_main(["new", "project", "shop", "--db", "mysql"], capsys)

    assert code == 2
    assert "'mysql' is not one of 'sqlite', 'postgres'" in err
    assert "Try 'scaffold new project -h' for help" in err


@pytest.mark.parametrize(
    ("spelling", "recorded"),
    [
        (["--db", "postgres"], "database: postgres"),
        (["--database", "postgres"], "database: postgres"),
        (["--id", "int"], "id_type: int"),
        (["--id-type", "int"], "id_type: int"),
    ],
)
def test_new_project_takes_the_long_spellings_of_its_options(
    workdir: Path,
    capsys: pytest.CaptureFixture[str],
    spelling: list[str],
    recorded: str,
) -> None:
    args = ["new", "project", "shop", *spelling, "--dry-run", "--json"]
    code, out, err = run_main(args, capsys)

    assert code == 0, err
    files = {entry["path"]: entry["diff"] for entry in json.loads(out)["files"]}
    assert f"+{recorded}" in files["shop/.copier-answers.yml"].splitlines()
    assert list(workdir.iterdir()) == []


def test_an_error_quotes_the_field_as_typed_not_as_an_emoji(
    project: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    # Given a field whose text holds ":email:", which Rich spells as an emoji
    before = tree_digest(project)
    args = ["add", "resource", "book", "e:email:default=foo", "--project"]

    # When it is refused
    code, _, err = run_main([*args, str(project), "--no-check"], capsys)

    # Then the error quotes it exactly, and nothing was written
    assert code == 2
    assert "error: field 'e:email:default=foo': default 'foo'" in err
    assert "\u2709" not in err
    assert tree_digest(project) == before


def test_internal_errors_hide_the_traceback(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    def broken(*args: object, **kwargs: object) -> None:
        raise RuntimeError("boom")

    monkeypatch.setattr("scaffold.changes.new_project.create_project", broken)
    monkeypatch.delenv("SCAFFOLD_DEBUG", raising=False)

    code, _, err = run_main(["new", "project", "shop"], capsys)

    assert code == cli.EXIT_INTERNAL_ERROR
    assert "internal error: RuntimeError: boom" in err
    assert "SCAFFOLD_DEBUG=1" in err
    assert "Traceback" not in err


def test_scaffold_errors_use_their_exit_code(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    def refuse(*args: object, **kwargs: object) -> None:
        raise ProjectError("first problem", "second problem")

    monkeypatch.setattr("scaffold.changes.new_project.create_project", refuse)

    code, _, err = run_main(["new", "project", "shop"], capsys)

    assert code == 2
    assert err.splitlines() == ["error: first problem", "error: second problem"]


def test_sigterm_exits_143_and_leaves_no_half_written_project(
    tmp_path: Path,
) -> None:
    # Given a render that is slowed down at its first file write
    script = (
        "import time, copier, sys\n"
        "from scaffold import cli\n"
        "real = copier.run_copy\n"
        "def slow(*a, **k):\n"
        "    print('rendering', flush=True)\n"
        "    time.sleep(30)\n"
        "copier.run_copy = slow\n"
        "sys.argv = ['scaffold', 'new', 'project', 'shop', '--no-check']\n"
        "cli.main()\n"
    )
    process = subprocess.Popen(
        [sys.executable, "-c", script],
        cwd=tmp_path,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    assert process.stdout is not None
    assert process.stdout.readline().strip() == "rendering"

    # When it receives SIGTERM mid-run
    process.send_signal(signal.SIGTERM)
    _, err = process.communicate(timeout=30)

    # Then it exits 143 and the parent directory is as it was
    assert process.returncode == 143
    assert "interrupted by SIGTERM; removed shop" in err
    assert tree_digest(tmp_path) == {}
