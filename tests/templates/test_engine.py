"""Scaffolded services build on the real engine and answer HTTP on loopback.

Nothing can be pulled here, so each template is answered with a local base image (made by
`scripts/services.sh start`): `python` on local/debian:12 (it has python3), `generic` on
local/busybox:1 serving files with busybox httpd. Containers use the host's network and bind
127.0.0.1 only.
"""

from __future__ import annotations

import time
import urllib.error
import urllib.request
from pathlib import Path
from typing import Any

import pytest
from realparts import free_port, unavailable

from tests.templates.helpers import imgbuild

DEBIAN_IMAGE = "local/debian:12"

pytestmark = pytest.mark.engine


@pytest.fixture(scope="module")
def debian_image(docker_client: Any) -> str:
    from docker.errors import ImageNotFound

    try:
        docker_client.images.get(DEBIAN_IMAGE)
    except ImageNotFound:
        unavailable(f"{DEBIAN_IMAGE} is missing; `scripts/services.sh start` makes it")
    return DEBIAN_IMAGE


def _get(url: str, timeout: float = 30.0) -> str:
    """The body of `url`, retried until the server is up or `timeout` has passed."""
    deadline = time.monotonic() + timeout
    while True:
        try:
            with urllib.request.urlopen(url, timeout=2) as response:
                body: bytes = response.read()
                return body.decode()
        except (urllib.error.URLError, ConnectionError):
            if time.monotonic() > deadline:
                raise
            time.sleep(0.2)


def _build(docker_client: Any, context: Path, tag: str) -> Any:
    image, _ = docker_client.images.build(path=str(context), tag=tag, rm=True, forcerm=True)
    return image


def test_python_service_builds_and_answers_http(
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    docker_client: Any,
    debian_image: str,
    unique_name: str,
) -> None:
    outcome = imgbuild(
        capsys, tmp_path, "new", "python", "svc", "--no-input",
        "--set", f"name={unique_name}", "--set", f"base_image={debian_image}",
        "--set", "server=stdlib",
    )  # fmt: skip
    assert outcome.code == 0, outcome.err
    image = _build(docker_client, tmp_path / "svc", f"{unique_name}/python:test")
    assert image.attrs["Config"]["User"] == "10001:10001"
    port = free_port()
    container = docker_client.containers.run(
        image.id,
        detach=True,
        name=f"{unique_name}-python",
        network_mode="host",
        environment={"HOST": "127.0.0.1", "PORT": str(port)},
    )
    try:
        assert _get(f"http://127.0.0.1:{port}/") == f"hello from {unique_name}\n"
        assert _get(f"http://127.0.0.1:{port}/healthz") == "ok\n"
        # The image's own HEALTHCHECK command passes against the running service.
        check = image.attrs["Config"]["Healthcheck"]["Test"]
        assert check[0] == "CMD"
        exit_code, output = container.exec_run(check[1:])
        assert exit_code == 0, output
    finally:
        container.remove(force=True)


def test_generic_service_on_busybox_serves_its_files(
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    docker_client: Any,
    busybox_image: str,
    unique_name: str,
) -> None:
    port = free_port()
    dest = tmp_path / "site"
    dest.mkdir()
    (dest / "index.html").write_text("<p>generic works</p>\n")
    outcome = imgbuild(
        capsys, tmp_path, "new", "generic", "site", "--no-input",
        "--set", f"name={unique_name}", "--set", f"base_image={busybox_image}",
        "--set", f"command=/bin/busybox httpd -f -p 127.0.0.1:{port} -h /app",
    )  # fmt: skip
    assert outcome.code == 0, outcome.err
    image = _build(docker_client, dest, f"{unique_name}/generic:test")
    container = docker_client.containers.run(
        image.id, detach=True, name=f"{unique_name}-generic", network_mode="host"
    )
    try:
        assert _get(f"http://127.0.0.1:{port}/index.html") == "<p>generic works</p>\n"
        # The answers record and the Dockerfile stay out of the image (.dockerignore).
        exit_code, _ = container.exec_run(["/bin/busybox", "ls", "/app/.imgbuild-answers.toml"])
        assert exit_code != 0
    finally:
        container.remove(force=True)


def test_templated_image_of_the_config_builds_from_rendered_text(
    tmp_path: Path, docker_client: Any, busybox_image: str, unique_name: str
) -> None:
    from builder.config import load_config
    from builder.templates import render_image_dockerfile

    (tmp_path / "hello.txt").write_text("hi\n")
    (tmp_path / "imgbuild.toml").write_text(
        f'[images.{unique_name}]\ncontext = "."\ntemplate = "generic"\n'
        f'vars = {{ base_image = "{busybox_image}", command = "/bin/busybox cat /app/hello.txt" }}\n'
    )
    config = load_config(tmp_path / "imgbuild.toml")
    rendered = render_image_dockerfile(config.images[unique_name], config)
    # The lead's build passes the text in the build context; here, a file outside the source
    # tree does the same for the SDK.
    dockerfile = tmp_path.parent / f"{unique_name}.Dockerfile"
    dockerfile.write_text(rendered.text)
    image, _ = docker_client.images.build(
        path=str(tmp_path), dockerfile=str(dockerfile), tag=f"{unique_name}/tpl:test", rm=True
    )
    output = docker_client.containers.run(image.id, remove=True, network_mode="none")
    assert output == b"hi\n"
