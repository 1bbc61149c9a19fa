"""BuildKit benchmarks: imgbuild with BuildKit against imgbuild with the classic builder, and
a cache mount against none, measured in the same run.

Prints ratios (BuildKit or cache-mount time / reference time; lower is better) for:
1. one image whose Dockerfile has two independent heavy stages and a final stage copying from
   both, built cold by each builder (BuildKit runs the two stages at once; the classic builder
   one after the other): stages that sleep (target: <= 0.6), and stages that keep a core busy
   (target: <= 0.75 on 2 cores);
2. a second build after a dependency change, with BuildKit, when the step after it fills a
   package cache slowly on first use: with the cache in a cache mount against the same step
   filling and cleaning it every time (target: <= 0.5).

Every timed build is cold where it should be: each carries a fresh token in its steps (and the
cache mount a fresh id), so no layer or cache of an earlier run or repetition can serve it.
Needs a Docker Engine at DOCKER_HOST with local/busybox:1 (`make services`) and Debian's docker
client at /usr/bin/docker. Run: `.venv/bin/python benchmarks/buildkit_bench.py [--runs N]`.
Exits 1 when a target is missed.
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
import uuid
from collections.abc import Callable
from functools import partial
from pathlib import Path

from build_bench import compiled_once  # this script's folder is on sys.path

DOCKER = "/usr/bin/docker"
IMGBUILD = [sys.executable, "-m", "builder"]
BUSYBOX = "local/busybox:1"
SLEEP = "sleep 3"
# About 3 s of one core on this machine: hash 1200 MiB of zeros.
BUSY = "dd if=/dev/zero bs=1M count=1200 2>/dev/null | md5sum"
# A package manager's first run: wait for the "downloads", then write them (64 MiB).
FILL = "sleep 2 && dd if=/dev/urandom of=$CACHE/packages bs=1M count=64 2>/dev/null"

Row = tuple[str, float, float, float]  # label, measured, reference, target


def imgbuild(config: Path, *args: str) -> None:
    command = [*IMGBUILD, "-f", str(config), "build", "--progress", "plain", *args]
    result = subprocess.run(command, capture_output=True, text=True, check=False)
    if result.returncode != 0:
        raise SystemExit(f"{' '.join(command)} failed:\n{result.stdout}\n{result.stderr}")


def timed(action: Callable[[], object]) -> float:
    start = time.perf_counter()
    action()
    return time.perf_counter() - start


def write_image(root: Path, repository: str, dockerfile: str, files: dict[str, str]) -> Path:
    context = root / "app"
    context.mkdir(parents=True, exist_ok=True)
    (context / "Dockerfile").write_text(dockerfile)
    for name, text in files.items():
        (context / name).write_text(text)
    config = root / "imgbuild.toml"
    config.write_text(f'[images.app]\ncontext = "app"\nrepository = "{repository}"\n')
    return config


def two_stages(work: str) -> Callable[[Path, str], Path]:
    def project(root: Path, token: str) -> Path:
        dockerfile = (
            f"FROM {BUSYBOX} AS left\nRUN {work} && echo left {token} > /left\n"
            f"FROM {BUSYBOX} AS right\nRUN {work} && echo right {token} > /right\n"
            f"FROM {BUSYBOX}\nCOPY --from=left /left /left\nCOPY --from=right /right /right\n"
        )
        return write_image(root, f"bench/{token}", dockerfile, {})

    return project


def parallel_stages(work: str, runs: int, root: Path, made: list[str]) -> tuple[float, float]:
    """Median cold build times of the two-stage image: (BuildKit, classic)."""
    times: dict[str, list[float]] = {"buildkit": [], "classic": []}
    for _ in range(runs):
        for builder in times:
            token = f"b{uuid.uuid4().hex[:12]}"
            config = two_stages(work)(root / token, token)
            made.append(f"bench/{token}")
            times[builder].append(timed(partial(imgbuild, config, "--builder", builder)))
    return statistics.median(times["buildkit"]), statistics.median(times["classic"])


def cache_project(root: Path, token: str, mounted: bool) -> Path:
    if mounted:
        step = (
            f"RUN --mount=type=cache,id={token},target=/cache CACHE=/cache \\\n"
            f"    sh -c '[ -f /cache/packages ] || {{ {FILL}; }}' \\\n"
            f"    && cat /deps.txt > /installed && echo {token}\n"
        )
    else:
        step = (
            f"RUN mkdir /cache && CACHE=/cache sh -c '{FILL}' \\\n"
            f"    && cat /deps.txt > /installed && rm -rf /cache && echo {token}\n"
        )
    dockerfile = f"FROM {BUSYBOX}\nCOPY deps.txt /deps.txt\n{step}"
    return write_image(root, f"bench/{token}", dockerfile, {"deps.txt": "v1\n"})


def rebuild_after_change(runs: int, root: Path, made: list[str]) -> tuple[float, float]:
    """Median times of the second build (after deps.txt changed): (cache mount, no mount)."""
    times: dict[bool, list[float]] = {True: [], False: []}
    for _ in range(runs):
        for mounted in times:
            token = f"c{uuid.uuid4().hex[:12]}"
            config = cache_project(root / token, token, mounted)
            made.append(f"bench/{token}")
            imgbuild(config, "--builder", "buildkit")
            (config.parent / "app" / "deps.txt").write_text("v2\n")
            times[mounted].append(timed(partial(imgbuild, config, "--builder", "buildkit")))
    return statistics.median(times[True]), statistics.median(times[False])


def remove_images(repositories: list[str]) -> None:
    refs = [f"{repository}:latest" for repository in repositories]
    if refs:
        subprocess.run([DOCKER, "rmi", "-f", *refs], capture_output=True, check=False)


def main() -> int:
    compiled_once()
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=3, help="repetitions; medians are shown")
    runs = parser.parse_args().runs
    if not os.path.exists(DOCKER):
        raise SystemExit(f"{DOCKER} (Debian's docker.io client) is needed to drive BuildKit")
    rows: list[Row] = []
    made: list[str] = []
    try:
        with tempfile.TemporaryDirectory(prefix="imgbuild-bkbench-") as scratch:
            root = Path(scratch)
            # Sleeping stages overlap fully; busy ones share the machine's two cores with
            # everything else running on it.
            for label, work, target in (("sleep 3", SLEEP, 0.6), ("a core busy ~3 s", BUSY, 0.75)):
                ours, theirs = parallel_stages(work, runs, root, made)
                rows.append(
                    (f"two independent stages ({label}): BuildKit / classic", ours, theirs, target)
                )
            ours, theirs = rebuild_after_change(runs, root, made)
            rows.append(
                ("rebuild after a dependency change: cache mount / none", ours, theirs, 0.5)
            )
    finally:
        remove_images(made)
    load = os.getloadavg()[0]
    print(
        f"machine: {os.cpu_count()} cores, {sys.platform}, Python {sys.version.split()[0]}, "
        f"load average {load:.1f}; medians of {runs}"
    )
    print(f"{'benchmark':62} {'measured':>9} {'reference':>9} {'ratio':>6} {'target':>6}")
    missed = False
    for label, ours, theirs, target in rows:
        ratio = ours / theirs
        verdict = "ok" if ratio <= target else "MISSED"
        missed = missed or ratio > target
        print(f"{label:62} {ours:8.2f}s {theirs:8.2f}s {ratio:6.2f} {target:6.2f} {verdict}")
    return 1 if missed else 0


if __name__ == "__main__":
    sys.exit(main())
