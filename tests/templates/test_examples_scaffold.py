"""`imgbuild new` and the examples: written into a new or empty folder, never over code; the
answers shape them; in a folder with code, the stack found there is proposed with its answers."""

from __future__ import annotations

import json
import tomllib
from pathlib import Path

import pytest

from builder.templates.record import RECORD_NAME
from tests.templates.helpers import imgbuild, tree, write_template


def test_in_a_folder_with_code_new_dest_proposes_the_stack_and_writes_no_example(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    web = tmp_path / "web"
    web.mkdir()
    package = json.dumps({"name": "web", "scripts": {"start": "node server.js"}})
    (web / "package.json").write_text(package)
    (web / "yarn.lock").write_text("# yarn lockfile v1\n")
    (web / "server.js").write_text("// mine\n")
    outcome = imgbuild(capsys, tmp_path, "new", "web", "--no-input")
    assert outcome.code == 0, outcome.err
    assert outcome.out.splitlines() == [
        "detected node in web (package.json, yarn.lock)",
        "from package.json, yarn.lock: package_manager = yarn, start_command = node server.js",
        "created web/.dockerignore",
        "created web/Dockerfile",
        "created web/.imgbuild-answers.toml",
        "created imgbuild.toml",
    ]
    # The code is untouched and nothing of the example was added.
    assert (web / "package.json").read_text() == package
    assert (web / "server.js").read_text() == "// mine\n"
    assert sorted(tree(web, with_record=False)) == [
        ".dockerignore",
        "Dockerfile",
        "package.json",
        "server.js",
        "yarn.lock",
    ]
    dockerfile = (web / "Dockerfile").read_text()
    assert "COPY package.json yarn.lock ./" in dockerfile
    assert 'CMD ["node", "server.js"]' in dockerfile
    record = tomllib.loads((web / RECORD_NAME).read_text())
    assert record["answers"]["example"] is False


def test_dot_is_the_current_folder(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    (tmp_path / "go.mod").write_text("module edge\n\ngo 1.22\n")
    (tmp_path / "main.go").write_text("package main\n\nfunc main() {}\n")
    outcome = imgbuild(capsys, tmp_path, "new", ".", "--no-input", "--set", "name=edge")
    assert outcome.code == 0, outcome.err
    assert outcome.out.startswith("detected go in . (go.mod)\n")
    assert "ARG GO_IMAGE=golang:1.22-bookworm" in (tmp_path / "Dockerfile").read_text()
    assert (tmp_path / "main.go").read_text() == "package main\n\nfunc main() {}\n"


def test_a_named_template_takes_the_answers_found_and_set_still_wins(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    api = tmp_path / "api"
    api.mkdir()
    (api / "requirements.txt").write_text("fastapi\nuvicorn\n")
    (api / "main.py").write_text("app = None\n")
    outcome = imgbuild(capsys, tmp_path, "new", "python", "api", "--no-input", "--set", "port=9000")
    assert outcome.code == 0, outcome.err
    dockerfile = (api / "Dockerfile").read_text()
    assert 'CMD ["uvicorn", "--host", "0.0.0.0", "--port", "9000", "main:app"]' in dockerfile
    assert (api / "requirements.txt").read_text() == "fastapi\nuvicorn\n"


def test_a_named_template_of_another_stack_gets_no_answers_from_the_files(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    (tmp_path / "svc").mkdir()
    (tmp_path / "svc" / "yarn.lock").write_text("")
    (tmp_path / "svc" / "package.json").write_text("{}")
    outcome = imgbuild(capsys, tmp_path, "new", "go", "svc", "--no-input")
    assert outcome.code == 0, outcome.err
    assert not outcome.out.startswith("from ")
    assert not (tmp_path / "svc" / "main.go").exists()  # the folder holds code: no example


def test_an_explicit_example_in_a_folder_with_code_never_overwrites_it(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    (tmp_path / "svc").mkdir()
    (tmp_path / "svc" / "index.js").write_text("// mine\n")
    outcome = imgbuild(capsys, tmp_path, "new", "node", "svc", "--no-input", "--set", "example=1")
    assert outcome.code == 2
    assert "refusing to overwrite 1 existing file(s)" in outcome.err and "index.js" in outcome.err
    assert tree(tmp_path) == {"svc/index.js": b"// mine\n"}


def test_node_answers_shape_the_example(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    outcome = imgbuild(
        capsys, tmp_path, "new", "node", "web", "--no-input",
        "--set", "port=4000", "--set", "health_path=/health",
        "--set", "start_command=node --enable-source-maps server.js",
    )  # fmt: skip
    assert outcome.code == 0, outcome.err
    web = tmp_path / "web"
    server = (web / "server.js").read_text()
    assert "process.env.PORT || 4000" in server
    assert 'const healthPath = "/health";' in server
    package = json.loads((web / "package.json").read_text())
    assert package["main"] == "server.js"
    assert package["scripts"] == {"start": "node --enable-source-maps server.js"}
    assert not (web / "index.js").exists()
    assert json.loads((web / "package-lock.json").read_text())["packages"] == {
        "": {"name": "web", "version": "1.0.0"}
    }


def test_node_build_example_builds_into_the_output_dir_the_image_keeps(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    outcome = imgbuild(
        capsys, tmp_path, "new", "node", "web", "--no-input",
        "--set", "build=true", "--set", "output_dir=out", "--set", "build_script=compile",
    )  # fmt: skip
    assert outcome.code == 0, outcome.err
    web = tmp_path / "web"
    assert sorted(tree(web, with_record=False)) == [
        ".dockerignore",
        "Dockerfile",
        "build.js",
        "package-lock.json",
        "package.json",
        "src/index.js",
    ]
    package = json.loads((web / "package.json").read_text())
    assert package["scripts"] == {"compile": "node build.js", "start": "node out/index.js"}
    assert 'fs.cpSync("src", "out", { recursive: true });' in (web / "build.js").read_text()
    assert "COPY --from=build /app/out ./out" in (web / "Dockerfile").read_text()


def test_go_example_goes_in_the_package_that_is_built(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    outcome = imgbuild(
        capsys, tmp_path, "new", "go", "edge", "--no-input",
        "--set", "package=./cmd/edge", "--set", "health_path=/ready",
        "--set", "go_image=golang:1.23.4-bookworm",
    )  # fmt: skip
    assert outcome.code == 0, outcome.err
    edge = tmp_path / "edge"
    assert (edge / "go.mod").read_text() == "module edge\n\ngo 1.23\n"
    assert 'const healthPath = "/ready"' in (edge / "cmd" / "edge" / "main.go").read_text()
    assert 'CMD ["/usr/local/bin/edge", "-healthcheck"]' in (edge / "Dockerfile").read_text()


def test_java_release_follows_the_maven_image(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    outcome = imgbuild(
        capsys, tmp_path, "new", "java", "j", "--no-input",
        "--set", "maven_image=maven:3.9-eclipse-temurin-17",
    )  # fmt: skip
    assert outcome.code == 0, outcome.err
    pom = (tmp_path / "j" / "pom.xml").read_text()
    assert "<maven.compiler.release>17</maven.compiler.release>" in pom
    assert (tmp_path / "j" / "src" / "main" / "java" / "example" / "Main.java").is_file()


def test_generic_example_is_the_script_the_command_runs_and_checks_itself(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert imgbuild(capsys, tmp_path, "new", "generic", "g", "--no-input").code == 0
    start = tmp_path / "g" / "start"
    assert start.stat().st_mode & 0o111
    dockerfile = (tmp_path / "g" / "Dockerfile").read_text()
    assert 'CMD ["/app/start", "check"]' in dockerfile
    other = imgbuild(
        capsys, tmp_path, "new", "generic", "h", "--no-input", "--set", "command=/bin/httpd -f"
    )
    assert other.code == 0
    # A command that runs no script of the workdir gets no example and no healthcheck.
    assert sorted(tree(tmp_path / "h", with_record=False)) == [".dockerignore", "Dockerfile"]
    assert "HEALTHCHECK" not in (tmp_path / "h" / "Dockerfile").read_text()


def test_a_variable_may_not_take_a_question_s_name(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    manifest = '[[questions]]\nname = "port"\ndefault = 1\n\n[variables]\nport = "{{ 2 }}"\n'
    write_template(tmp_path / "team", "t", manifest, {})
    outcome = imgbuild(capsys, tmp_path, "new", "t", "x", "--no-input", "--template-dir", "team")
    assert outcome.code == 2
    assert "template.toml:6: variable 'port' has the name of a question" in outcome.err


def test_variables_of_an_extended_template_reach_its_files(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    write_template(
        tmp_path / "team",
        "node",
        'extends = "builtin:node"\n\n[variables]\nentry = "main.js"\n',
        {},
    )
    outcome = imgbuild(
        capsys, tmp_path, "new", "node", "web", "--no-input", "--template-dir", "team"
    )
    assert outcome.code == 0, outcome.err
    assert (tmp_path / "web" / "main.js").is_file()
    assert json.loads((tmp_path / "web" / "package.json").read_text())["main"] == "main.js"
