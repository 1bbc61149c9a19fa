"""Pool benchmarks: one engine against two in the same run, and imgbuild's own time at scale.

1. Wall time of a cold build of 8 independent images whose step sleeps (I/O-bound builds), on
   one engine with 2 jobs, then on a pool of two engines with 2 jobs each; ratio (target <= 0.6).
2. imgbuild's own time on a synthetic graph of 1,000 tiny images (50 bases, 19 images on each)
   against one real engine: the plan alone and a no-op run (all 1,000 skipped: no request to the
   engine per image), split into phases. Everything but the engine's work is imgbuild's.
3. The scheduler at the issue's scale: the same 1,000 images over 50 simulated engines whose
   builds, moves and tags take no time, so what is measured is placement,
   digests, moves bookkeeping and events: imgbuild's overhead per image at 50 engines
   (`tests.fakes.FakeEngine` stands in for each engine).

Needs root and dockerd (it starts two engines of its own under /tmp/ibpb-*, stopped by pid at
the end), Debian's busybox-static, and Debian's docker client for BuildKit.
Run: `.venv/bin/python benchmarks/pool_bench.py [--images N]`. Exits 1 when a target is missed.
"""

from __future__ import annotations

import argparse
import cProfile
import os
import pstats
import shutil
import subprocess
import sys
import tempfile
import time
import uuid
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parents[1]
sys.path[:0] = [str(REPO), str(REPO / "tests")]

from build_bench import compiled_once  # noqa: E402 (this script's folder is on sys.path)
from realparts import BUSYBOX_IMAGE, busybox_rootfs  # noqa: E402

from builder.config import EngineHost, EnginesConfig  # noqa: E402
from tests.fakes import FakeEngine  # noqa: E402
from tests.pool.engines import EngineSet, start_engines  # noqa: E402

IMGBUILD = [sys.executable, "-m", "builder"]


def run(command: list[str]) -> float:
    started = time.perf_counter()
    result = subprocess.run(command, capture_output=True, text=True, check=False)
    if result.returncode != 0:
        raise SystemExit(f"{' '.join(command)} failed:\n{result.stdout[-3000:]}\n{result.stderr}")
    return time.perf_counter() - started


# -- 1. one engine against two ------------------------------------------------------------------


def sleepy_project(root: Path, engines: str, count: int = 8, seconds: int = 2) -> Path:
    lines = [engines]
    for index in range(count):
        context = root / f"s{index}"
        context.mkdir(parents=True)
        (context / "Dockerfile").write_text(
            f"FROM {BUSYBOX_IMAGE}\nCOPY nonce /nonce\nRUN sleep {seconds}\n"
        )
        (context / "nonce").write_text(uuid.uuid4().hex)  # nothing may be reused from cache
        lines.append(f'[images.s{index}]\ncontext = "s{index}"\nrepository = "bench/s{index}"\n')
    config = root / "imgbuild.toml"
    config.write_text("\n".join(lines))
    return config


def one_against_two(engines: EngineSet, root: Path) -> tuple[float, float]:
    one = sleepy_project(root / "one", "")
    two = sleepy_project(
        root / "two",
        "".join(
            f'[engines.hosts.{name}]\nurl = "{engines[name].url}"\njobs = 2\n'
            for name in ("e1", "e2")
        ),
    )
    single = run(
        [
            *IMGBUILD,
            "-f",
            str(one),
            "build",
            "--engine",
            engines["e1"].url,
            "-j",
            "2",
            "--progress",
            "plain",
        ]
    )
    pooled = run([*IMGBUILD, "-f", str(two), "build", "--progress", "plain"])
    return single, pooled


# -- 2. 1,000 tiny images against one engine ----------------------------------------------------


def synthetic_project(root: Path, count: int, engines: str = "") -> Path:
    """`count` images: one base per 20, each other image FROM its base (a graph of depth 2)."""
    lines = [engines]
    nonce = uuid.uuid4().hex[:8]
    for index in range(count):
        name = f"i{index:04d}"
        context = root / name
        context.mkdir(parents=True)
        base = index - index % 20
        parent = BUSYBOX_IMAGE if index == base else f"bench{nonce}/i{base:04d}:1"
        (context / "Dockerfile").write_text(f"FROM {parent}\nCOPY n /n\n")
        (context / "n").write_text(f"{nonce} {index}\n")
        lines.append(
            f'[images.{name}]\ncontext = "{name}"\nrepository = "bench{nonce}/{name}"\n'
            'tags = ["1"]\nbuilder = "classic"\n'
        )
    config = root / "imgbuild.toml"
    config.write_text("\n".join(lines))
    return config


def phases(config: Path, engine_url: str, profile: Path | None = None) -> dict[str, float]:
    """imgbuild's own time in a no-op build, in process, phase by phase."""
    from builder.build import load_graph
    from builder.inputs import InputResolver
    from builder.plan import make_plan
    from builder.pool import make_pool
    from builder.scheduler import RunOptions, run_plan

    times: dict[str, float] = {}
    profiler = cProfile.Profile() if profile else None
    if profiler:
        profiler.enable()
    mark = time.perf_counter()

    def lap(name: str) -> None:
        nonlocal mark
        now = time.perf_counter()
        times[name] = now - mark
        mark = now

    _, graph = load_graph(config)
    lap("config + Dockerfiles + graph")
    pool = make_pool(EnginesConfig(), [engine_url])
    pool.connect()
    lap("connect (version, one image listing)")
    resolver = InputResolver(pool)
    plan = make_plan(graph, resolver, pool, builder="classic")
    lap("plan (contexts, digests, skips)")
    events: list[Any] = []
    result = run_plan(plan, pool, resolver, RunOptions(jobs=2), events.append)
    lap("run (schedule, skip checks, tags, events)")
    if profiler and profile:
        profiler.disable()
        pstats.Stats(profiler).sort_stats("cumulative").dump_stats(str(profile))
    skipped = sum(1 for r in result.results if r.status.value == "skipped")
    if skipped != len(plan.images):
        raise SystemExit(f"the no-op run skipped {skipped} of {len(plan.images)} images")
    return times


def thousand_images(engines: EngineSet, root: Path, count: int) -> dict[str, float]:
    config = synthetic_project(root, count)
    url = engines["e1"].url
    print(f"building {count} tiny images once on {url} (not timed) ...", flush=True)
    cold = run(
        [*IMGBUILD, "-f", str(config), "build", "--engine", url, "-j", "4", "--progress", "plain"]
    )
    print(f"  cold build took {cold:.1f} s ({cold / count * 1000:.0f} ms per image)")
    figures = {"cold build (engine work included)": cold}
    figures["build --print, whole command"] = min(
        run([*IMGBUILD, "-f", str(config), "build", "--engine", url, "--print"]) for _ in range(3)
    )
    figures["no-op build, whole command"] = min(
        run([*IMGBUILD, "-f", str(config), "build", "--engine", url, "--progress", "plain"])
        for _ in range(3)
    )
    samples = [phases(config, url) for _ in range(3)]
    for name in samples[0]:
        figures[name] = min(sample[name] for sample in samples)
    return figures


# -- 3. 1,000 images over 50 simulated engines --------------------------------------------------


def fifty_engines(root: Path, count: int, engine_count: int = 50) -> dict[str, float]:
    from builder.build import load_graph
    from builder.inputs import InputResolver
    from builder.plan import make_plan
    from builder.pool import make_pool
    from builder.scheduler import RunOptions, run_plan

    hosts = tuple(
        EngineHost(f"s{index:02d}", f"tcp://127.0.0.1:{20000 + index}", jobs=4)
        for index in range(engine_count)
    )
    config = synthetic_project(root, count)
    base_id = "sha256:" + "b" * 64
    figures: dict[str, float] = {}
    started = time.perf_counter()
    _, graph = load_graph(config)
    pool = make_pool(
        EnginesConfig(hosts=hosts),
        make_engine=lambda host: FakeEngine(host.url, images={BUSYBOX_IMAGE: base_id}),
    )
    pool.connect()
    resolver = InputResolver(pool)
    figures["graph + connect (50 engines)"] = time.perf_counter() - started
    mark = time.perf_counter()
    plan = make_plan(graph, resolver, pool, builder="classic")
    figures["plan with placement (50 engines)"] = time.perf_counter() - mark
    mark = time.perf_counter()
    events: list[Any] = []
    result = run_plan(plan, pool, resolver, RunOptions(jobs=4), events.append)
    figures["run, builds taking no time (50 engines)"] = time.perf_counter() - mark
    built = sum(1 for r in result.results if r.status.value == "built")
    if built != count:
        raise SystemExit(f"the simulated run built {built} of {count}")
    moves = sum(1 for event in events if type(event).__name__ == "ImageMoved")
    used = len({r.engine for r in result.results})
    print(f"  simulated: {count} images on {used} of {engine_count} engines, {moves} moves")
    return figures


def main() -> None:
    compiled_once()
    parser = argparse.ArgumentParser()
    parser.add_argument("--images", type=int, default=1000)
    parser.add_argument("--profile", type=Path, help="write a cProfile of the no-op run here")
    options = parser.parse_args()
    if os.geteuid() != 0 or shutil.which("dockerd") is None:
        raise SystemExit("needs root and dockerd: it starts two engines of its own")
    base = Path(tempfile.mkdtemp(prefix="ibpb-", dir="/tmp"))
    engines = start_engines(base, ("e1", "e2"), busybox_rootfs(Path("/bin/busybox")), BUSYBOX_IMAGE)
    try:
        single, pooled = one_against_two(engines, base / "sleepy")
        figures = thousand_images(engines, base / "thousand", options.images)
        if options.profile:
            phases(base / "thousand" / "imgbuild.toml", engines["e1"].url, options.profile)
        simulated = fifty_engines(base / "simulated", options.images)
    finally:
        engines.stop()
        shutil.rmtree(base, ignore_errors=True)
    print(f"machine: {os.cpu_count()} cores, {sys.platform}, Python {sys.version.split()[0]}")
    ratio = pooled / single
    verdict = "ok" if ratio <= 0.6 else "MISSED"
    print(f"{'benchmark':58} {'two':>8} {'one':>8} {'ratio':>6} {'target':>6}")
    print(
        f"{'8 sleeping images (2 s), 2 jobs per engine':58} {pooled:7.2f}s {single:7.2f}s "
        f"{ratio:6.2f} {0.6:6.2f} {verdict}"
    )
    print(f"\nimgbuild's own time, {options.images} tiny images, one real engine:")
    for name, seconds in figures.items():
        per = seconds / options.images * 1000
        print(f"  {name:52} {seconds:7.2f} s  {per:6.2f} ms/image")
    print(f"\nthe same {options.images} images over 50 simulated engines (no engine work):")
    for name, seconds in simulated.items():
        per = seconds / options.images * 1000
        print(f"  {name:52} {seconds:7.2f} s  {per:6.2f} ms/image")
    if verdict != "ok":
        sys.exit(1)


if __name__ == "__main__":
    main()
