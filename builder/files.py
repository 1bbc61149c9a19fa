"""Writing a file so a reader never sees half of it, and a failure leaves the old one."""

from __future__ import annotations

import os
import tempfile
from pathlib import Path


def write_atomically(path: Path, data: bytes | str, *, mode: int | None = None) -> None:
    """Replace `path` with `data` (text as UTF-8, newlines as given) through a temporary file.

    The temporary file sits in the same folder, so the final rename is atomic, and is created
    exclusively, so a link planted there cannot redirect the write. The file gets `mode` when
    given, else keeps the mode of the file it replaces, else stays private to the user (0o600,
    as the temporary file is made: a umask read would race other threads creating files).
    """
    path.parent.mkdir(parents=True, exist_ok=True)
    if mode is None:
        mode = _current_mode(path)
    content = data.encode("utf-8") if isinstance(data, str) else data
    handle, temporary = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(handle, "wb") as stream:
            stream.write(content)
        if mode is not None:
            os.chmod(temporary, mode)
        os.replace(temporary, path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise


def _current_mode(path: Path) -> int | None:
    try:
        return path.stat().st_mode & 0o7777
    except FileNotFoundError:
        return None
