"""The image a FROM names, with ARG defaults substituted, split into name, tag and digest.

`FROM ${BASE}` with `ARG BASE=debian:12` is read as `debian:12`, as Docker builds it without
build args. A reference to a variable with no default (and no `${VAR:-word}` fallback) leaves
the reference `unresolved`: rules should not guess about it.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import NamedTuple

from builder.dockerfile import Dockerfile, Stage, parse_arg, substitute
from builder.refs import split_ref

# A pattern, not a compiled one: `re` compiles it on first use (few FROM lines hold a `$`).
_REFERENCE = (
    r"\$(?:\{(?P<braced>[A-Za-z_][A-Za-z0-9_]*)(?P<op>:?[-+])?[^}]*\}"
    r"|(?P<bare>[A-Za-z_][A-Za-z0-9_]*))"
)


class ImageRef(NamedTuple):  # not a dataclass: cheaper to define at every lint's start
    text: str  # as resolved (or as written, when unresolved)
    name: str
    tag: str | None
    digest: str | None
    unresolved: bool


def split_reference(text: str, *, unresolved: bool = False) -> ImageRef:
    parts = split_ref(text)
    return ImageRef(text, parts.repository, parts.tag, parts.digest, unresolved)


def stage_image(dockerfile: Dockerfile, stage: Stage) -> ImageRef:
    """The stage's FROM image, with the file's global ARG defaults substituted."""
    base = stage.base.strip("\"'")
    if "$" not in base:
        return split_reference(base)
    resolved = _expand(base, global_defaults(dockerfile))
    if resolved is None:
        return split_reference(base, unresolved=True)
    return split_reference(resolved.strip("\"'"))


def global_defaults(dockerfile: Dockerfile) -> dict[str, str]:
    """The ARGs declared before the first FROM, each default expanded as Docker does, in order.

    An ARG whose default refers to something unknown is left out (unknown), not guessed.
    """
    values: dict[str, str | None] = {}
    for instruction in dockerfile.instructions:
        if instruction.stage >= 0:
            break
        if instruction.keyword != "ARG":
            continue
        for name, default in parse_arg(instruction.arguments).items():
            values[name] = _expand(default, values) if default is not None else None
    return {name: value for name, value in values.items() if value is not None}


def _expand(text: str, values: Mapping[str, str | None]) -> str | None:
    """`text` with its variables substituted, or None when one of them is unknown.

    `${NAME:-word}` gives `word` only for a NAME never declared: a declared NAME without a
    known value may be set by a build arg or the platform.
    """
    for match in re.finditer(_REFERENCE, text):
        name = match.group("braced") or match.group("bare")
        if values.get(name) is not None:
            continue
        if name in values or not (match.group("op") or "").endswith("-"):
            return None
    expanded = substitute(text, {k: v for k, v in values.items() if v is not None})
    return None if "$" in expanded else expanded
