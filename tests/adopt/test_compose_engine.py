"""`imgbuild init --from compose.yaml`, then `imgbuild build` on the real engine: the images
get the contexts, args (with `.env`), targets, tags and platforms the compose file describes."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from realparts import unavailable

from builder.cli import run
from tests.adopt.helpers import lay_out, written_images

pytestmark = pytest.mark.engine


def compose_project(root: Path, prefix: str, busybox: str) -> Path:
    return lay_out(
        root,
        {
            ".env": "MESSAGE=from-dotenv\n",
            "compose.yaml": f"""\
x-app: &app
  context: ./app
  dockerfile: app.Dockerfile
  target: runtime
  args:
    MESSAGE: ${{MESSAGE:-hello}}
    SUFFIX: ${{SUFFIX:-plain}}
  tags: ["{prefix}/app:extra"]
services:
  base:
    build: ./base
    image: {prefix}/base:1
  web:
    build: *app
    image: {prefix}/app:1
  worker:
    build: *app
    image: {prefix}/app:1
""",
            "base/Dockerfile": f"FROM {busybox}\nRUN echo base > /base\n",
            "app/app.Dockerfile": (
                f"FROM {prefix}/base:1 AS build\nARG MESSAGE\nARG SUFFIX\n"
                "RUN echo $MESSAGE-$SUFFIX > /message\n"
                "FROM build AS runtime\nCOPY hello.txt /hello.txt\n"
                "FROM build AS never\nRUN exit 1\n"
            ),
            "app/hello.txt": "hello\n",
        },
    )


def test_a_converted_compose_project_builds_what_compose_describes(
    tmp_path: Path,
    docker_client: Any,
    busybox_image: str,
    unique_name: str,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    monkeypatch.delenv("MESSAGE", raising=False)
    monkeypatch.delenv("SUFFIX", raising=False)
    root = compose_project(tmp_path / "project", unique_name, busybox_image)
    assert run(["init", str(root), "--from", str(root / "compose.yaml"), "--yes"]) == 0
    assert sorted(written_images(root)) == ["base", "web"]  # web and worker: one image
    config = str(root / "imgbuild.toml")
    assert run(["-f", config, "build", "--print"]) == 0
    assert run(["-f", config, "build", "--progress", "plain"]) == 0, capsys.readouterr().err
    app = docker_client.images.get(f"{unique_name}/app:1")
    assert docker_client.images.get(f"{unique_name}/app:extra").id == app.id
    assert docker_client.images.get(f"{unique_name}/base:1")

    def read(path: str) -> str:
        output: bytes = docker_client.containers.run(
            app.id, ["cat", path], remove=True, network_mode="none"
        )
        return output.decode()

    assert read("/message") == "from-dotenv-plain\n"  # .env over the default, then the default
    assert read("/hello.txt") == "hello\n"  # the runtime target, from the app context
    assert read("/base") == "base\n"  # built on the base image just built


def test_converted_platforms_build_an_image_per_platform(
    tmp_path: Path,
    docker_client: Any,
    busybox_image: str,
    arm64_busybox_image: str,
    unique_name: str,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    from builder.buildkit import find_client

    if find_client() is None:
        unavailable("no docker client that drives BuildKit (Debian's docker.io: /usr/bin/docker)")
    monkeypatch.delenv("IMGBUILD_BUILDER", raising=False)  # auto: BuildKit, which cross-builds
    root = lay_out(
        tmp_path / "project",
        {
            "compose.yaml": (
                "services:\n  tool:\n    build:\n      context: .\n"
                "      platforms: [linux/amd64, linux/aarch64]\n"
                f"    image: {unique_name}/tool:1\n"
            ),
            "Dockerfile": f"FROM {busybox_image}\nRUN uname -m > /arch && echo {unique_name}\n",
        },
    )
    assert run(["init", str(root), "--from", str(root / "compose.yaml"), "--yes"]) == 0
    assert written_images(root)["tool"]["platforms"] == ["linux/amd64", "linux/arm64"]
    capsys.readouterr()
    code = run(["-f", str(root / "imgbuild.toml"), "build", "--progress", "plain"])
    assert code == 0, capsys.readouterr()
    for ref, architecture, machine in (
        (f"{unique_name}/tool:1", "amd64", "x86_64"),
        (f"{unique_name}/tool:1-linux-arm64", "arm64", "aarch64"),
    ):
        image = docker_client.images.get(ref)
        assert image.attrs["Architecture"] == architecture
        output: bytes = docker_client.containers.run(
            image.id, ["cat", "/arch"], remove=True, network_mode="none"
        )
        assert output.decode().strip() == machine  # its RUN ran on that platform
