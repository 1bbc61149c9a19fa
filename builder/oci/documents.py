"""The OCI documents of a multi-platform image: image manifests and the index naming them.

Pure functions over bytes: the same inputs give the same bytes, hence the same digests (compact
JSON, keys in a fixed order), which is what lets a second publish find everything in place.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from builder.errors import ImgbuildError
from builder.platforms import Platform, engine_platform
from builder.registry import Manifest

OCI_INDEX = "application/vnd.oci.image.index.v1+json"
OCI_MANIFEST = "application/vnd.oci.image.manifest.v1+json"
OCI_CONFIG = "application/vnd.oci.image.config.v1+json"
OCI_LAYER_GZIP = "application/vnd.oci.image.layer.v1.tar+gzip"
DOCKER_LIST = "application/vnd.docker.distribution.manifest.list.v2+json"


class PlatformMismatch(ImgbuildError):
    """An image would be published as a platform its config does not name."""


@dataclass(frozen=True)
class Blob:
    """A blob an image manifest names: its media type, digest and size."""

    media_type: str
    digest: str
    size: int

    def descriptor(self) -> dict[str, Any]:
        return {"mediaType": self.media_type, "size": self.size, "digest": self.digest}


@dataclass(frozen=True)
class IndexEntry:
    """One platform's manifest in an index."""

    platform: Platform
    digest: str
    size: int
    media_type: str = OCI_MANIFEST


def compact_json(document: Any) -> bytes:
    return json.dumps(document, separators=(",", ":")).encode()


def sha256_digest(data: bytes) -> str:
    return "sha256:" + hashlib.sha256(data).hexdigest()


def descriptor(media_type: str, data: bytes) -> dict[str, Any]:
    """The descriptor of `data` (a config, a manifest) under `media_type`."""
    return Blob(media_type, sha256_digest(data), len(data)).descriptor()


def image_manifest(config: bytes, layers: Sequence[Blob]) -> Manifest:
    """The OCI image manifest of a config blob and its layers, in order."""
    body = compact_json(
        {
            "schemaVersion": 2,
            "mediaType": OCI_MANIFEST,
            "config": descriptor(OCI_CONFIG, config),
            "layers": [layer.descriptor() for layer in layers],
        }
    )
    return Manifest(sha256_digest(body), OCI_MANIFEST, body)


def image_index(entries: Sequence[IndexEntry]) -> Manifest:
    """The OCI image index of these platform manifests, in the order given."""
    body = compact_json(
        {
            "schemaVersion": 2,
            "mediaType": OCI_INDEX,
            "manifests": [
                {
                    "mediaType": entry.media_type,
                    "size": entry.size,
                    "digest": entry.digest,
                    "platform": entry.platform.descriptor(),
                }
                for entry in entries
            ],
        }
    )
    return Manifest(sha256_digest(body), OCI_INDEX, body)


def index_entries(manifest: Manifest) -> tuple[IndexEntry, ...] | None:
    """The platform manifests an index names; None when `manifest` is not a readable index.

    Entries without a platform (artifacts) are left out; platforms are normalised as
    `parse_platform` does (`arm64/v8` is `arm64`), and kept as written when unknown (the
    `unknown/unknown` of attestation entries).
    """
    try:
        document = json.loads(manifest.body)
    except (json.JSONDecodeError, UnicodeDecodeError):
        return None
    if not isinstance(document, dict):
        return None
    kinds = (OCI_INDEX, DOCKER_LIST)
    if not (manifest.media_type in kinds or document.get("mediaType") in kinds):
        return None
    listed = document.get("manifests") or []
    if not isinstance(listed, list) or not all(isinstance(item, dict) for item in listed):
        return None
    entries = [_entry(item) for item in listed if isinstance(item.get("platform"), dict)]
    return None if None in entries else tuple(entry for entry in entries if entry is not None)


def _entry(item: dict[str, Any]) -> IndexEntry | None:
    described, digest, size = item["platform"], item.get("digest"), item.get("size")
    media_type = item.get("mediaType")
    if not (isinstance(digest, str) and isinstance(size, int) and isinstance(media_type, str)):
        return None
    platform = engine_platform(
        str(described.get("os") or ""),
        str(described.get("architecture") or ""),
        str(described.get("variant") or ""),
    )
    return IndexEntry(platform, digest, size, media_type)


def platform_digests(manifest: Manifest) -> dict[str, str]:
    """`{"linux/amd64": "sha256:...", ...}` of an index, for the metadata file ({} if none)."""
    return {str(entry.platform): entry.digest for entry in index_entries(manifest) or ()}


def config_platform(config: bytes) -> Platform:
    """The platform an image config names (`os`, `architecture`, `variant`)."""
    try:
        document = json.loads(config)
    except (json.JSONDecodeError, UnicodeDecodeError):
        document = None
    if not isinstance(document, dict):
        raise ImgbuildError("an image config that is not a JSON object")
    return engine_platform(
        str(document.get("os") or ""),
        str(document.get("architecture") or ""),
        str(document.get("variant") or ""),
    )


def check_platform(config: bytes, platform: Platform, image_id: str) -> None:
    """Refuse to publish an image as a platform other than the one its config names."""
    named = config_platform(config)
    if named != platform:
        raise PlatformMismatch(
            f"image {image_id[:19]} is built for {named}; it cannot be published as the "
            f"{platform} variant",
            hint=f"build it for {platform}; an image's config names the platform it was built for",
        )
