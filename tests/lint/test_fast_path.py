"""`imgbuild lint` without click: the same values as click's, click for everything else.

`builder.cli.lint.fast_values` reads the few options editors and pre-commit pass; what it
makes must be exactly what the click command hands `run_lint`, and anything it does not know
must go to click (which then reports errors and reads environment variables as always).
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import click
import pytest

from builder.cli import cli
from builder.cli import lint as lint_module
from builder.cli.lint import OPTION_VARIABLES, fast_values
from builder.cli.options import OPTIONS

from .test_startup import _loaded, _modules_after

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture(autouse=True)
def _no_option_variables(monkeypatch: pytest.MonkeyPatch) -> None:
    for name in list(os.environ):
        if name.startswith("IMGBUILD_"):
            monkeypatch.delenv(name)


def clicks_values(monkeypatch: pytest.MonkeyPatch, args: list[str]) -> dict[str, Any]:
    """What the click command hands `run_lint` for `imgbuild lint ARGS`."""
    seen: dict[str, Any] = {}

    def record(paths: tuple[Path, ...], fmt: str, config_file: str | None, **values: Any) -> int:
        seen.update(paths=paths, fmt=fmt, config_file=config_file, **values)
        return 0

    monkeypatch.setattr(lint_module, "run_lint", record)
    cli.main(args=["lint", *args], prog_name="imgbuild", standalone_mode=False)
    return seen


@pytest.mark.parametrize(
    "args",
    [
        [],
        ["Dockerfile"],
        ["--no-shellcheck", "a/Dockerfile", "b.Dockerfile"],
        ["Dockerfile", "--format", "json"],
        ["--format=sarif", "--failure-threshold", "warning", "x"],
        ["--failure-threshold=none", "--format", "gitlab_codeclimate"],
        ["--shellcheck", "--no-shellcheck", "--shellcheck"],
        ["--no-fail", "--fail", "--strict-labels", "--no-strict-labels"],
        ["--disable-ignore-pragma", "--enable-ignore-pragma", "--disable-ignore-pragma"],
        ["--fix", "Dockerfile"],
        ["--diff", "Containerfile", "--format", "text"],
    ],
)
def test_fast_values_are_what_click_gives(monkeypatch: pytest.MonkeyPatch, args: list[str]) -> None:
    assert fast_values(args) == clicks_values(monkeypatch, args)


@pytest.mark.parametrize(
    "args",
    [
        ["-h"],
        ["--help"],
        ["--ignore", "DL3008", "Dockerfile"],
        ["--severity=DL3008=error"],
        ["-c", ".hadolint.yaml"],
        ["--format", "nope"],
        ["--format"],
        ["--format", "--no-shellcheck"],
        ["--no-shellcheck=yes"],
        ["--", "Dockerfile"],
        ["-"],
        ["--list-rules"],
        ["--explain", "DL3000"],
    ],
)
def test_anything_else_is_left_to_click(args: list[str]) -> None:
    assert fast_values(args) is None


@pytest.mark.parametrize("name", OPTION_VARIABLES)
def test_an_option_set_in_the_environment_is_left_to_click(
    monkeypatch: pytest.MonkeyPatch, name: str
) -> None:
    monkeypatch.setenv(name, "json")
    assert fast_values(["Dockerfile"]) is None


def test_the_environment_variables_are_those_of_every_lint_option() -> None:
    lint_options = [option for name, option in OPTIONS.items() if name.startswith("lint.")]
    assert set(OPTION_VARIABLES) == {
        OPTIONS["config_file"].envvar,
        *(option.envvar for option in lint_options),
    }


def test_the_choices_are_clicks() -> None:
    command = cli.get_command(click.Context(cli), "lint")
    assert command is not None
    choices = {
        opt: tuple(param.type.choices)
        for param in command.params
        if isinstance(param, click.Option) and isinstance(param.type, click.Choice)
        for opt in param.opts
    }
    assert {name: found for name, (_, found) in lint_module._FAST_CHOICES.items()} == {
        name: choices[name] for name in lint_module._FAST_CHOICES
    }
    flags = {
        opt
        for param in command.params
        if isinstance(param, click.Option) and param.is_flag
        for opt in (*param.opts, *param.secondary_opts)
    }
    assert set(lint_module._FAST_FLAGS) <= flags


# --- writing without click ---------------------------------------------------------------------

_ECHO = (
    "import sys\n"
    "from builder.cli import echo\n"
    "echo(sys.argv[1])\n"
    "echo('no newline', nl=False)\n"
    "echo('to stderr', err=True)\n"
    "print('', 'click' in sys.modules)\n"
)


def _echoed(message: str, **environment: str) -> tuple[str, str]:
    env = {**os.environ, "PYTHONPATH": str(ROOT), **environment}
    done = subprocess.run(
        [sys.executable, "-c", _ECHO, message], env=env, capture_output=True, check=True
    )
    return done.stdout.decode("utf-8"), done.stderr.decode("utf-8")


def test_echo_writes_without_click() -> None:
    assert _echoed("Dockerfile:1:1 ✓") == ("Dockerfile:1:1 ✓\nno newline False\n", "to stderr\n")


def test_echo_leaves_what_click_changes_to_click() -> None:
    # click strips escape sequences off what is not a terminal, and replaces an ASCII stream
    assert _echoed("\x1b[31mred\x1b[0m") == ("red\nno newline True\n", "to stderr\n")
    out, _ = _echoed("caf\u00e9", PYTHONIOENCODING="ascii")
    assert out.endswith("True\n")


# --- what one file's lint imports --------------------------------------------------------------


def test_one_file_is_linted_without_click(tmp_path: Path) -> None:
    (tmp_path / "Dockerfile").write_text('FROM debian:12.5\nRUN echo hello\nCMD ["true"]\n')
    for args in (("Dockerfile",), ("--no-shellcheck", "--format", "json", "Dockerfile")):
        modules = _modules_after(tmp_path, *args)
        assert "builder.lint.session" in modules  # the lint really ran
        assert _loaded(modules, ("click", "builder.cli.options", "builder.cli.values")) == []
    modules = _modules_after(tmp_path, "--ignore", "DL3006", "Dockerfile")  # for click
    assert "builder.lint.session" in modules
    assert "click" in modules
