"""The build context of a Dockerfile found in a repository: the nearest folder from which its
`COPY` and `ADD` sources resolve.

A Dockerfile in `services/api/` often copies `services/api/app.py` or `libs/common/`: its
context is then an ancestor folder, and the config names the Dockerfile relative to it.
"""

from __future__ import annotations

import glob
import json
import os
import shlex
from collections.abc import Iterator
from pathlib import Path

from builder.dockerfile import Dockerfile, Instruction

_REMOTE = ("http://", "https://", "git@", "git://")


def copy_sources(dockerfile: Dockerfile) -> Iterator[tuple[str, int]]:
    """(source, line) of every `COPY`/`ADD` that reads the context (no `--from`, no URL)."""
    for instruction in dockerfile.instructions:
        if instruction.keyword not in ("COPY", "ADD") or instruction.flag("from") is not None:
            continue
        for source in _sources(instruction):
            if not source.startswith(_REMOTE) and "$" not in source:
                yield source, instruction.line


def _sources(instruction: Instruction) -> list[str]:
    text = instruction.arguments.strip()
    words: list[str]
    if text.startswith("["):
        try:
            parsed = json.loads(text)
        except ValueError:
            return []
        words = [str(word) for word in parsed] if isinstance(parsed, list) else []
    else:
        try:
            words = shlex.split(text, posix=True)
        except ValueError:
            words = text.split()
    return [word for word in words[:-1] if not word.startswith("<<")]


def resolves(context: Path, source: str) -> bool:
    """Whether `source` (a path or a Go-style glob, relative to the context) names anything."""
    relative = source.lstrip("/")
    if relative in ("", ".", "./"):
        return True
    return bool(glob.glob(os.path.join(glob.escape(str(context)), relative)))


def nearest_context(dockerfile: Dockerfile, folder: Path, root: Path) -> tuple[Path, list[str]]:
    """The first of `folder` and its ancestors up to `root` from which every source resolves,
    and the sources that resolve from none (then the context is `folder`)."""
    sources = list(copy_sources(dockerfile))
    candidates = [folder, *[p for p in folder.parents if p == root or root in p.parents]]
    for candidate in candidates:
        if all(resolves(candidate, source) for source, _ in sources):
            return candidate, []
    missing = [
        f"{source} (line {line})" for source, line in sources if not resolves(folder, source)
    ]
    return folder, missing
