from __future__ import annotations

import json
from pathlib import Path

import pytest

from builder.cli import run
from tests.build.helpers import write_project

CONFIG = (
    '[images.base]\ncontext = "base"\nrepository = "shop/base"\n\n[images.api]\ncontext = "api"\n'
)
FILES = {"base/Dockerfile": "FROM debian:12\n", "api/Dockerfile": "FROM shop/base:latest\n"}


@pytest.fixture
def config(tmp_path: Path) -> Path:
    return write_project(tmp_path, CONFIG, FILES)


def graph_output(config: Path, capsys: pytest.CaptureFixture[str], *args: str) -> str:
    assert run(["-f", str(config), "graph", *args]) == 0
    return capsys.readouterr().out


def test_graph_text(config: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert graph_output(config, capsys) == (
        "base  (shop/base:latest)\n"
        "  from outside: debian:12\n"
        "api  (api:latest)\n"
        "  needs base: shop/base:latest (Dockerfile:1)\n"
    )


def test_graph_dot_and_mermaid(config: Path, capsys: pytest.CaptureFixture[str]) -> None:
    dot = graph_output(config, capsys, "--format", "dot")
    assert '"base" -> "api" [label="FROM shop/base:latest (Dockerfile:1)"];' in dot
    assert graph_output(config, capsys, "--format", "mermaid") == (
        'graph LR\n  n0["base"]\n  n1["api"]\n  n0 --> n1\n'
    )


def test_graph_json(config: Path, capsys: pytest.CaptureFixture[str]) -> None:
    document = json.loads(graph_output(config, capsys, "--format", "json"))
    assert document["order"] == ["base", "api"]
    assert document["images"]["api"]["dependencies"] == ["base"]
    assert document["edges"] == [
        {"from": "base", "to": "api", "reason": "shop/base:latest (Dockerfile:1)"}
    ]


def test_bad_config_exits_2_with_one_line_per_problem(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    config = write_project(tmp_path, '[images.api]\ncontxt = "api"\n', FILES)
    assert run(["-f", str(config), "graph"]) == 2
    err = capsys.readouterr().err.splitlines()
    assert err == [
        f"imgbuild: error: {config}:2: images.api.contxt: unknown key (did you mean 'context'?)",
        f'imgbuild: error: {config}:1: images.api.context: is required (add context = "path/to/dir")',
    ]


def test_cycle_exits_2(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    files = {"a/Dockerfile": "FROM b\n", "b/Dockerfile": "FROM a\n"}
    config = write_project(
        tmp_path, '[images.a]\ncontext = "a"\n[images.b]\ncontext = "b"\n', files
    )
    assert run(["-f", str(config), "graph"]) == 2
    assert "the images form a cycle: a -> b -> a" in capsys.readouterr().err
