"""Copying an image from one repository to another registry-side, never through an engine.

What `publish` does with an image whose build is a hit in the remote cache and that nothing
built here needs: its manifest's blobs (config and layers) are put in the target repository,
mounted when it is the same registry (no byte moves), else streamed registry to registry, one
layer at a time; the caller then puts the manifest under its tags.
"""

from __future__ import annotations

import json
from collections.abc import Iterator

from builder.errors import RegistryError
from builder.registry import Manifest, RegistryClient


def manifest_blobs(manifest: Manifest) -> list[tuple[str, int]]:
    """(digest, size) of the config and each layer of a single-image manifest."""
    try:
        document = json.loads(manifest.body)
        descriptors = [document["config"], *document.get("layers", [])]
        return [(str(item["digest"]), int(item["size"])) for item in descriptors]
    except (ValueError, KeyError, TypeError) as error:
        raise RegistryError(f"manifest {manifest.digest} names no blobs: {error}") from None


def copy_blobs(
    source: RegistryClient,
    source_repository: str,
    manifest: Manifest,
    target: RegistryClient,
    target_repository: str,
) -> int:
    """Put every blob of `manifest` in the target repository; the bytes streamed (0 when all
    were there or mounted)."""
    same_registry = source.key == target.key
    streamed = 0
    for digest, size in manifest_blobs(manifest):
        # Within one registry a mount answers for a blob already there too: one request.
        if same_registry and target.mount_blob(target_repository, digest, source_repository):
            continue
        if target.has_blob(target_repository, digest):
            continue

        def chunks(digest: str = digest) -> Iterator[bytes]:
            return source.blob_chunks(source_repository, digest)

        target.upload_blob(target_repository, digest, size, chunks)
        streamed += size
    return streamed
