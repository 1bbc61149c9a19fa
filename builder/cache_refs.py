"""Names in the remote cache, and what a lookup finds: light enough for the plan and the
worker to import without the registry client (see `builder.remote_cache` for the rest).

The image `REPOSITORY` built from input digest `sha256:HEX` is kept as
`PREFIX/REPOSITORY:in-HEX` (the repository without its registry host), and
`PREFIX/REPOSITORY:newest` (with the platform appended for a platform variant other than the
primary one) names the newest entry.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from builder.config.model import CacheSettings
from builder.credentials import registry_key
from builder.platforms import Platform
from builder.refs import split_ref, split_registry

if TYPE_CHECKING:
    from builder.registry import Manifest

ENTRY_PREFIX = "in-"
NEWEST = "newest"


def _cache_repository(settings: CacheSettings, repository: str) -> str:
    _, path = split_registry(repository)
    return f"{settings.registry.rstrip('/')}/{path.removeprefix('library/')}"


def entry_ref(settings: CacheSettings, repository: str, digest: str) -> str:
    """The cache ref of the image `repository` built from input digest `digest`."""
    return f"{_cache_repository(settings, repository)}:{ENTRY_PREFIX}{digest.split(':')[-1]}"


def newest_ref(settings: CacheSettings, repository: str, platform: Platform | None) -> str:
    """The moving ref of the newest cache entry of the image (per platform variant)."""
    suffix = f"-{platform.tag_suffix}" if platform is not None else ""
    return f"{_cache_repository(settings, repository)}:{NEWEST}{suffix}"


@dataclass(frozen=True)
class CacheEntry:
    ref: str
    image_id: str  # the config digest: the image's ID in an engine that pulls it
    manifest: Manifest

    @property
    def repository(self) -> str:
        """The entry's repository path inside its registry."""
        return split_registry(split_ref(self.ref).repository)[1]

    @property
    def registry(self) -> str:
        return registry_key(split_registry(split_ref(self.ref).repository)[0])
