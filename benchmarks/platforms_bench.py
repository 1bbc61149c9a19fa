"""Multi-platform benchmark: imgbuild against the docker CLI pipeline a team writes by hand.

Prints ratios (imgbuild time / reference time; lower is better) for a graph of two images (a
base and a dependent built on it) for linux/amd64 and linux/arm64 (arm64 under qemu):
1. a cold build and publish: `imgbuild publish` against, per image in dependency order,
   `docker build --platform P` and `docker push` of a per-platform tag for each platform, then
   `docker manifest create` and `docker manifest push` of the tag (target: <= 0.7);
2. a second publish of the unchanged graph against the same pipeline run again (target: <= 0.2).
Medians of 3 runs, each on a fresh pair of projects.

Both sides build the same Dockerfiles with BuildKit; the reference's dependent reads its base
from the registry (`FROM REGISTRY/base:TAG`, BuildKit pulls the platform it builds for), which
is how such a pipeline chains images. Needs the engine and registry of `make services` (with the
arm64 busybox and qemu's binfmt handlers it sets up) and Debian's /usr/bin/docker.
Run: `.venv/bin/python benchmarks/platforms_bench.py`.
"""

from __future__ import annotations

import os
import statistics
import subprocess
import sys
import tempfile
import uuid
from pathlib import Path

from build_bench import compiled_once, run, timed  # this script's folder is on sys.path

DOCKER = "/usr/bin/docker"
IMGBUILD = [sys.executable, "-m", "builder"]
PLATFORMS = ("linux/amd64", "linux/arm64")
TAG = "bench"
RUNS = 3  # medians of three: the machine is shared


def project(root: Path, prefix: str, base_ref: str) -> Path:
    """A base and a dependent; `base_ref` is how the dependent names the base."""
    nonce = uuid.uuid4().hex  # a cold build: no cache of an earlier run serves it
    (root / "base").mkdir(parents=True)
    # The hand-written pipeline names each platform's local base itself (BASE per platform);
    # imgbuild finds local/busybox:1's arm64 variant under its platform tag.
    (root / "base" / "Dockerfile").write_text(
        f"ARG BASE=local/busybox:1\nFROM $BASE\n"
        f"RUN echo {nonce} > /nonce && uname -m > /base-arch\n"
    )
    (root / "app").mkdir()
    (root / "app" / "Dockerfile").write_text(
        f"FROM {base_ref}\nRUN cat /base-arch > /seen && uname -m > /app-arch\n"
    )
    config = root / "imgbuild.toml"
    config.write_text(
        f"""\
[build]
platforms = {list(PLATFORMS)!r}

[tags]
sha = false
branch = false
version = false
minor = false
major = false
latest = false
raw = ["{TAG}"]

[images.base]
context = "base"
repository = "{prefix}/base"
tags = ["{TAG}"]

[images.app]
context = "app"
repository = "{prefix}/app"
tags = ["{TAG}"]
""".replace("'", '"')
    )
    return config


def imgbuild_publish(config: Path, registry: str) -> None:
    run(
        [
            *IMGBUILD,
            "-f",
            str(config),
            "publish",
            "--progress",
            "plain",
            "--registry",
            registry,
            "--no-provenance",
        ]
    )


def by_hand(root: Path, registry: str, prefix: str) -> None:
    """What a team writes today: per platform build and push, then a manifest list."""
    env = {**os.environ, "DOCKER_BUILDKIT": "1"}
    for name in ("base", "app"):
        ref = f"{registry}/{prefix}/{name}:{TAG}"
        per_platform = []
        for platform in PLATFORMS:
            tagged = f"{ref}-{platform.split('/')[1]}"
            build = [DOCKER, "build", "-q", "--network=none", "--platform", platform]
            if name == "base" and platform != "linux/amd64":
                build += ["--build-arg", f"BASE=local/busybox:1-{platform.replace('/', '-')}"]
            run([*build, "-t", tagged, str(root / name)], env=env)
            run([DOCKER, "push", "-q", tagged], env=env)
            per_platform.append(tagged)
        # A list made by the previous run stays in the client's store; create refuses to
        # overwrite it (the first run has none to remove).
        subprocess.run([DOCKER, "manifest", "rm", ref], env=env, capture_output=True)
        run([DOCKER, "manifest", "create", "--insecure", ref, *per_platform], env=env)
        run([DOCKER, "manifest", "push", "--insecure", ref], env=env)


def one_run(registry: str) -> dict[str, float]:
    """Cold and second publish, imgbuild and by hand, on projects of their own."""
    prefix = f"bench{uuid.uuid4().hex[:8]}"
    with tempfile.TemporaryDirectory() as ours_root, tempfile.TemporaryDirectory() as by_root:
        ours = project(Path(ours_root), f"{prefix}/ours", f"{prefix}/ours/base:{TAG}")
        theirs = Path(by_root)
        project(theirs, f"{prefix}/hand", f"{registry}/{prefix}/hand/base:{TAG}")
        return {
            "cold": timed(lambda: imgbuild_publish(ours, registry), repeat=1),
            "cold_hand": timed(lambda: by_hand(theirs, registry, f"{prefix}/hand"), repeat=1),
            "again": timed(lambda: imgbuild_publish(ours, registry), repeat=1),
            "again_hand": timed(lambda: by_hand(theirs, registry, f"{prefix}/hand"), repeat=1),
        }


def main() -> None:
    compiled_once()
    registry = os.environ.get("IMGBUILD_REGISTRY")
    if not registry:
        raise SystemExit("IMGBUILD_REGISTRY is not set: run `make services` and eval its env")
    samples: dict[str, list[float]] = {}
    for _ in range(RUNS):  # a fresh pair of projects each time: every cold build is cold
        for name, seconds in one_run(registry).items():
            samples.setdefault(name, []).append(seconds)
    median = {name: statistics.median(values) for name, values in samples.items()}
    rows = [
        (
            "cold two-platform build and publish vs docker CLI",
            median["cold"],
            median["cold_hand"],
            0.7,
        ),
        (
            "second publish, unchanged, vs docker CLI re-run",
            median["again"],
            median["again_hand"],
            0.2,
        ),
    ]
    print_ratios(rows)


def print_ratios(rows: list[tuple[str, float, float, float]]) -> None:
    """(label, imgbuild's seconds, the reference's, the target ratio) as a table."""
    print(f"{'benchmark':55} {'imgbuild':>9} {'reference':>10} {'ratio':>6}  target")
    for label, mine, reference, target in rows:
        ratio = mine / reference
        verdict = "ok" if ratio <= target else "MISSED"
        print(f"{label:55} {mine:8.2f}s {reference:9.2f}s {ratio:6.2f}  {target} {verdict}")


if __name__ == "__main__":
    main()
