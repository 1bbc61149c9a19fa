"""Build-time variable references in instruction arguments (`$NAME`, `${NAME}`, `${NAME:-x}`).

What Docker expands itself, before any shell runs: escaped dollars (`\\$NAME`) and text in single
quotes are left alone, as Docker's word processing does.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from builder.dockerfile import Dockerfile, substitute

_REFERENCE_RE = re.compile(
    r"\$(?:\{(?P<braced>[A-Za-z_][A-Za-z0-9_]*)(?P<modifier>:?[-+?][^}]*)?\}"
    r"|(?P<bare>[A-Za-z_][A-Za-z0-9_]*))"
)

# The proxy ARGs Docker predefines (hadolint tells ShellCheck of these; ALL_PROXY came later).
PROXY_ARGS = frozenset(
    {
        "HTTP_PROXY",
        "http_proxy",
        "HTTPS_PROXY",
        "https_proxy",
        "FTP_PROXY",
        "ftp_proxy",
        "NO_PROXY",
        "no_proxy",
    }
)
# ARGs every build has without declaring them (proxies, BuildKit's platform and build args).
PREDEFINED_ARGS = PROXY_ARGS | frozenset(
    {
        "ALL_PROXY",
        "all_proxy",
        "TARGETPLATFORM",
        "TARGETOS",
        "TARGETARCH",
        "TARGETVARIANT",
        "BUILDPLATFORM",
        "BUILDOS",
        "BUILDARCH",
        "BUILDVARIANT",
        "TARGETSTAGE",
        "SOURCE_DATE_EPOCH",
    }
)


@dataclass(frozen=True)
class Reference:
    name: str
    # `${NAME:-default}`, `${NAME:+x}` and `${NAME:?msg}` say what happens when NAME is unset
    handles_unset: bool


def references(text: str, escape: str = "\\") -> list[Reference]:
    """The variables `text` expands, in order."""
    found: list[Reference] = []
    position = 0
    while position < len(text):
        char = text[position]
        if char == escape:
            position += 2
            continue
        if char == "'":
            close = text.find("'", position + 1)
            position = len(text) if close < 0 else close + 1
            continue
        if char == "$":
            match = _REFERENCE_RE.match(text, position)
            if match is not None:
                name = match.group("braced") or match.group("bare")
                found.append(Reference(name, match.group("modifier") is not None))
                position = match.end()
                continue
        position += 1
    return found


def global_defaults(dockerfile: Dockerfile) -> dict[str, str]:
    """The global ARGs' default values, each expanded with the ARGs declared before it."""
    values: dict[str, str] = {}
    for name, default in dockerfile.global_args.items():
        values[name] = substitute(default or "", values)
    return values


def unquote(word: str) -> str:
    """A word with its quotes removed, as Docker reads `FROM alpine:"${TAG}"`."""
    return word.replace('"', "").replace("'", "")
