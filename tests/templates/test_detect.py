"""What a destination holds: code or not, and the stack its files show, with the answers they
suggest."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from builder.templates.detect import detect, holds_code


def write(root: Path, files: dict[str, str]) -> Path:
    for relative, text in files.items():
        path = root / relative
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text)
    return root


def test_a_new_an_empty_or_a_fresh_repository_s_folder_holds_no_code(tmp_path: Path) -> None:
    assert not holds_code(tmp_path / "new")
    assert not holds_code(tmp_path)
    write(tmp_path, {".git/HEAD": "ref\n", "README.md": "# x\n", "LICENSE": "MIT\n"})
    assert not holds_code(tmp_path)
    write(tmp_path, {"main.go": "package main\n"})
    assert holds_code(tmp_path)


@pytest.mark.parametrize(
    ("lockfile", "manager"),
    [("package-lock.json", "npm"), ("yarn.lock", "yarn"), ("pnpm-lock.yaml", "pnpm")],
)
def test_node_package_manager_comes_from_the_lockfile(
    tmp_path: Path, lockfile: str, manager: str
) -> None:
    write(tmp_path, {"package.json": "{}", lockfile: ""})
    found = detect(tmp_path)
    assert found.template == "node"
    assert found.evidence == ("package.json", lockfile)
    assert found.answers["package_manager"] == manager
    assert found.notes == ()


def test_node_without_a_lockfile_says_what_writes_one(tmp_path: Path) -> None:
    write(tmp_path, {"package.json": json.dumps({"packageManager": "pnpm@9.1.0"})})
    found = detect(tmp_path)
    assert found.answers["package_manager"] == "pnpm"
    assert found.notes == (
        "no lockfile: the Dockerfile installs from one; `pnpm install` writes it",
    )


def test_node_build_start_and_engine_fill_their_answers(tmp_path: Path) -> None:
    package = {
        "scripts": {"build": "tsc", "start": "node build/server.js"},
        "engines": {"node": ">=20.11"},
    }
    write(tmp_path, {"package.json": json.dumps(package), "package-lock.json": "{}"})
    assert dict(detect(tmp_path).answers) == {
        "package_manager": "npm",
        "build": True,
        "build_script": "build",
        "start_command": "node build/server.js",
        "output_dir": "build",
        "base_image": "node:20-bookworm-slim",
    }


def test_node_start_outside_the_build_output_is_a_note(tmp_path: Path) -> None:
    package = {"scripts": {"build": "tsc", "start": "node server.js"}}
    write(tmp_path, {"package.json": json.dumps(package), "yarn.lock": ""})
    found = detect(tmp_path)
    assert "output_dir" not in found.answers
    assert "runs server.js, outside the build's output folder" in found.notes[0]


def test_go_version_and_main_package(tmp_path: Path) -> None:
    write(
        tmp_path,
        {
            "go.mod": "module example.com/edge\n\ngo 1.22.3\n",
            "cmd/edge/main.go": "package main\n\nfunc main() {}\n",
            "internal/x/x.go": "package x\n",
        },
    )
    found = detect(tmp_path)
    assert found.template == "go"
    assert dict(found.answers) == {"go_image": "golang:1.22-bookworm", "package": "./cmd/edge"}


def test_go_main_package_at_the_root_comes_first(tmp_path: Path) -> None:
    write(
        tmp_path,
        {
            "go.mod": "module m\n",
            "main.go": "package main\n",
            "cmd/tool/main.go": "package main\n",
        },
    )
    found = detect(tmp_path)
    assert found.answers["package"] == "."
    assert found.notes == (
        "several main packages (., ./cmd/tool); building . (answer package to choose another)",
    )


def test_java_release_picks_the_images(tmp_path: Path) -> None:
    pom = "<project><properties><maven.compiler.release>21</maven.compiler.release>"
    write(tmp_path, {"pom.xml": pom + "</properties></project>"})
    found = detect(tmp_path)
    assert found.template == "java"
    assert dict(found.answers) == {
        "maven_image": "maven:3.9-eclipse-temurin-21",
        "runtime_image": "eclipse-temurin:21-jre",
    }
    assert found.notes == ()


def test_gradle_is_java_with_a_note_that_the_template_builds_with_maven(tmp_path: Path) -> None:
    write(tmp_path, {"build.gradle.kts": "java { toolchain { JavaLanguageVersion.of(17) } }"})
    found = detect(tmp_path)
    assert found.template == "java"
    assert found.answers["runtime_image"] == "eclipse-temurin:17-jre"
    assert "builds with Maven" in found.notes[0]


@pytest.mark.parametrize(
    ("requirements", "server"),
    [
        ("fastapi==0.115\n", "uvicorn"),
        ("Flask>=3\ngunicorn\n", "gunicorn"),
        ("uvicorn[standard]\n", "uvicorn"),
        ("# nothing\n", "stdlib"),
    ],
)
def test_python_server_comes_from_the_dependencies(
    tmp_path: Path, requirements: str, server: str
) -> None:
    write(tmp_path, {"requirements.txt": requirements, "main.py": ""})
    found = detect(tmp_path)
    assert found.template == "python"
    assert found.answers["server"] == server
    assert found.answers["module"] == "main"


def test_python_from_pyproject_and_uv_lock(tmp_path: Path) -> None:
    write(
        tmp_path,
        {
            "pyproject.toml": '[project]\nname = "x"\ndependencies = ["Django>=5"]\n',
            "uv.lock": "",
        },
    )
    found = detect(tmp_path)
    assert found.evidence == ("pyproject.toml", "uv.lock")
    assert dict(found.answers) == {"server": "gunicorn", "installer": "uv"}
    assert found.notes[0] == "gunicorn is not among the dependencies; add it to requirements.txt"
    assert found.notes[1].startswith("no requirements.txt: the Dockerfile installs from one")


def test_static_site_folder(tmp_path: Path) -> None:
    write(tmp_path, {"public/index.html": "<p>hi</p>"})
    found = detect(tmp_path)
    assert (found.template, found.evidence) == ("static", ("public/index.html",))
    assert dict(found.answers) == {"site_dir": "public"}


def test_a_node_project_with_an_index_html_is_node(tmp_path: Path) -> None:
    write(tmp_path, {"package.json": "{}", "index.html": "", "requirements.txt": ""})
    assert detect(tmp_path).template == "node"


def test_nothing_known_is_no_proposal(tmp_path: Path) -> None:
    write(tmp_path, {"notes.txt": "hello"})
    assert detect(tmp_path).template is None
    assert detect(tmp_path / "missing").template is None
