from __future__ import annotations

import os
from pathlib import Path
from typing import IO, Any

import pytest

from builder.files import write_atomically


def test_text_is_written_as_utf8_with_its_newlines_as_given(tmp_path: Path) -> None:
    target = tmp_path / "Dockerfile"
    write_atomically(target, "FROM café\r\nRUN true\n")
    assert target.read_bytes() == "FROM café\r\nRUN true\n".encode()


def test_bytes_are_written_as_they_are_and_folders_are_made(tmp_path: Path) -> None:
    target = tmp_path / "a" / "b" / "blob"
    write_atomically(target, b"\x00\xff")
    assert target.read_bytes() == b"\x00\xff"


def test_the_replaced_file_keeps_its_mode(tmp_path: Path) -> None:
    target = tmp_path / "script.sh"
    target.write_text("old")
    target.chmod(0o751)
    write_atomically(target, "new")
    assert (target.read_text(), target.stat().st_mode & 0o7777) == ("new", 0o751)


def test_an_explicit_mode_wins_over_the_old_one_and_the_umask(tmp_path: Path) -> None:
    target = tmp_path / "run"
    target.write_text("old")
    target.chmod(0o600)
    previous = os.umask(0o077)
    try:
        write_atomically(target, "new", mode=0o755)
    finally:
        os.umask(previous)
    assert target.stat().st_mode & 0o7777 == 0o755


def test_a_new_file_without_a_mode_is_private(tmp_path: Path) -> None:
    target = tmp_path / "metadata.json"
    write_atomically(target, "{}")
    assert target.stat().st_mode & 0o7777 == 0o600


class _BrokenStream:
    """Writes half of what it is given, then fails, as a full disk would."""

    def __init__(self, stream: IO[bytes]) -> None:
        self.stream = stream

    def __enter__(self) -> _BrokenStream:
        return self

    def __exit__(self, *exc: object) -> None:
        self.stream.close()

    def write(self, data: bytes) -> int:
        self.stream.write(data[: len(data) // 2])
        raise OSError(28, "No space left on device")


def test_a_failure_mid_write_leaves_the_old_file_and_no_temporary_file(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    target = tmp_path / "imgbuild.toml"
    target.write_text("old = 1\n")
    real_fdopen = os.fdopen

    def broken_fdopen(fd: int, *args: Any, **kwargs: Any) -> _BrokenStream:
        return _BrokenStream(real_fdopen(fd, *args, **kwargs))

    monkeypatch.setattr("builder.files.os.fdopen", broken_fdopen)
    with pytest.raises(OSError, match="No space left"):
        write_atomically(target, "new = 2\n" * 100)
    assert target.read_text() == "old = 1\n"
    assert [path.name for path in tmp_path.iterdir()] == ["imgbuild.toml"]


def test_a_failed_rename_leaves_the_old_file_and_no_temporary_file(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    target = tmp_path / "cache.json"
    target.write_text("old")

    def refuse(source: str, destination: str) -> None:
        raise PermissionError(13, "Permission denied")

    monkeypatch.setattr("builder.files.os.replace", refuse)
    with pytest.raises(PermissionError):
        write_atomically(target, "new")
    assert target.read_text() == "old"
    assert [path.name for path in tmp_path.iterdir()] == ["cache.json"]
