"""Through the CLI: every command reports every problem of imgbuild.toml, with file and line,
before any work, and exits 2."""

from __future__ import annotations

from pathlib import Path

import pytest

from builder.cli import run
from tests.build.helpers import write_project

FILES = {"api/Dockerfile": "FROM scratch\n"}
GOOD = '[images.api]\ncontext = "api"\n'

# (a broken section after GOOD, the line of its problem, the start of the message)
BROKEN_SECTIONS = [
    ('[tags]\nsha = "yes"\n', 4, "tags.sha: must be true or false"),
    ("[tags]\nsha_length = 2\n", 4, "tags.sha_length: must be a whole number from 4 to 40"),
    ('[tags]\nraw = ["-x"]\n', 4, "tags.raw: '-x' is not a valid tag"),
    ("[images.api.tag_rules]\nsha = 1\n", 4, "images.api.tag_rules.sha: must be true or false"),
    ('[publish]\nregistries = "127.0.0.1:5000"\n', 4, "publish.registries: must be a list"),
    ('[publish]\nregistry = ["127.0.0.1:5000"]\n', 4, "publish.registry: unknown key"),
    ('[lint]\nno_fail = "yes"\n', 4, "lint.no_fail: must be true or false"),
    ('[lint]\nignored = ["DL3008"]\n', 4, "lint.ignored: unknown setting (did you mean 'ignore'?)"),
    ("[lint.severity]\nDL3008 = 1\n", 4, "lint.severity.DL3008: 1 is not a severity"),
    ("[templates]\npaths = 3\n", 4, "templates.paths: must be a list of folders"),
    ('[templates]\npaths = ["nowhere"]\n', 4, "templates.paths: folder 'nowhere' does not exist"),
    ("[engines.hosts.a]\nurl = 5\n", 4, "engines.hosts.a.url: must be a string, not an integer"),
]


@pytest.mark.parametrize(("section", "line", "message"), BROKEN_SECTIONS)
def test_graph_exits_2_on_a_broken_section_naming_file_and_line(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], section: str, line: int, message: str
) -> None:
    path = write_project(tmp_path, GOOD + section, FILES)
    assert run(["-f", str(path), "graph"]) == 2
    captured = capsys.readouterr()
    assert captured.out == ""
    assert captured.err.startswith(f"imgbuild: error: {path}:{line}: {message}")
    assert len(captured.err.splitlines()) == 1


def test_a_section_that_is_not_a_table_is_reported(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = write_project(tmp_path, "publish = 3\n" + GOOD, FILES)
    assert run(["-f", str(path), "graph"]) == 2
    assert capsys.readouterr().err == (
        f"imgbuild: error: {path}:1: publish: must be a table, not an integer\n"
    )


EVERYTHING_WRONG = """\
[images.api]
context = "api"
tag_rules = { sha_length = 99 }

[tags]
latest = "no"

[publish]
registries = [""]

[lint]
failure_threshold = "high"
strict_labels = 1

[templates]
path = ["tpl"]
"""


def expected_lines(path: Path) -> list[str]:
    return [
        f"imgbuild: error: {path}:6: tags.latest: must be true or false",
        f"imgbuild: error: {path}:3: images.api.tag_rules.sha_length: must be a whole number "
        "from 4 to 40",
        f"imgbuild: error: {path}:12: lint.failure_threshold: 'high' is not a threshold "
        "(use one of error, warning, info, style, ignore, none)",
        f"imgbuild: error: {path}:13: lint.strict_labels: must be true or false",
        f"imgbuild: error: {path}:9: publish.registries: must be a list of registry addresses "
        """(e.g. registries = ["registry.example:5000/team"])""",
        f"imgbuild: error: {path}:16: templates.path: unknown key "
        """(write [templates] paths = ["team-templates"] (relative to the config))""",
    ]


@pytest.mark.parametrize(
    "command",
    [
        ["graph"],
        ["build", "--print"],
        ["tags"],
        ["publish", "--dry-run", "--registry", "127.0.0.1:5000"],
        ["lint"],
        ["render", "api"],
    ],
)
def test_every_command_reports_every_problem_of_every_section_at_once(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], command: list[str]
) -> None:
    path = write_project(tmp_path, EVERYTHING_WRONG, FILES)
    assert run(["-f", str(path), *command]) == 2
    captured = capsys.readouterr()
    assert captured.out == ""
    assert captured.err.splitlines() == expected_lines(path)


@pytest.mark.parametrize(
    "content", [b'[images.api]\ncontext = "\xe9"\n', b"\xff\xfe\x00\x00binary\x00"]
)
def test_a_config_that_is_not_utf8_is_one_line_and_exit_2(
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
    content: bytes,
) -> None:
    path = tmp_path / "imgbuild.toml"
    path.write_bytes(content)
    monkeypatch.chdir(tmp_path)
    byte = content.index(b"\xe9") if b"\xe9" in content else 0
    value = content[byte]
    assert run(["graph"]) == 2
    assert capsys.readouterr().err == (
        f"imgbuild: error: {path}: not UTF-8 text (byte {byte} is {value:#04x}) "
        "(save the config as UTF-8 text)\n"
    )


def test_engines_reports_a_broken_config_instead_of_using_docker_host(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    write_project(tmp_path, GOOD + "[engines.hosts.a]\njobs = 0\n", FILES)
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("DOCKER_HOST", f"unix://{tmp_path}/nothing.sock")
    assert run(["engines"]) == 2
    captured = capsys.readouterr()
    assert captured.out == ""  # no table of DOCKER_HOST's engine
    assert captured.err.splitlines() == [
        f"imgbuild: error: {tmp_path / 'imgbuild.toml'}:3: engines.hosts.a.url: is required "
        """(add url = "unix:///var/run/docker.sock", "tcp://HOST:2376" or "ssh://...")""",
        f"imgbuild: error: {tmp_path / 'imgbuild.toml'}:4: engines.hosts.a.jobs: must be at "
        "least 1",
    ]
