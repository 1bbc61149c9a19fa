"""Staging against the real engine and registry: the base's platform manifests go up while its
dependent builds, the publish takes them instead of pushing again (same index), and when the
dependent fails no tag is written: the staged manifests are there by digest only."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from realparts import Registry

from builder.cli import run
from builder.index_staging import IndexStaging
from builder.oci.documents import OCI_MANIFEST
from builder.oci.push import PushedIndex
from tests.build.platform_project import two_platform_project

pytestmark = [pytest.mark.engine, pytest.mark.registry]

TAGS = '\n[tags]\nsha = false\nbranch = false\nversion = false\nlatest = false\nraw = ["r1"]\n'


def project(root: Path, prefix: str) -> Path:
    """The two-platform base and app, the base's inputs its own (built, not found built)."""
    config = two_platform_project(root, prefix)
    config.write_text(config.read_text() + TAGS)
    base = root / "base" / "Dockerfile"
    base.write_text(base.read_text() + f"RUN echo {prefix} > /nonce\n")
    return config


def publish(config: Path, registry: Registry) -> int:
    return run(
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
            str(config.parent / "published.json"),
        ]
    )


@pytest.fixture
def staged(monkeypatch: pytest.MonkeyPatch) -> dict[str, PushedIndex | None]:
    """Repository -> what its staging put in the registry."""
    found: dict[str, PushedIndex | None] = {}
    stage = IndexStaging._stage

    def recorded(self: IndexStaging, key: Any, tag: str) -> PushedIndex | None:
        found[key[1]] = pushed = stage(self, key, tag)
        return pushed

    monkeypatch.setattr(IndexStaging, "_stage", recorded)
    return found


def test_the_publish_takes_what_was_staged_during_the_run(
    tmp_path: Path,
    plain_registry: Registry,
    arm64_busybox_image: str,
    unique_name: str,
    staged: dict[str, PushedIndex | None],
) -> None:
    config = project(tmp_path / "project", unique_name)
    assert publish(config, plain_registry) == 0
    images = json.loads((config.parent / "published.json").read_text())["images"]
    for name in ("base", "app"):
        pushed = staged[f"{unique_name}/{name}"]
        assert pushed is not None, name
        assert images[name]["digest"] == pushed.index.digest  # that index, put under r1
        assert images[name]["platforms"] == pushed.platform_digests()


def test_a_failed_dependent_leaves_no_tag_only_manifests_by_digest(
    tmp_path: Path,
    plain_registry: Registry,
    arm64_busybox_image: str,
    unique_name: str,
    staged: dict[str, PushedIndex | None],
) -> None:
    config = project(tmp_path / "project", unique_name)
    app = config.parent / "app" / "Dockerfile"
    app.write_text(app.read_text() + "RUN false\n")
    assert publish(config, plain_registry) != 0
    base = f"{unique_name}/base"
    pushed = staged[base]
    assert pushed is not None  # the base was staged while the app was (failing to) build
    assert plain_registry.status(f"/v2/{base}/manifests/r1") == 404  # no tag moved
    for entry in pushed.manifests:
        path = f"/v2/{base}/manifests/{entry.digest}"
        assert plain_registry.request(path, accept=OCI_MANIFEST)[0] == 200
    assert f"{unique_name}/app" not in staged
