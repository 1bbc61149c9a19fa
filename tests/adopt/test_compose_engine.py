"""`imgbuild init --from compose.yaml`, then `imgbuild build` on the real engine: the images
get the contexts, args (with `.env`), targets and tags the compose file describes."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

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
