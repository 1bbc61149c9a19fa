"""Shared helpers for the template tests: run the CLI in a folder, read a scaffold back."""

from __future__ import annotations

import os
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import pytest

from builder.cli import run
from builder.templates.record import RECORD_NAME


@dataclass(frozen=True)
class Outcome:
    code: int
    out: str
    err: str


@contextmanager
def _cwd(path: Path) -> Iterator[None]:
    before = Path.cwd()
    os.chdir(path)
    try:
        yield
    finally:
        os.chdir(before)


def imgbuild(capsys: pytest.CaptureFixture[str] | None, cwd: Path, *args: str) -> Outcome:
    """Run `imgbuild ARGS` in `cwd` through the real error boundary (output kept by capsys)."""
    if capsys is not None:
        capsys.readouterr()
    with _cwd(cwd):
        code = run(list(args))
    if capsys is None:
        return Outcome(code, "", "")
    captured = capsys.readouterr()
    return Outcome(code, captured.out, captured.err)


def tree(root: Path, *, with_record: bool = True) -> dict[str, bytes]:
    """Every file under `root` by POSIX path (the answers record optionally left out)."""
    files = {
        path.relative_to(root).as_posix(): path.read_bytes()
        for path in sorted(root.rglob("*"))
        if path.is_file()
    }
    if not with_record:
        files = {name: content for name, content in files.items() if not name.endswith(RECORD_NAME)}
    return files


def write_template(root: Path, name: str, manifest: str, files: dict[str, str]) -> Path:
    """A team template `root/name` with `manifest` as template.toml and `files`."""
    directory = root / name
    directory.mkdir(parents=True)
    (directory / "template.toml").write_text(manifest)
    for relative, text in files.items():
        path = directory / relative
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text)
    return directory
