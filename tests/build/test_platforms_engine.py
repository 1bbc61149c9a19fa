"""Multi-platform builds on the real engine: an amd64 and an arm64 variant of a base and its
dependent (arm64 under qemu), each variant built on its own platform's dependency, skipped when
unchanged, and every missing platform refused before anything is built."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from builder.cli import run
from tests.build.platform_project import BOTH, two_platform_project
from tests.build.test_buildkit_engine import build, buildkit_client

__all__ = ["buildkit_client"]  # the autouse fixture: BuildKit must be there


def _run(docker_client: Any, image: str, *command: str) -> str:
    output: bytes = docker_client.containers.run(
        image, list(command), remove=True, network_mode="none"
    )
    return output.decode().strip()


def test_each_platform_builds_on_its_own_dependency(
    tmp_path: Path,
    docker_client: Any,
    arm64_busybox_image: str,
    unique_name: str,
    capsys: pytest.CaptureFixture[str],
) -> None:
    config = two_platform_project(tmp_path, unique_name)
    code, images, output = build(config, capsys)
    assert code == 0, output
    app = images["app"]
    assert set(app["platforms"]) == {"linux/amd64", "linux/arm64"}
    arm = app["platforms"]["linux/arm64"]
    assert arm["tags"] == [f"{unique_name}/app:latest-linux-arm64"]
    assert arm["image_id"] != app["platforms"]["linux/amd64"]["image_id"]
    # The configured tag is the engine's own platform; the arm64 variant has its own tag.
    assert docker_client.images.get(f"{unique_name}/app:latest").attrs["Architecture"] == "amd64"
    arm_image = docker_client.images.get(f"{unique_name}/app:latest-linux-arm64")
    assert arm_image.attrs["Architecture"] == "arm64"
    assert arm_image.id == arm["image_id"]
    # The arm64 app ran on arm64 and built on the arm64 base, never on the amd64 one.
    ran = _run(docker_client, arm_image.id, "cat", "/seen", "/app-arch")
    assert ran.split() == ["aarch64", "aarch64"]
    ran = _run(docker_client, f"{unique_name}/app:latest", "cat", "/seen", "/app-arch")
    assert ran.split() == ["x86_64", "x86_64"]
    assert "PLATFORM" in output and "linux/arm64" in output
    # Unchanged: every variant is skipped; the platform is an input of its own digest.
    code, again, output = build(config, capsys)
    assert code == 0, output
    for name in ("base", "app"):
        for platform in ("linux/amd64", "linux/arm64"):
            variant = again[name]["platforms"][platform]
            assert variant["status"] == "skipped", output
            assert variant["input_digest"] == images[name]["platforms"][platform]["input_digest"]


def test_a_base_without_the_platform_is_refused_before_any_build(
    tmp_path: Path,
    docker_client: Any,
    busybox_image: str,
    unique_name: str,
    capsys: pytest.CaptureFixture[str],
) -> None:
    only_amd64 = f"{unique_name}/only:1"
    docker_client.images.get(busybox_image).tag(only_amd64)
    config = two_platform_project(tmp_path, unique_name, base_from=only_amd64)
    code, images, output = build(config, capsys)
    assert code == 2, output
    assert (
        f"image base is built for linux/arm64, but its base {only_amd64} (Dockerfile:1) is "
        f"linux/amd64, the engine has no {only_amd64}-linux-arm64"
    ) in output
    assert "Traceback" not in output
    assert images == {}
    tags = {tag for image in docker_client.images.list() for tag in image.tags}
    assert not any(tag.startswith((f"{unique_name}/base", f"{unique_name}/app")) for tag in tags)


def test_the_classic_builder_cannot_cross_build(
    tmp_path: Path, arm64_busybox_image: str, unique_name: str, capsys: pytest.CaptureFixture[str]
) -> None:
    config = two_platform_project(tmp_path, unique_name)
    code, _, output = build(config, capsys, "--builder", "classic")
    assert code == 2, output
    assert "image base: the classic builder cannot build for linux/arm64" in output


def test_platform_on_the_command_line_replaces_the_configs(
    tmp_path: Path,
    docker_client: Any,
    arm64_busybox_image: str,
    unique_name: str,
    capsys: pytest.CaptureFixture[str],
) -> None:
    config = two_platform_project(tmp_path, unique_name)
    config.write_text(config.read_text().replace(f"platforms = {BOTH}", ""))
    code, images, output = build(config, capsys, "--platform", "linux/arm64")
    assert code == 0, output
    # The only platform asked for is the primary variant: it gets the configured tags.
    assert list(images["app"]["platforms"]) == ["linux/arm64"]
    assert _run(docker_client, f"{unique_name}/app:latest", "cat", "/app-arch") == "aarch64"


def test_engines_show_the_emulated_platforms(
    arm64_busybox_image: str, capsys: pytest.CaptureFixture[str]
) -> None:
    capsys.readouterr()
    assert run(["engines", "--format", "json"]) == 0
    (engine,) = json.loads(capsys.readouterr().out)["engines"]
    assert engine["platforms"]["native"] == "linux/amd64"
    assert "linux/arm64" in engine["platforms"]["emulated"]


def test_a_toolchain_built_for_the_machine_builds_for_every_platform(
    tmp_path: Path,
    docker_client: Any,
    arm64_busybox_image: str,
    unique_name: str,
    capsys: pytest.CaptureFixture[str],
) -> None:
    """The cross-compiling pattern: `FROM --platform=$BUILDPLATFORM toolchain AS build` runs
    the toolchain natively (even in the arm64 variant), the final stage is per platform."""
    from tests.build.helpers import write_project

    config = write_project(
        tmp_path,
        f"""\
[images.tool]
context = "tool"
repository = "{unique_name}/tool"
tags = ["dev"]
builder = "buildkit"

[images.app]
context = "app"
repository = "{unique_name}/app"
platforms = {BOTH}
""",
        {
            "tool/Dockerfile": f"FROM local/busybox:1\nRUN echo {unique_name} > /tool\n",
            "app/Dockerfile": (
                f"FROM --platform=$BUILDPLATFORM {unique_name}/tool:dev AS build\n"
                "RUN uname -m > /built-on\n"
                "FROM local/busybox:1\n"
                "COPY --from=build /built-on /tool /\n"
                "RUN uname -m > /runs-on\n"
            ),
        },
    )
    code, images, output = build(config, capsys)
    assert code == 0, output
    assert "platforms" not in images["tool"] or set(images["tool"]["platforms"]) == {"linux/amd64"}
    arm = images["app"]["platforms"]["linux/arm64"]["image_id"]
    assert _run(docker_client, arm, "cat", "/built-on", "/runs-on").split() == [
        "x86_64",  # the toolchain stage ran on the machine's platform, not under qemu
        "aarch64",
    ]
    assert _run(docker_client, arm, "cat", "/tool") == unique_name  # the graph's toolchain
