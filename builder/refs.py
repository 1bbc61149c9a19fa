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


def parse_ref(text: str) -> ImageRef | None:
    """Parse `text` as an image reference; None when it is not one."""
    digest = None
    if "@" in text:
        text, digest = text.split("@", 1)
        if not DIGEST_RE.match(digest):
            return None
    tag = None
    last_slash = text.rfind("/")
    colon = text.rfind(":")
    if colon > last_slash:
        text, tag = text[:colon], text[colon + 1 :]
        if not TAG_RE.match(tag):
            return None
    if not REPOSITORY_RE.match(text):
        return None
    return ImageRef(repository=text, tag=tag, digest=digest)


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
    first, sep, rest = repository.partition("/")
    if sep and ("." in first or ":" in first or first == "localhost"):
        host, path = first, rest
    else:
        host, path = DOCKER_HUB, repository
    if host in ("index.docker.io", "registry-1.docker.io"):
        host = DOCKER_HUB
    if host == DOCKER_HUB and "/" not in path:
        path = f"library/{path}"
    return host, path
