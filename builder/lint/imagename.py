"""Whether a FROM names an image Docker can pull: `reference.ParseNormalizedNamed`'s grammar.

BuildKit checks each stage's base this way with the ARG defaults filled in
(InvalidDefaultArgInFrom); `scratch` and stage names pass as plain repository names.
"""

from __future__ import annotations

import functools
import re

_ALNUM = r"[a-z0-9]+"
_SEPARATOR = r"(?:[._]|__|[-]+)"
_PATH_COMPONENT = rf"{_ALNUM}(?:{_SEPARATOR}{_ALNUM})*"
_DOMAIN_COMPONENT = r"(?:[a-zA-Z0-9]|[a-zA-Z0-9][a-zA-Z0-9-]*[a-zA-Z0-9])"
_HOST = rf"(?:{_DOMAIN_COMPONENT}(?:\.{_DOMAIN_COMPONENT})*|\[(?:[a-fA-F0-9:]+)\])"
_NAME = rf"(?:{_HOST}(?::[0-9]+)?/)?{_PATH_COMPONENT}(?:/{_PATH_COMPONENT})*"
_TAG = r"[A-Za-z0-9_][A-Za-z0-9_.-]{0,127}"
_DIGEST = r"[A-Za-z][A-Za-z0-9]*(?:[-_+.][A-Za-z][A-Za-z0-9]*)*:[0-9a-fA-F]{32,}"
_REFERENCE = rf"^({_NAME})(?::{_TAG})?(?:@({_DIGEST}))?$"
_DIGEST_LENGTHS = {"sha256": 64, "sha384": 96, "sha512": 128}
_MAX_NAME = 255


def is_pullable(text: str) -> bool:
    """Whether `text` parses as a normalized image name (`alpine`, `ghcr.io/a/b:1@sha256:...`)."""
    if not text or re.fullmatch(r"[a-f0-9]{64}", text):
        return False
    domain, remainder = _split_domain(text)
    repository = remainder.split(":", 1)[0]
    if repository.lower() != repository:
        return False
    match = _reference_re().match(f"{domain}/{remainder}")
    if match is None or len(match.group(1).split("/", 1)[-1]) > _MAX_NAME:
        return False
    digest = match.group(2)
    return digest is None or _valid_digest(digest)


@functools.cache
def _reference_re() -> re.Pattern[str]:
    """Compiled on first use: most lint runs never need it."""
    return re.compile(_REFERENCE)


def _split_domain(name: str) -> tuple[str, str]:
    first, slash, rest = name.partition("/")
    if not slash:
        return "docker.io", f"library/{name}"
    if first == "localhost" or any(char in first for char in ".:") or first.lower() != first:
        domain, remainder = ("docker.io" if first == "index.docker.io" else first), rest
    else:
        domain, remainder = "docker.io", name
    if domain == "docker.io" and "/" not in remainder:
        remainder = f"library/{remainder}"
    return domain, remainder


def _valid_digest(digest: str) -> bool:
    algorithm, _, encoded = digest.partition(":")
    length = _DIGEST_LENGTHS.get(algorithm)
    return length == len(encoded) and re.fullmatch(r"[a-f0-9]+", encoded) is not None
