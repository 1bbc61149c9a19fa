"""`imgbuild publish` of a base and its dependent built for linux/amd64 and linux/arm64: one
index per tag in a real registry, each platform pullable and running as its architecture, the
dependent's arm64 variant on the base's arm64 one, and nothing pushed the second time."""

from __future__ import annotations

import json
import os
import subprocess
from pathlib import Path
from typing import Any

import pytest
from realparts import Registry, executable, unavailable

from builder.cli import run
from builder.oci.documents import OCI_INDEX, OCI_MANIFEST
from tests.build.platform_project import two_platform_project
from tests.oci.test_push_real import DOCKER, docker, served_index

pytestmark = [pytest.mark.engine, pytest.mark.registry]

TAGS = '\n[tags]\nsha = false\nbranch = false\nversion = false\nlatest = false\nraw = ["r1"]\n'


def _publish(
    config: Path, registry: Registry, capsys: pytest.CaptureFixture[str]
) -> dict[str, Any]:
    metadata = config.parent / "published.json"
    capsys.readouterr()
    code = run(
        [
            "-f",
            str(config),
            "publish",
            "--registry",
            registry.address,
            "--progress",
            "plain",
            "--no-provenance",
            "--metadata-file",
            str(metadata),
        ]
    )
    output = capsys.readouterr()
    assert code == 0, output.out + output.err
    images: dict[str, Any] = json.loads(metadata.read_text())["images"]
    return images


def test_publish_pushes_one_index_per_image_and_nothing_the_second_time(
    tmp_path: Path,
    plain_registry: Registry,
    arm64_busybox_image: str,
    unique_name: str,
    capsys: pytest.CaptureFixture[str],
) -> None:
    if not Path(DOCKER).is_file():
        unavailable(f"{DOCKER} is missing (apt docker.io)")
    docker_cli = dict(os.environ)  # DOCKER_CONFIG: the private folder of conftest.py
    config = two_platform_project(tmp_path / "project", unique_name)
    config.write_text(config.read_text() + TAGS)
    first = _publish(config, plain_registry, capsys)
    app = first["app"]
    assert app["status"] == "pushed"
    ref = f"{plain_registry.address}/{unique_name}/app:r1"
    assert app["pushed"] == [ref]

    # The registry serves an index of both platforms, as skopeo (not imgbuild) reads it.
    skopeo = executable("skopeo", "apt skopeo; scripts/install.sh")
    raw = subprocess.run(
        [skopeo, "inspect", "--raw", "--tls-verify=false", f"docker://{ref}"],
        capture_output=True,
        text=True,
        check=True,
        timeout=60,
    ).stdout
    index = json.loads(raw)
    assert index["mediaType"] == OCI_INDEX
    platforms = {
        f"{m['platform']['os']}/{m['platform']['architecture']}": m for m in index["manifests"]
    }
    assert set(platforms) == {"linux/amd64", "linux/arm64"}
    digest, served = served_index(plain_registry, f"{unique_name}/app", "r1")
    assert (digest, served) == (app["digest"], index)
    assert app["platforms"] == {name: entry["digest"] for name, entry in platforms.items()}
    for name, entry in platforms.items():
        status, _, _ = plain_registry.request(
            f"/v2/{unique_name}/app/manifests/{entry['digest']}", accept=OCI_MANIFEST
        )
        assert status == 200, name

    # Each platform pulls and runs as its architecture; arm64's app read arm64's base.
    for platform, machine in (("linux/arm64", "aarch64"), ("linux/amd64", "x86_64")):
        docker(docker_cli, "pull", "-q", "--platform", platform, ref)
        ran = docker(
            docker_cli,
            "run",
            "--rm",
            "--network",
            "none",
            "--platform",
            platform,
            ref,
            "cat",
            "/seen",
            "/app-arch",
        )
        assert ran.split() == [machine, machine], platform

    # Unchanged: every ref is already its index; nothing is pushed, no layer moves.
    second = _publish(config, plain_registry, capsys)
    for name in ("base", "app"):
        assert second[name]["status"] == "unchanged"
        assert second[name]["digest"] == first[name]["digest"]
        assert second[name]["platforms"] == first[name]["platforms"]
