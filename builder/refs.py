"""Docker image references: parsing, validation and normalisation.

One place for the grammar of `[registry/]repository[:tag][@digest]` (Docker's reference
grammar, simplified to what imgbuild needs), so the config, the graph, tags and publish agree.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

# A path component: lowercase alphanumerics separated by ., _, __ or runs of -.
_COMPONENT = r"[a-z0-9]+(?:(?:\.|_|__|-+)[a-z0-9]+)*"
_LABEL = r"[a-zA-Z0-9](?:[a-zA-Z0-9-]*[a-zA-Z0-9])?"
_DOMAIN = rf"{_LABEL}(?:\.{_LABEL})*(?::[0-9]+)?|\[[0-9a-fA-F:]+\](?::[0-9]+)?"
REPOSITORY_RE = re.compile(rf"^(?:(?:{_DOMAIN})/)?{_COMPONENT}(?:/{_COMPONENT})*$")
TAG_RE = re.compile(r"^[A-Za-z0-9_][A-Za-z0-9_.-]{0,127}$")
DIGEST_RE = re.compile(r"^[a-z0-9]+(?:[.+_-][a-z0-9]+)*:[0-9a-fA-F]{32,}$")

DOCKER_HUB = "docker.io"


@dataclass(frozen=True)
class ImageRef:
    """A parsed reference. `repository` keeps any registry host as written."""

    repository: str
    tag: str | None = None
    digest: str | None = None

    def __str__(self) -> str:
        text = self.repository
        if self.tag:
            text += f":{self.tag}"
        if self.digest:
            text += f"@{self.digest}"
        return text

    @property
    def tag_or_latest(self) -> str:
        return self.tag or "latest"


def split_ref(text: str) -> ImageRef:
    """Split `text` into repository, tag and digest without checking the grammar.

    The tag is after the last ':' that follows the last '/', so a registry's port
    (`127.0.0.1:5000/a/b`) is not a tag; the digest is everything after the first '@'.
    """
    name_tag, _, digest = text.partition("@")
    slash, colon = name_tag.rfind("/"), name_tag.rfind(":")
    if colon > slash:
        return ImageRef(name_tag[:colon], name_tag[colon + 1 :], digest or None)
    return ImageRef(name_tag, None, digest or None)


def parse_ref(text: str) -> ImageRef | None:
    """Parse `text` as an image reference; None when it is not one."""
    ref = split_ref(text)
    if "@" in text and not DIGEST_RE.match(ref.digest or ""):
        return None
    if ref.tag is not None and not TAG_RE.match(ref.tag):
        return None
    if not REPOSITORY_RE.match(ref.repository):
        return None
    return ref


def with_default_tag(ref: str) -> str:
    """`ref` with ':latest' when it names neither a tag nor a digest, as Docker reads it."""
    parsed = split_ref(ref)
    return ref if parsed.tag is not None or parsed.digest is not None else f"{ref}:latest"


def names_registry(repository: str) -> bool:
    """Whether the first component is a registry host: it has '.' or ':' or is 'localhost'."""
    first, sep, _ = repository.partition("/")
    return bool(sep) and ("." in first or ":" in first or first == "localhost")


def is_valid_repository(text: str) -> bool:
    return REPOSITORY_RE.match(text) is not None


def is_valid_tag(text: str) -> bool:
    return TAG_RE.match(text) is not None


def sanitize_tag(text: str) -> str:
    """Turn any text (a branch name, say) into a valid tag: invalid runs become '-'."""
    cleaned = re.sub(r"[^A-Za-z0-9_.-]+", "-", text).strip(".-")
    if not cleaned:
        return "unknown"
    if not re.match(r"[A-Za-z0-9_]", cleaned[0]):
        cleaned = "_" + cleaned
    return cleaned[:128]


def split_registry(repository: str) -> tuple[str, str]:
    """Split a repository into (registry host, path) as Docker does.

    The first component is a registry host only if it contains '.' or ':' or is 'localhost';
    otherwise the registry is Docker Hub, whose single-component names live under 'library/'.
    """
    if names_registry(repository):
        host, _, path = repository.partition("/")
    else:
        host, path = DOCKER_HUB, repository
    if host in ("index.docker.io", "registry-1.docker.io"):
        host = DOCKER_HUB
    if host == DOCKER_HUB and "/" not in path:
        path = f"library/{path}"
    return host, path
