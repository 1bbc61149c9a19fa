"""Image names and repositories that the config accepts and that do not collide."""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence

from builder.errors import UsageError
from builder.refs import is_valid_repository


def clean_name(text: str) -> str:
    """`text` as an image name: lowercase letters, digits, '_' and '-'.

    '.' is valid in a name but would split a TOML table header (`[images.a.b]`), so it goes too.
    """
    cleaned = re.sub(r"[^a-z0-9_-]+", "-", text.lower()).strip("-_")
    return re.sub(r"-{2,}", "-", cleaned) or "image"


def unique_name(candidates: Sequence[str], taken: Iterable[str]) -> str:
    """The first candidate not taken, else the last one with -2, -3, ... appended."""
    used = set(taken)
    for candidate in candidates:
        if candidate not in used:
            return candidate
    base = candidates[-1]
    number = 2
    while f"{base}-{number}" in used:
        number += 1
    return f"{base}-{number}"


def repository_prefix(prefix: str | None) -> str:
    """`--repository-prefix` as text to put before a name: `org` and `org/` give `org/`."""
    if not prefix:
        return ""
    cleaned = prefix.strip().rstrip("/")
    if not is_valid_repository(cleaned):
        raise UsageError(
            f"--repository-prefix {prefix!r} is not a valid repository prefix",
            hint="use lowercase path components such as 'ghcr.io/org/'",
        )
    return f"{cleaned}/"


def repository_for(name: str, prefix: str) -> str:
    """The repository of an image called `name`: a valid repository path under `prefix`."""
    if is_valid_repository(f"{prefix}{name}"):
        return f"{prefix}{name}"
    component = re.sub(r"[^a-z0-9]+", "-", name.lower()).strip("-") or "image"
    return f"{prefix}{component}"
