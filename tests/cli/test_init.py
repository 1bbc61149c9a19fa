"""`imgbuild init` as a user runs it: what it prints, writes, refuses, and that the written
config works at once with `graph` and `build --print`."""

from __future__ import annotations

import io
import json
from pathlib import Path
from typing import Any

import pytest

from builder.cli import run
from tests.adopt.helpers import MONOREPO, lay_out, written_images


def init(root: Path, *args: str) -> int:
    return run(["init", str(root), *args])


def test_init_writes_a_config_that_graph_reads(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    root = lay_out(tmp_path / "shop", MONOREPO)
    assert init(root, "--repository-prefix", "org/", "--yes") == 0
    out, err = capsys.readouterr()
    assert out.startswith("# imgbuild configuration")
    assert "# services/api/Dockerfile\n[images.api]\n" in out
    assert "# The graph imgbuild infers from it:\n# base  (org/base:latest)\n" in out
    assert "  build/Dockerfile: ignored by .gitignore\n" in err
    assert err.endswith(f"wrote {root / 'imgbuild.toml'} (6 images)\n")
    assert (root / "imgbuild.toml").read_text() + "\n" == out.split("# The graph")[0]
    assert written_images(root)["api"] == {
        "context": ".",
        "dockerfile": "services/api/Dockerfile",
        "repository": "org/api",
    }
    assert run(["-f", str(root / "imgbuild.toml"), "graph", "--format", "json"]) == 0
    graph = json.loads(capsys.readouterr().out)
    assert graph["images"]["worker-dev"]["dependencies"] == ["worker"]
    assert graph["images"]["api"]["dependencies"] == ["base"]
    assert graph["images"]["admin"]["dependencies"] == ["base"]


def test_init_never_replaces_a_config_without_force(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    root = lay_out(tmp_path, {"app/Dockerfile": "FROM a:1\n", "imgbuild.toml": "# mine\n"})
    assert init(root, "--yes") == 2
    assert capsys.readouterr().err == (
        f"imgbuild: error: {root / 'imgbuild.toml'}: imgbuild.toml already exists "
        "(pass --force to replace it)\n"
    )
    assert (root / "imgbuild.toml").read_text() == "# mine\n"
    assert init(root, "--yes", "--force") == 0
    assert list(written_images(root)) == ["app"]


def test_without_a_terminal_or_yes_nothing_is_written(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    root = lay_out(tmp_path, {"app/Dockerfile": "FROM a:1\n"})
    assert init(root) == 0
    assert "imgbuild.toml not written (confirm on a terminal, or pass --yes)" in (
        capsys.readouterr().err
    )
    assert not (root / "imgbuild.toml").exists()


def test_a_bad_repository_prefix_is_bad_input(tmp_path: Path) -> None:
    root = lay_out(tmp_path, {"app/Dockerfile": "FROM a:1\n"})
    assert init(root, "--repository-prefix", "Org With Spaces", "--yes") == 2
    assert not (root / "imgbuild.toml").exists()


@pytest.mark.parametrize("command", ["build", "graph", "publish"])
def test_without_a_config_commands_suggest_init_where_dockerfiles_are(
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
    command: str,
) -> None:
    monkeypatch.chdir(lay_out(tmp_path, {"svc/Dockerfile": "FROM a:1\n"}))
    assert run([command]) == 2
    assert "run `imgbuild init` to write one for them" in capsys.readouterr().err
    (tmp_path / "svc" / "Dockerfile").unlink()
    assert run([command]) == 2
    assert "run `imgbuild new`" in capsys.readouterr().err


@pytest.mark.parametrize(
    ("fixture", "source"),
    [("MONOREPO", None), ("COMPOSE", "compose.yaml"), ("BAKE", "docker-bake.hcl")],
)
def test_build_print_works_right_after_init(
    tmp_path: Path,
    docker_client: Any,
    capsys: pytest.CaptureFixture[str],
    fixture: str,
    source: str | None,
) -> None:
    from tests.adopt import helpers

    root = lay_out(tmp_path / "project", getattr(helpers, fixture))
    options = ["--from", str(root / source)] if source else ["--repository-prefix", "org/"]
    assert init(root, *options, "--yes") == 0
    capsys.readouterr()
    assert run(["-f", str(root / "imgbuild.toml"), "build", "--print"]) == 0
    out = capsys.readouterr().out
    for name in written_images(root):
        assert name in out


def test_a_terminal_is_asked_before_anything_is_written(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    root = lay_out(tmp_path, {"app/Dockerfile": "FROM a:1\n"})
    for answer, written in (("n\n", False), ("y\n", True)):
        monkeypatch.setattr("sys.stdin", _Terminal(answer))
        assert init(root) == 0
        assert f"Write {root / 'imgbuild.toml'}? [Y/n]" in capsys.readouterr().err
        assert (root / "imgbuild.toml").exists() is written


class _Terminal(io.StringIO):
    def isatty(self) -> bool:
        return True


def test_init_from_compose_writes_a_config_that_graph_reads(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    from tests.adopt.helpers import COMPOSE

    monkeypatch.delenv("TAG", raising=False)
    root = lay_out(tmp_path / "shop", COMPOSE)
    assert init(root, "--from", str(root / "compose.yaml"), "--yes") == 0
    images = written_images(root)
    assert images["web"] == {
        "context": "app",
        "dockerfile": "docker/app.Dockerfile",
        "repository": "127.0.0.1:5000/shop/app",
        "tags": ["1.4.0"],
        "target": "runtime",
        "args": {"PYTHON_VERSION": "3.11", "RELEASE": "1.4.0"},
    }
    assert images["api"]["secrets"] == {"npm": {"env": "NPM_TOKEN"}}
    assert images["api"]["builder"] == "buildkit"
    assert "# compose service web (compose.yaml:10), worker (compose.yaml:13)\n" in (
        (root / "imgbuild.toml").read_text()
    )
    capsys.readouterr()
    assert run(["-f", str(root / "imgbuild.toml"), "graph", "--format", "json"]) == 0
    graph = json.loads(capsys.readouterr().out)
    assert graph["images"]["api"]["dependencies"] == ["base"]


def test_bad_compose_input_writes_nothing(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    root = lay_out(tmp_path, {"compose.yaml": "services:\n  a:\n    build: ./missing\n"})
    assert init(root, "--from", str(root / "compose.yaml"), "--yes") == 2
    assert capsys.readouterr().err == (
        f"imgbuild: error: {root}/compose.yaml:3: services.a.build.context: no folder "
        f"{root}/missing\n"
    )
    assert not (root / "imgbuild.toml").exists()


def test_init_from_bake_gives_a_graph_without_a_false_cycle(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    from tests.adopt.helpers import BAKE

    for variable in ("REGISTRY", "TAG", "GO_VERSION"):
        monkeypatch.delenv(variable, raising=False)
    root = lay_out(tmp_path / "bake", BAKE)
    assert init(root, "--from", str(root / "docker-bake.hcl"), "--yes") == 0
    images = written_images(root)
    assert images["server-debug"] == {
        "context": ".",
        "dockerfile": "server.Dockerfile",
        "repository": "org/server-debug",
        "tags": ["dev"],
        "target": "debug",
        "args": {"GO_VERSION": "1.22"},
        "labels": {"org.opencontainers.image.vendor": "org"},
        "depends_on": ["admin-tools"],
    }
    assert images["server"]["platforms"] == ["linux/amd64", "linux/arm64"]  # its own only
    capsys.readouterr()
    assert run(["-f", str(root / "imgbuild.toml"), "graph", "--format", "json"]) == 0
    graph = json.loads(capsys.readouterr().out)
    assert graph["order"] == ["server", "admin-tools", "server-debug"]
    assert graph["images"]["server"]["dependencies"] == []


def test_bad_hcl_writes_nothing(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    root = lay_out(tmp_path, {"docker-bake.hcl": 'target "a" {\n  context = \n}\n'})
    assert init(root, "--from", str(root / "docker-bake.hcl"), "--yes") == 2
    assert capsys.readouterr().err == f"imgbuild: error: {root}/docker-bake.hcl:2: not valid HCL\n"
    assert not (root / "imgbuild.toml").exists()


def test_an_inline_dockerfile_is_written_beside_the_config_only_with_it(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    compose = (
        "services:\n  tool:\n    build:\n      context: .\n"
        "      dockerfile_inline: |\n        FROM local/busybox:1\n        RUN echo tool\n"
    )
    root = lay_out(tmp_path, {"compose.yaml": compose})
    assert init(root, "--from", str(root / "compose.yaml")) == 0  # no terminal: not written
    assert not (root / "dockerfiles").exists()
    assert (
        "compose.yaml:5: services.tool.build.dockerfile_inline: written to dockerfiles/tool.Dockerfile"
        in capsys.readouterr().err
    )
    assert init(root, "--from", str(root / "compose.yaml"), "--yes") == 0
    assert (
        root / "dockerfiles/tool.Dockerfile"
    ).read_text() == "FROM local/busybox:1\nRUN echo tool\n"
    assert written_images(root)["tool"]["dockerfile"] == "dockerfiles/tool.Dockerfile"
    assert (
        "# services.tool.build.dockerfile_inline (compose.yaml:5), written out by init\n"
        'dockerfile = "dockerfiles/tool.Dockerfile"\n'
    ) in (root / "imgbuild.toml").read_text()
    assert "dockerfile_inline: not converted" not in capsys.readouterr().err
    assert run(["-f", str(root / "imgbuild.toml"), "graph"]) == 0


def test_a_folder_without_dockerfiles_writes_nothing(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    lay_out(tmp_path, {"vendor/x/Dockerfile": "FROM a\n"})
    assert init(tmp_path, "--yes") == 1
    err = capsys.readouterr().err
    assert "vendor/x/Dockerfile: vendored (under vendor/)" in err
    assert err.endswith("nothing to write: no image found\n")
    assert not (tmp_path / "imgbuild.toml").exists()


BOTH = ["linux/amd64", "linux/arm64"]


@pytest.mark.parametrize(
    ("worker", "build", "worker_written"),
    [
        # Every image names the same (spelled apart): once, for the project.
        ("[linux/x86_64, linux/aarch64]", BOTH, None),
        # Not every image: each says its own ([build] would give the others some).
        (None, None, None),
        # The same platforms in another order: the first is the primary one, so not the same.
        ("[linux/arm64, linux/amd64]", None, ["linux/arm64", "linux/amd64"]),
    ],
)
def test_platforms_are_written_once_when_every_image_names_the_same(
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    worker: str | None,
    build: list[str] | None,
    worker_written: list[str] | None,
) -> None:
    import tomllib

    from builder.config import load_config

    compose = "services:\n"
    for name, platforms in (("web", "[linux/amd64, linux/arm64]"), ("worker", worker)):
        compose += f"  {name}:\n    build:\n      context: {name}\n"
        compose += f"      platforms: {platforms}\n" if platforms else ""
    files = {
        "compose.yaml": compose,
        "web/Dockerfile": "FROM a:1\n",
        "worker/Dockerfile": "FROM b\n",
    }
    root = lay_out(tmp_path, files)
    assert init(root, "--from", str(root / "compose.yaml"), "--yes") == 0
    assert "dockerfile_inline: not converted" not in capsys.readouterr().err
    text = (root / "imgbuild.toml").read_text()
    document = tomllib.loads(text)
    images = document["images"]
    if build:
        assert document["build"] == {"platforms": build}
        assert "# Every image names these platforms in compose.yaml.\n[build]\n" in text
        assert "platforms" not in images["web"] and "platforms" not in images["worker"]
    else:
        assert "build" not in document
        assert images["web"]["platforms"] == BOTH
        assert images["worker"].get("platforms") == worker_written
    config = load_config(root / "imgbuild.toml")
    assert [str(p) for p in config.images["web"].platforms] == BOTH
    assert [str(p) for p in config.images["worker"].platforms] == (build or worker_written or [])


def test_a_bake_inline_dockerfile_is_written_with_a_comment_saying_where_from(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    bake = (
        'target "tool" {\n  tags = ["org/tool:1"]\n'
        "  dockerfile-inline = <<EOT\nFROM local/busybox:1\nRUN echo tool\nEOT\n}\n"
    )
    root = lay_out(tmp_path, {"docker-bake.hcl": bake})
    assert init(root, "--from", str(root / "docker-bake.hcl"), "--yes") == 0
    assert "skipped" not in capsys.readouterr().err
    text = (root / "imgbuild.toml").read_text()
    assert (
        '[images.tool]\ncontext = "."\n'
        "# target tool: dockerfile-inline (docker-bake.hcl:3), written out by init\n"
        'dockerfile = "dockerfiles/tool.Dockerfile"\n'
    ) in text
    written = root / "dockerfiles/tool.Dockerfile"
    assert written.read_text() == "FROM local/busybox:1\nRUN echo tool\n"
    assert run(["-f", str(root / "imgbuild.toml"), "graph"]) == 0
    # Again, over its own config: the file it wrote is the one it needs, and stays.
    assert init(root, "--from", str(root / "docker-bake.hcl"), "--yes", "--force") == 0
    assert "already in dockerfiles/tool.Dockerfile" in capsys.readouterr().err
    assert written.read_text() == "FROM local/busybox:1\nRUN echo tool\n"


def test_a_file_in_the_way_of_an_inline_dockerfile_skips_that_image_only(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    compose = (
        "services:\n  tool:\n    build:\n      context: .\n"
        "      dockerfile_inline: FROM local/busybox:1\n"
        "  app:\n    build:\n      context: .\n      additional_contexts:\n"
        "        tool: service:tool\n"
    )
    files = {"compose.yaml": compose, "Dockerfile": "FROM a:1\n"}
    files["dockerfiles/tool.Dockerfile"] = "FROM mine\n"
    root = lay_out(tmp_path, files)
    assert init(root, "--from", str(root / "compose.yaml"), "--yes") == 0
    err = capsys.readouterr().err
    assert (
        "skipped:\n  compose.yaml:5: services.tool.build.dockerfile_inline: not written: "
        "dockerfiles/tool.Dockerfile exists with other content; move it, then run init again\n"
    ) in err
    assert list(written_images(root)) == ["app"]
    assert (
        "compose.yaml:9: service:tool: no image for that service (no build, or skipped): no edge"
        in err
    )
    assert (root / "dockerfiles/tool.Dockerfile").read_text() == "FROM mine\n"
