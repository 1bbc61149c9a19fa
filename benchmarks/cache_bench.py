"""Remote cache benchmark: a release from an empty runner, imgbuild against the docker CLI.

Prints ratios (imgbuild time / reference time; lower is better) for the sample graph
(`sample_projects/shop`, 6 images) published from engines that hold nothing but the local base
images, as fresh CI runners do, after an earlier release put everything in the cache:
1. the unchanged graph: `imgbuild publish` with `[cache]` (hits copied registry-side) against
   the pipeline a team writes by hand today: for each image in dependency order
   `docker build --cache-from CACHE/IMAGE:latest --build-arg BUILDKIT_INLINE_CACHE=1`, then
   `docker push` of the release ref and of the cache ref (target: <= 0.1); medians of three,
   each on an empty engine of its own;
2. after a one-line change to the leaf `web`: the same two, each on an empty engine of its own
   (target: <= 0.5).

Needs root and dockerd (it starts nine engines of its own under /tmp/ibc-*, stopped at the end),
the registry and `local/debian:12` of `make services`, and Debian's /usr/bin/docker.
Run: `.venv/bin/python benchmarks/cache_bench.py`.
"""

from __future__ import annotations

import os
import shutil
import statistics
import sys
import tempfile
import tomllib
import uuid
from collections.abc import Callable
from functools import partial
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path[:0] = [str(REPO), str(REPO / "tests")]

from build_bench import compiled_once, run, timed  # noqa: E402 (this script's folder is on sys.path)
from platforms_bench import print_ratios  # noqa: E402
from realparts import BUSYBOX_IMAGE, busybox_rootfs  # noqa: E402

from tests.pool.engines import EngineSet, start_engines  # noqa: E402

DOCKER = "/usr/bin/docker"
IMGBUILD = [sys.executable, "-m", "builder"]
SAMPLE = REPO / "sample_projects" / "shop"
DEBIAN = "local/debian:12"
TAG = "r1"
RUNS = 3  # unchanged releases timed per side, each on a fresh engine


def sample(root: Path, registry: str, prefix: str) -> Path:
    """The shop with a cache and one release tag; web's platforms dropped (one engine each)."""
    shutil.copytree(SAMPLE, root)
    config = root / "imgbuild.toml"
    text = config.read_text().replace('platforms = ["linux/amd64", "linux/arm64"]', "")
    config.write_text(
        f'[cache]\nregistry = "{registry}/{prefix}-cache"\n\n'
        "[tags]\nsha = false\nbranch = false\nversion = false\nlatest = false\n"
        f'raw = ["{TAG}"]\n\n' + text
    )
    return config


def by_hand(config: Path, engine: str, registry: str, prefix: str) -> None:
    """The hand-written pipeline of a fresh runner: build each image with the registry's
    inline cache, then push its release ref and its cache ref."""
    images = tomllib.loads(config.read_text())["images"]
    env = {**os.environ, "DOCKER_HOST": engine, "DOCKER_BUILDKIT": "1"}
    pushes = []
    for image in images.values():  # the config lists dependencies first
        repository, context = image["repository"], config.parent / image["context"]
        cache = f"{registry}/{prefix}-hand-cache/{repository}:latest"
        release = f"{registry}/{prefix}-hand/{repository}:{TAG}"
        command = [DOCKER, "build", "-q", "--network=none", "--cache-from", cache]
        command += ["--build-arg", "BUILDKIT_INLINE_CACHE=1"]
        for key, value in image.get("args", {}).items():
            command += ["--build-arg", f"{key}={value}"]
        if "target" in image:
            command += ["--target", image["target"]]
        tags = [f"{repository}:{tag}" for tag in image.get("tags", ["latest"])]
        for ref in [*tags, cache, release]:
            command += ["-t", ref]
        run([*command, str(context)], env=env)
        pushes += [release, cache]
    for ref in pushes:
        run([DOCKER, "push", "-q", ref], env=env)


def publish(config: Path, engine: str, registry: str, prefix: str) -> None:
    command = [*IMGBUILD, "-f", str(config), "publish", "--engine", engine]
    run([*command, "--registry", f"{registry}/{prefix}", "--progress", "plain", "--no-provenance"])


def load_bases(engines: EngineSet) -> None:
    """Every engine gets local/debian:12 and the busybox tag, as a runner's machine image has."""
    saved = Path(tempfile.mkstemp(suffix=".tar")[1])
    env = dict(os.environ)
    run([DOCKER, "save", "-o", str(saved), DEBIAN], env=env)
    busybox = engines[next(iter(engines.engines))].client().images.get(BUSYBOX_IMAGE).id
    for engine in engines.engines.values():
        run([DOCKER, "load", "-q", "-i", str(saved)], env={**env, "DOCKER_HOST": engine.url})
        engine.client().images.get(busybox).tag(BUSYBOX_IMAGE)
    saved.unlink()


def main() -> None:
    compiled_once()
    registry = os.environ.get("IMGBUILD_REGISTRY")
    if not registry:
        raise SystemExit("IMGBUILD_REGISTRY is not set: run `make services` and eval its env")
    if os.geteuid() != 0 or shutil.which("dockerd") is None:
        raise SystemExit("needs root and dockerd: it starts engines of its own")
    base = Path(tempfile.mkdtemp(prefix="ibc-", dir="/tmp"))
    # Each timed run on an engine that starts empty: RUNS of the unchanged release per side
    # (medians: the machine is shared), then one of the one-leaf change.
    ours = [f"ours{number}" for number in range(RUNS + 1)]
    hand = [f"hand{number}" for number in range(RUNS + 1)]
    names = ("seed", *ours, *hand)
    engines = start_engines(base, names, busybox_rootfs(Path("/bin/busybox")), BUSYBOX_IMAGE)
    prefix = f"bench{uuid.uuid4().hex[:6]}"
    try:
        load_bases(engines)
        our_config = sample(base / "ours", registry, prefix)
        hand_config = sample(base / "hand", registry, prefix)
        # The earlier release that filled both caches, from a runner of its own.
        publish(our_config, engines["seed"].url, registry, prefix)
        by_hand(hand_config, engines["seed"].url, registry, prefix)

        def median_of(action: Callable[[str], None], runners: list[str]) -> float:
            return statistics.median(
                timed(partial(action, engines[name].url), repeat=1) for name in runners
            )

        def ours_on(engine: str) -> None:
            publish(our_config, engine, registry, prefix)

        def hand_on(engine: str) -> None:
            by_hand(hand_config, engine, registry, prefix)

        unchanged = (median_of(ours_on, ours[:RUNS]), median_of(hand_on, hand[:RUNS]))
        for config in (our_config, hand_config):
            page = config.parent / "services" / "web" / "public" / "index.html"
            page.write_text(page.read_text() + "<!-- a one-line change -->\n")
        one_leaf = (median_of(ours_on, ours[RUNS:]), median_of(hand_on, hand[RUNS:]))
    finally:
        engines.stop()
        shutil.rmtree(base, ignore_errors=True)
    rows = [
        ("unchanged release from an empty engine vs docker CLI", *unchanged, 0.1),
        ("one-leaf change from an empty engine vs docker CLI", *one_leaf, 0.5),
    ]
    print_ratios(rows)


if __name__ == "__main__":
    main()
