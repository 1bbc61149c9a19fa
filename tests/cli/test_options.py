"""Every option a pipeline would set has an environment variable, and `--help` names it."""

from __future__ import annotations

import click
import pytest

from builder.cli import COMMANDS, cli
from builder.cli.options import OPTIONS, REPORT_OPTIONS

# Options that print a reference instead of doing the work (see REPORT_OPTIONS), and the
# group's --version.
WITHOUT_ENVVAR = {
    ("lint", "list_rules"),
    ("lint", "explain"),
    ("new", "list_only"),
    ("login", "status"),
    ("imgbuild", "version"),
}


def every_option() -> list[tuple[str, click.Option]]:
    context = click.Context(cli)
    found = [("imgbuild", param) for param in cli.params]
    for name in COMMANDS:
        command = cli.get_command(context, name)
        assert command is not None, name
        found += [(name, param) for param in command.params]
    return [(name, param) for name, param in found if isinstance(param, click.Option)]


@pytest.mark.parametrize(
    ("command", "param"), every_option(), ids=lambda value: getattr(value, "name", value)
)
def test_every_option_has_an_envvar_named_in_its_help(command: str, param: click.Option) -> None:
    if (command, param.name) in WITHOUT_ENVVAR:
        assert not param.envvar
        return
    assert isinstance(param.envvar, str) and param.envvar.startswith("IMGBUILD_"), param.opts
    record = param.get_help_record(click.Context(click.Command(command)))
    assert record is not None and param.envvar in record[1]


def test_the_help_of_a_command_shows_the_envvars() -> None:
    from click.testing import CliRunner

    output = CliRunner().invoke(cli, ["build", "--help"]).output
    for envvar in ("IMGBUILD_NO_CACHE", "IMGBUILD_PRINT", "IMGBUILD_SET", "IMGBUILD_BUILD_ARGS"):
        assert envvar in output


def test_an_option_is_read_from_its_envvar(monkeypatch: pytest.MonkeyPatch) -> None:
    from click.testing import CliRunner

    monkeypatch.setenv("IMGBUILD_JOBS", "0")
    result = CliRunner().invoke(cli, ["build"])
    assert result.exit_code == 2
    assert "IMGBUILD_JOBS" in result.output or "--jobs" in result.output


def test_shared_options_are_declared_once_with_one_envvar() -> None:
    envvars = [spec.envvar for spec in OPTIONS.values()]
    assert len(envvars) == len(set(envvars))
    assert not set(OPTIONS) & set(REPORT_OPTIONS)
    seen = {
        param.envvar: name
        for name, param in every_option()
        if param.name in ("jobs", "engines", "overrides", "progress", "metadata_file")
    }
    assert set(seen) == {
        "IMGBUILD_JOBS",
        "IMGBUILD_ENGINES",
        "IMGBUILD_SET",
        "IMGBUILD_PROGRESS",
        "IMGBUILD_METADATA_FILE",
    }


def test_the_readme_lists_every_environment_variable_of_the_table() -> None:
    from realparts import REPO_ROOT

    readme = (REPO_ROOT / "README.md").read_text()
    rows = {line.split("`")[1] for line in readme.splitlines() if line.startswith("| `IMGBUILD_")}
    assert sorted({spec.envvar for spec in OPTIONS.values()} - rows) == []
