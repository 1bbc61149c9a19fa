"""Team templates: searched before the built-ins, extending them, listed with their origin."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest

from tests.templates.helpers import imgbuild, write_template

# A team's python template: the built-in one, with a label block and a fixed base.
EXTENDS = """{% extends "builtin:python/Dockerfile.j2" %}
{% block healthcheck %}
LABEL org.example.team="{{ team }}"
{{ super() }}
{%- endblock %}
"""
TEAM_MANIFEST = """
description = "Our Python service"
version = "7"
extends = "builtin:python"
exclude = ["requirements.txt"]

[[questions]]
name = "base_image"
help = "Our hardened Python image"
default = "registry.example.com/python:3.12"
validate = "image_ref"

[[questions]]
name = "team"
help = "Owning team"
default = "platform"
"""


def _team(tmp_path: Path) -> Path:
    team = tmp_path / "team-templates"
    write_template(team, "python", TEAM_MANIFEST, {"Dockerfile.j2": EXTENDS})
    return team


def test_team_template_extends_builtin_questions_files_and_blocks(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    team = _team(tmp_path)
    outcome = imgbuild(
        capsys, tmp_path, "new", "python", "svc", "--no-input",
        "--template-dir", str(team), "--set", "team=payments", "--set", "server=stdlib",
    )  # fmt: skip
    assert outcome.code == 0, outcome.err
    text = (tmp_path / "svc" / "Dockerfile").read_text()
    # Its own block, then the parent's block through super(), and the parent's other stages.
    assert 'LABEL org.example.team="payments"\nHEALTHCHECK' in text
    assert "ARG BASE_IMAGE=registry.example.com/python:3.12\n" in text
    assert "FROM ${BASE_IMAGE} AS runtime" in text
    assert 'CMD ["python3", "app.py"]' in text
    # The parent's files come along, minus what the team excludes.
    assert sorted(p.name for p in (tmp_path / "svc").iterdir()) == [
        ".dockerignore",
        ".imgbuild-answers.toml",
        "Dockerfile",
        "app.py",
    ]


def test_team_template_extending_itself_is_a_clear_error(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    team = tmp_path / "team"
    write_template(team, "python", 'extends = "python"\n', {})
    outcome = imgbuild(capsys, tmp_path, "new", "python", "svc", "--template-dir", str(team))
    assert outcome.code == 2
    assert "template 'python' extends itself" in outcome.err
    assert 'extends = "builtin:python"' in outcome.err


def test_undefined_variable_in_an_extended_template_names_the_parent_file(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    team = tmp_path / "team"
    child = '{% extends "t/base.j2" %}{% block b %}{{ super() }}{% endblock %}\n'
    write_template(team, "t", 'exclude = ["base.j2"]\n', {
        "Dockerfile.j2": child,
        "base.j2": "FROM scratch\n{% block b %}\nLABEL x={{ nope }}\n{% endblock %}\n",
    })  # fmt: skip
    outcome = imgbuild(capsys, tmp_path, "new", "t", "svc", "--template-dir", str(team))
    assert outcome.code == 2
    base = (team / "t" / "base.j2").resolve()
    assert outcome.err.startswith(f"imgbuild: error: {base}:3: undefined variable: 'nope'")


def test_template_path_env_is_searched_before_builtins(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    first = tmp_path / "first"
    second = tmp_path / "second"
    write_template(first, "svc", "", {"who.j2": "first\n"})
    write_template(second, "svc", "", {"who.j2": "second\n"})
    write_template(second, "generic", "", {"who.j2": "team generic\n"})
    monkeypatch.setenv("IMGBUILD_TEMPLATE_PATH", os.pathsep.join([str(first), str(second)]))
    assert imgbuild(capsys, tmp_path, "new", "svc", "a").code == 0
    assert (tmp_path / "a" / "who").read_text() == "first\n"
    assert imgbuild(capsys, tmp_path, "new", "generic", "b").code == 0
    assert (tmp_path / "b" / "who").read_text() == "team generic\n"


def test_config_template_paths_are_searched(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    write_template(tmp_path / "tpl", "svc", "", {"who.j2": "from config\n"})
    (tmp_path / "imgbuild.toml").write_text('[templates]\npaths = ["tpl"]\n')
    assert imgbuild(capsys, tmp_path, "new", "svc", "a").code == 0
    assert (tmp_path / "a" / "who").read_text() == "from config\n"


def test_missing_template_dir_is_a_clear_error(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    outcome = imgbuild(capsys, tmp_path, "new", "python", "a", "--template-dir", "nope")
    assert outcome.code == 2
    assert "template folder 'nope' (from --template-dir) does not exist" in outcome.err


def test_list_shows_every_template_origin_and_questions(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    team = _team(tmp_path)
    outcome = imgbuild(capsys, tmp_path, "new", "--list", "--template-dir", str(team))
    assert outcome.code == 0
    lines = outcome.out.splitlines()
    assert lines[0] == "python: Our Python service"
    assert lines[1] == f"  from {team / 'python'} (--template-dir)"
    assert "    team (str): Owning team [default: platform]" in lines
    # Inherited questions are listed with the team template.
    assert lines.index("    port (int): Port the service listens on [default: 8000]") < lines.index(
        "  from builtin  [shadowed by an earlier folder]"
    )
    assert "  from builtin  [shadowed by an earlier folder]" in lines
    for name in ("node", "go", "java", "static", "generic"):
        assert any(line.startswith(f"{name}: ") for line in lines)
    assert "    port (int): Port the service listens on [default: 8000]" in lines


def test_list_as_json(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    team = _team(tmp_path)
    args = ("new", "--list", "--format", "json", "--template-dir", str(team))
    outcome = imgbuild(capsys, tmp_path, *args)
    assert outcome.code == 0
    rows = json.loads(outcome.out)
    first = rows[0]
    assert (first["name"], first["origin"], first["version"], first["shadowed"]) == (
        "python", "--template-dir", "7", False,
    )  # fmt: skip
    builtin_python = next(r for r in rows if r["name"] == "python" and r["source"] == "builtin")
    assert builtin_python["shadowed"] is True
    server = next(q for q in builtin_python["questions"] if q["name"] == "server")
    assert server == {
        "name": "server",
        "type": "choice",
        "help": "gunicorn (WSGI), uvicorn (ASGI), or stdlib (wsgiref, no dependencies)",
        "default": "gunicorn",
        "choices": ["gunicorn", "uvicorn", "stdlib"],
        "validate": None,
        "regex": None,
        "secret": False,
        "when": None,
    }
