"""Which files `imgbuild lint` reads: paths as given, directories searched for Dockerfiles.

A directory is walked recursively for `Dockerfile`, `Dockerfile.*`, `*.Dockerfile`,
`*.dockerfile`, `Containerfile` and `Containerfile.*`, skipping `.git` and whatever the
`.gitignore` files on the way (and those of its parents, up to the repository root) exclude.
A file named on the command line is always linted, whatever its name.
"""

from __future__ import annotations

import os
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from builder.errors import UsageError


def is_dockerfile_name(name: str) -> bool:
    return (
        name in ("Dockerfile", "Containerfile")
        or name.startswith(("Dockerfile.", "Containerfile."))
        or name.endswith((".Dockerfile", ".dockerfile"))
    )


def discover(paths: Sequence[Path]) -> list[Path]:
    """The files to lint, in the order given; directories expanded in sorted order."""
    found: list[Path] = []
    for path in paths:
        if path.is_dir():
            found.extend(_walk(path))
        elif path.exists():
            found.append(path)
        else:
            raise UsageError("no such file or directory", path=path)
    return list(dict.fromkeys(found))


_Spec = tuple[Path, Any]  # (directory of the .gitignore, its pathspec.GitIgnoreSpec)


def _walk(top: Path) -> list[Path]:
    specs = _parent_specs(top)
    found: list[Path] = []
    stack: list[tuple[Path, list[_Spec]]] = [(top, specs)]
    while stack:
        directory, inherited = stack.pop()
        own = _spec(directory)
        active = inherited
        if own is not None:
            active = [*inherited, (Path(os.path.abspath(directory)), own)]
        try:
            entries = sorted(os.scandir(directory), key=lambda entry: entry.name)
        except OSError:
            continue
        subdirectories = []
        for entry in entries:
            path = Path(entry.path)
            is_dir = entry.is_dir()
            if (is_dir and entry.name == ".git") or _ignored(path, is_dir, active):
                continue
            if is_dir:
                subdirectories.append(path)
            elif is_dockerfile_name(entry.name):
                found.append(path)
        stack.extend((sub, active) for sub in reversed(subdirectories))
    return sorted(found)


def _ignored(path: Path, is_dir: bool, specs: list[_Spec]) -> bool:
    # The deepest .gitignore with an opinion on the path decides, as in git.
    for base, spec in reversed(specs):
        relative = Path(os.path.abspath(path)).relative_to(base).as_posix()
        relative += "/" if is_dir else ""
        result = spec.check_file(relative)
        if result.include is not None:
            return bool(result.include)
    return False


def _spec(directory: Path) -> Any | None:
    try:
        lines = (directory / ".gitignore").read_text(encoding="utf-8", errors="replace")
    except OSError:
        return None
    import pathspec

    return pathspec.GitIgnoreSpec.from_lines(lines.splitlines())


def _parent_specs(top: Path) -> list[_Spec]:
    """The .gitignore files above `top`, up to the repository root, outermost first."""
    top = Path(os.path.abspath(top))
    specs: list[_Spec] = []
    for directory in top.parents:
        spec = _spec(directory)
        if spec is not None:
            specs.append((directory, spec))
        if (directory / ".git").exists():
            break
    else:
        specs = []  # not in a repository: a stray .gitignore above is not ours to apply
    return list(reversed(specs))
