"""Build benchmarks: imgbuild against `docker build` and a bare SDK call, in one run.

Prints ratios (imgbuild time / reference time; lower is better) for:
1. a no-op rebuild of the sample graph against `docker build` of the same images, all cached,
   with BuildKit and with the classic builder (targets: <= 0.5 and <= 0.2);
2. a cold build of 4 independent images whose steps sleep, against the same builds one after
   another with `docker build` (target: <= 0.6);
3. imgbuild's own overhead on one image against a bare SDK build call (target: <= 1.1).

Needs a Docker Engine at DOCKER_HOST with the local base images (`make services`), and Debian's
docker client at /usr/bin/docker for BuildKit. Run: `.venv/bin/python benchmarks/build_bench.py`.
"""

from __future__ import annotations

import os
import random
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
import tomllib
import uuid
from collections.abc import Callable
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
SAMPLE = REPO / "sample_projects" / "shop"
DOCKER = "/usr/bin/docker"
IMGBUILD = [sys.executable, "-m", "builder"]
BUSYBOX = "local/busybox:1"


def timed(action: Callable[[], object], repeat: int = 3) -> float:
    """The median wall time of `repeat` runs, in seconds."""
    samples = []
    for _ in range(repeat):
        start = time.perf_counter()
        action()
        samples.append(time.perf_counter() - start)
    return statistics.median(samples)


def compiled_once() -> None:
    """imgbuild processes started from here compile the package once, into a bytecode folder
    of their own: an installed imgbuild runs from compiled bytecode, and this machine sets
    PYTHONDONTWRITEBYTECODE, which would make every timed run recompile it (or time a checkout's
    stale __pycache__)."""
    os.environ.pop("PYTHONDONTWRITEBYTECODE", None)
    os.environ["PYTHONPYCACHEPREFIX"] = tempfile.mkdtemp(prefix="imgbuild-pycache-")


def run(command: list[str], cwd: Path | None = None, env: dict[str, str] | None = None) -> None:
    result = subprocess.run(command, cwd=cwd, env=env, capture_output=True, text=True)
    if result.returncode != 0:
        raise SystemExit(f"{' '.join(command)} failed:\n{result.stdout}\n{result.stderr}")


def docker_build_all(config_path: Path, buildkit: bool) -> None:
    """`docker build` every image of the config, in the config's order (deps come first)."""
    config = tomllib.loads(config_path.read_text())
    env = {**os.environ, "DOCKER_BUILDKIT": "1" if buildkit else "0"}
    for name, image in config["images"].items():
        context = config_path.parent / image["context"]
        command = [DOCKER, "build", "-q", "-t", f"{image.get('repository', name)}:bench"]
        if buildkit:
            command.append("--network=none")
        for key, value in image.get("args", {}).items():
            command += ["--build-arg", f"{key}={value}"]
        if "target" in image:
            command += ["--target", image["target"]]
        command += ["-f", str(context / image.get("dockerfile", "Dockerfile")), str(context)]
        run(command, env=env)


def sample_with_payload(root: Path) -> Path:
    """A copy of the sample whose API context carries a realistic vendored tree.

    The sample's own contexts are a few kilobytes, which no real service has; what decides a
    no-op rebuild's cost is the context (the classic builder uploads it every time, imgbuild
    stats it). 2,000 files, 64 MiB in all, deterministic so every run sees the same bytes.
    """
    shutil.copytree(SAMPLE, root / "shop")
    vendor = root / "shop" / "services" / "api" / "vendor"
    generator = random.Random(1)
    for index in range(2000):
        package = vendor / f"package{index // 50:03d}"
        package.mkdir(parents=True, exist_ok=True)
        (package / f"module{index:04d}.py").write_bytes(generator.randbytes(32 * 1024))
    return root / "shop" / "imgbuild.toml"


def noop_rebuild() -> list[tuple[str, float, float, float]]:
    with tempfile.TemporaryDirectory() as root:
        return _noop_rebuild(sample_with_payload(Path(root)))


def _noop_rebuild(config: Path) -> list[tuple[str, float, float, float]]:
    run([*IMGBUILD, "-f", str(config), "build", "--progress", "plain"])
    docker_build_all(config, buildkit=True)
    docker_build_all(config, buildkit=False)
    ours = timed(lambda: run([*IMGBUILD, "-f", str(config), "build", "--progress", "plain"]))
    buildkit = timed(lambda: docker_build_all(config, buildkit=True))
    classic = timed(lambda: docker_build_all(config, buildkit=False))
    return [
        ("no-op rebuild (64 MiB context) vs docker build, BuildKit", ours, buildkit, 0.5),
        ("no-op rebuild (64 MiB context) vs docker build, classic", ours, classic, 0.2),
    ]


def sleepy_project(root: Path, count: int, seconds: float) -> Path:
    lines = []
    for index in range(count):
        name = f"sleepy{index}"
        context = root / name
        context.mkdir(parents=True)
        (context / "Dockerfile").write_text(
            f"FROM {BUSYBOX}\nCOPY nonce /nonce\nRUN sleep {seconds}\n"
        )
        (context / "nonce").write_text(uuid.uuid4().hex)  # no image may reuse another's cache
        lines.append(f'[images.{name}]\ncontext = "{name}"\nrepository = "bench/{name}"\n')
    config = root / "imgbuild.toml"
    config.write_text("\n".join(lines))
    return config


def cold_parallel() -> list[tuple[str, float, float, float]]:
    with tempfile.TemporaryDirectory() as first, tempfile.TemporaryDirectory() as second:
        ours_config = sleepy_project(Path(first), 4, 2)
        theirs_config = sleepy_project(Path(second), 4, 2)
        # The classic builder on both sides: what is measured is the scheduling.
        ours = timed(
            lambda: run(
                [
                    *IMGBUILD,
                    "-f",
                    str(ours_config),
                    "build",
                    "-j",
                    "4",
                    "--builder",
                    "classic",
                    "--progress",
                    "plain",
                ]
            ),
            repeat=1,
        )
        theirs = timed(lambda: docker_build_all(theirs_config, buildkit=False), repeat=1)
    return [("cold build of 4 sleeping images vs docker build in turn", ours, theirs, 0.6)]


# The reference: the same build as a script of its own that calls the SDK directly, as a team
# without imgbuild would run it, so both sides start a Python process.
BARE_BUILD = """
import sys
import docker
stream = docker.from_env().api.build(path=sys.argv[1], tag="bench/bare:1", decode=True, rm=True)
for event in stream:
    if "error" in event:
        sys.exit(event["error"])
"""


def overhead_one_image() -> list[tuple[str, float, float, float]]:
    def ours() -> None:
        with tempfile.TemporaryDirectory() as root:
            config = sleepy_project(Path(root), 1, 2)
            run(
                [
                    *IMGBUILD,
                    "-f",
                    str(config),
                    "build",
                    "--builder",
                    "classic",
                    "--progress",
                    "plain",
                ]
            )

    def bare() -> None:
        with tempfile.TemporaryDirectory() as root:
            config = sleepy_project(Path(root), 1, 2)
            context = config.parent / "sleepy0"
            # The same image imgbuild makes: its labels in one LABEL instruction, so both sides
            # ask the engine for the same steps and the difference is imgbuild's own work.
            with (context / "Dockerfile").open("a") as dockerfile:
                dockerfile.write(
                    'LABEL "io.imgbuild.input-digest"="sha256:0" '
                    '"org.opencontainers.image.title"="sleepy0"\n'
                )
            run([sys.executable, "-c", BARE_BUILD, str(context)])

    # Every run builds a fresh project (a new nonce), so each one is a cold build.
    return [("one cold image vs a bare SDK build call", timed(ours), timed(bare), 1.1)]


def main() -> None:
    compiled_once()
    rows = []
    if SAMPLE.joinpath("imgbuild.toml").is_file():
        rows += noop_rebuild()
    else:
        print(f"skipping the no-op benchmark: {SAMPLE} is missing")
    rows += cold_parallel()
    rows += overhead_one_image()
    print(f"machine: {os.cpu_count()} cores, {sys.platform}, Python {sys.version.split()[0]}")
    print(f"{'benchmark':58} {'imgbuild':>9} {'reference':>9} {'ratio':>6} {'target':>6}")
    for label, ours, theirs, target in rows:
        ratio = ours / theirs
        verdict = "ok" if ratio <= target else "MISSED"
        print(f"{label:58} {ours:8.2f}s {theirs:8.2f}s {ratio:6.2f} {target:6.2f} {verdict}")


if __name__ == "__main__":
    main()
