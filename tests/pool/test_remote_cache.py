"""The registry as the build cache, on real parts: engine A builds and publishes with the
cache on; engine B (the same local base image, nothing else) publishes the unchanged graph
without a build step or a pull, every release ref the digest A pushed; after a change to the
leaf only the leaf builds on B, on its base pulled from the cache and with the leaf's unchanged
layers from there; with the cache registry down the run passes with a warning."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from realparts import BUSYBOX_IMAGE, Registry, start_registry

from builder.cli import run
from builder.oci.documents import OCI_INDEX
from tests.build.helpers import write_project
from tests.pool.engines import EngineSet

pytestmark = [pytest.mark.engine, pytest.mark.registry]


@pytest.fixture
def cache_registry(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Registry]:
    """A registry of this test's own: it is stopped half-way."""
    registry = start_registry(tmp_path_factory.mktemp("cache-registry"), auth=False)
    yield registry
    registry.stop()


def _project(root: Path, prefix: str, cache: Registry) -> Path:
    config = f"""\
[cache]
registry = "{cache.address}/cache"

[tags]
sha = false
branch = false
version = false
latest = false
raw = ["r1"]

[images.base]
context = "base"
repository = "{prefix}/base"
tags = ["dev"]

[images.leaf]
context = "leaf"
repository = "{prefix}/leaf"
builder = "buildkit"
"""
    files = {
        # Its own inputs: engines live for the whole session, and B must hold none of them.
        "base/Dockerfile": f"FROM {BUSYBOX_IMAGE}\nRUN echo base {prefix} > /base\n",
        # The first RUN is the leaf's unchanged layer; the COPY changes.
        "leaf/Dockerfile": (
            f"FROM {prefix}/base:dev\nRUN echo unchanged > /unchanged\nCOPY page.txt /page.txt\n"
        ),
        "leaf/page.txt": "one\n",
    }
    return write_project(root, config, files)


def _publish(
    config: Path,
    engine: str,
    release: Registry,
    capsys: pytest.CaptureFixture[str],
    path: str = "rel",
    *extra: str,
) -> tuple[dict[str, Any], str]:
    metadata = config.parent / "published.json"
    metadata.unlink(missing_ok=True)
    capsys.readouterr()
    code = run(
        [
            "-f",
            str(config),
            "publish",
            "--engine",
            engine,
            "--registry",
            f"{release.address}/{path}",
            "--progress",
            "plain",
            "--no-provenance",
            *extra,
            "--metadata-file",
            str(metadata),
        ]
    )
    captured = capsys.readouterr()
    output = captured.out + captured.err
    assert code == 0, output
    images: dict[str, Any] = json.loads(metadata.read_text())["images"]
    return images, output


def _base_on_b(engines: EngineSet) -> None:
    """The same local base on both, as runners made from one machine image have it (the pool's
    engines hold it by ID; a build reads it by its tag)."""
    busybox = engines["e1"].client().images.get(BUSYBOX_IMAGE).id
    engines["e2"].client().images.get(busybox).tag(BUSYBOX_IMAGE)


def _local_tags(engines: EngineSet, name: str, prefix: str) -> list[str]:
    client = engines[name].client()
    return sorted(tag for image in client.images.list() for tag in image.tags if prefix in tag)


def test_an_empty_runner_publishes_from_the_cache(
    tmp_path: Path,
    pool_engines: EngineSet,
    plain_registry: Registry,
    cache_registry: Registry,
    unique_name: str,
    capsys: pytest.CaptureFixture[str],
) -> None:
    config = _project(tmp_path, unique_name, cache_registry)
    a, b = pool_engines["e1"].url, pool_engines["e2"].url
    _base_on_b(pool_engines)

    first, output = _publish(config, a, plain_registry, capsys)
    assert first["base"]["cache"] == first["leaf"]["cache"] == "miss", output
    assert "stored in the cache as" in output

    # B holds nothing of this graph: no build step, no pull, the same digests in the release.
    assert _local_tags(pool_engines, "e2", unique_name) == []
    again, output = _publish(config, b, plain_registry, capsys)
    assert again["base"]["cache"] == again["leaf"]["cache"] == "copied", output
    assert "Step " not in output
    assert _local_tags(pool_engines, "e2", unique_name) == []
    for name in ("base", "leaf"):
        assert again[name]["digest"] == first[name]["digest"]
        assert plain_registry.digest(f"rel/{unique_name}/{name}", "r1") == first[name]["digest"]

    # One leaf change: only the leaf builds, on its base pulled from the cache, and its
    # unchanged RUN comes from the cache's newest leaf (BuildKit's inline cache).
    (config.parent / "leaf" / "page.txt").write_text("two\n")
    changed, output = _publish(config, b, plain_registry, capsys)
    assert changed["base"]["cache"] == "pulled", output
    assert changed["leaf"]["cache"] == "miss", output
    assert f"{unique_name}/base:dev" in _local_tags(pool_engines, "e2", unique_name)
    leaf = [line for line in output.splitlines() if line.startswith("[leaf] ")]
    newest = f"{cache_registry.address}/cache/{unique_name}/leaf:newest"
    assert f"[leaf] importing cache manifest from {newest}" in leaf, output
    unchanged = leaf.index("[leaf] Step 2/3 : RUN echo unchanged > /unchanged")
    changed_step = leaf.index("[leaf] Step 3/3 : COPY page.txt /page.txt")
    assert "[leaf] CACHED" in leaf[unchanged:changed_step], output  # the RUN did not run
    assert changed["leaf"]["digest"] != first["leaf"]["digest"]

    # The cache registry down: a warning, and the run builds as if there were no cache.
    (config.parent / "leaf" / "page.txt").write_text("three\n")
    with cache_registry.stopped():
        down, output = _publish(config, b, plain_registry, capsys)
    assert f"warning: the cache registry {cache_registry.address} is not usable" in output
    assert down["leaf"]["status"] == "pushed"


def test_an_image_of_two_platforms_is_copied_from_the_cache_as_an_index(
    tmp_path: Path,
    pool_engines: EngineSet,
    plain_registry: Registry,
    cache_registry: Registry,
    docker_client: Any,
    arm64_busybox_image: str,
    unique_name: str,
    capsys: pytest.CaptureFixture[str],
) -> None:
    config = write_project(
        tmp_path,
        f"""\
[cache]
registry = "{cache_registry.address}/cache"

[tags]
sha = false
branch = false
version = false
latest = false
raw = ["r1"]

[images.multi]
context = "multi"
repository = "{unique_name}/multi"
platforms = ["linux/amd64", "linux/arm64"]
""",
        {"multi/Dockerfile": f"FROM {BUSYBOX_IMAGE}\nRUN uname -m > /arch && echo {unique_name}\n"},
    )
    saved = b"".join(docker_client.images.get(arm64_busybox_image).save(named=True))
    for name in ("e1", "e2"):  # both architectures of the base, as the runners' image has them
        pool_engines[name].client().images.load(saved)
    _base_on_b(pool_engines)
    a, b = pool_engines["e1"].url, pool_engines["e2"].url
    first, output = _publish(config, a, plain_registry, capsys)
    assert first["multi"]["cache"] == "miss", output
    built = first["multi"]["platforms"]  # platform -> manifest digest, as A pushed them

    # B holds nothing of it: the release tag is found to name these platforms already (their
    # configs are the cache's images): no pull, no build, A's index stays.
    again, output = _publish(config, b, plain_registry, capsys)
    assert again["multi"]["cache"] == "copied", output
    assert "Step " not in output and _local_tags(pool_engines, "e2", unique_name) == []
    assert again["multi"]["digest"] == first["multi"]["digest"]

    # A release repository that has no index yet: made of the cache's platform manifests,
    # their blobs copied registry-side; each platform runs as its architecture.
    copied, output = _publish(config, b, plain_registry, capsys, path="other")
    assert copied["multi"]["cache"] == "copied", output
    assert "index of 2 platforms copied from the cache" in output
    assert _local_tags(pool_engines, "e2", unique_name) == []  # no layer went through B
    ref = f"{plain_registry.address}/other/{unique_name}/multi:r1"
    path = f"/v2/other/{unique_name}/multi/manifests/r1"
    status, headers, _ = plain_registry.request(path, method="HEAD", accept=OCI_INDEX)
    assert status == 200 and headers["Docker-Content-Digest"] == copied["multi"]["digest"]
    assert set(copied["multi"]["platforms"]) == set(built) == {"linux/amd64", "linux/arm64"}
    client = pool_engines["e2"].client()
    for platform, machine in (("linux/arm64", "aarch64"), ("linux/amd64", "x86_64")):
        client.api.pull(ref, platform=platform)
        ran = client.containers.run(ref, ["cat", "/arch"], network_mode="none", remove=True)
        assert ran.decode().strip() == machine, platform


def test_with_an_sbom_to_make_an_empty_runner_pulls_the_hits(
    tmp_path: Path,
    pool_engines: EngineSet,
    plain_registry: Registry,
    cache_registry: Registry,
    unique_name: str,
    capsys: pytest.CaptureFixture[str],
) -> None:
    """Syft scans local images: with --sbom a hit is pulled (no build step still), and each
    release digest gets its SBOM."""
    from builder.errors import UsageError
    from builder.supply.sbom import syft_binary

    try:
        syft_binary()
    except UsageError as missing:
        pytest.skip(f"Syft is not installed: {missing.hint}")
    config = _project(tmp_path, unique_name, cache_registry)
    _base_on_b(pool_engines)
    first, output = _publish(config, pool_engines["e1"].url, plain_registry, capsys)
    again, output = _publish(
        config, pool_engines["e2"].url, plain_registry, capsys, "rel", "--sbom"
    )
    assert again["base"]["cache"] == again["leaf"]["cache"] == "pulled", output
    assert "Step " not in output
    for name in ("base", "leaf"):
        assert again[name]["digest"] == first[name]["digest"]
        digest = first[name]["digest"]
        assert f"sbom       {plain_registry.address}/rel/{unique_name}/{name}@{digest}" in output


def test_a_cache_registry_with_a_password_lends_its_layers_to_buildkit(
    tmp_path: Path,
    pool_engines: EngineSet,
    plain_registry: Registry,
    auth_registry: Registry,
    unique_name: str,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """The credentials come from imgbuild's lookup (here DOCKER_AUTH_CONFIG, which the docker
    client does not read): BuildKit's --cache-from signs in with them all the same."""
    import base64

    token = base64.b64encode(f"{auth_registry.username}:{auth_registry.password}".encode())
    monkeypatch.setenv(
        "DOCKER_AUTH_CONFIG",
        json.dumps({"auths": {auth_registry.address: {"auth": token.decode()}}}),
    )
    config = _project(tmp_path, unique_name, auth_registry)
    _base_on_b(pool_engines)
    first, output = _publish(config, pool_engines["e1"].url, plain_registry, capsys)
    assert first["leaf"]["cache"] == "miss" and "stored in the cache as" in output, output

    (config.parent / "leaf" / "page.txt").write_text("two\n")
    changed, output = _publish(config, pool_engines["e2"].url, plain_registry, capsys)
    assert changed["base"]["cache"] == "pulled", output  # the engine signs in for the pull
    leaf = [line for line in output.splitlines() if line.startswith("[leaf] ")]
    unchanged = leaf.index("[leaf] Step 2/3 : RUN echo unchanged > /unchanged")
    changed_step = leaf.index("[leaf] Step 3/3 : COPY page.txt /page.txt")
    assert "[leaf] CACHED" in leaf[unchanged:changed_step], output  # the layer came from there
    assert auth_registry.password is not None and auth_registry.password not in output
