"""Publishing an image's platform variants as one OCI image index, against the registry.

The engine pushes one image per tag; an index naming several platforms is put together here:

1. each variant is exported from the engine (`docker save`, the variants side by side) and its
   layers compressed into a temporary folder; its config must name the platform it is
   published as, so an amd64 image is never published as arm64;
2. every blob the repository lacks is mounted from another repository of the registry known to
   have it (a `BlobLedger` remembers where blobs were seen during a publish), else uploaded,
   streamed from its file;
3. each platform's manifest is put by digest (nothing when the registry has it);
4. the index is built and returned under no tag: the caller puts it under its tags, in its own
   order (immutable ones first).

`matches_variants` is the cheap check that lets a second publish push nothing: does what a tag
points at already name exactly these variants? One GET per platform, no layer work.
"""

from __future__ import annotations

import os
import tempfile
from collections.abc import Callable, Iterable, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from builder.errors import ImgbuildError, RegistryError
from builder.oci.documents import (
    OCI_CONFIG,
    Blob,
    IndexEntry,
    check_platform,
    image_index,
    image_manifest,
    index_entries,
    platform_digests,
    sha256_digest,
)
from builder.oci.saved import SavedImage, spool_image
from builder.platforms import Platform
from builder.registry import BlobSource, Manifest, RegistryClient
from builder.uploads import OnPushProgress, PushProgress

if TYPE_CHECKING:
    from builder.builders import ContainerEngine

Variant = tuple[Platform, str]  # a platform and the ID of its local image


class BlobLedger:
    """Where blobs were seen during a publish: digest -> a repository of one registry."""

    def __init__(self) -> None:
        self._where: dict[str, str] = {}

    def record(self, digest: str, repository: str) -> None:
        self._where.setdefault(digest, repository)

    def where(self, digest: str) -> str | None:
        return self._where.get(digest)


@dataclass(frozen=True)
class PushedIndex:
    index: Manifest  # under no tag yet
    manifests: tuple[IndexEntry, ...]  # each platform's manifest, in the order of the variants
    uploaded: int  # blobs uploaded
    mounted: int  # blobs mounted from another repository; the others were in place

    def platform_digests(self) -> dict[str, str]:
        """`{"linux/amd64": "sha256:...", ...}`, for the metadata file."""
        return platform_digests(self.index)


def push_index(
    engine: ContainerEngine,
    client: RegistryClient,
    repository: str,
    variants: Sequence[Variant],
    *,
    ledger: BlobLedger | None = None,
    on_progress: OnPushProgress | None = None,
    ref: str = "",
) -> PushedIndex:
    """Put every variant's blobs and manifest in `repository`; return their index, untagged.

    `ledger` is shared by the pushes of one publish to one registry, so a layer another
    repository received is mounted, not uploaded again. `on_progress` hears of the layers as
    they are found, mounted or uploaded, named `ref` (default: the repository).
    """
    _check_variants(variants)
    ledger = ledger or BlobLedger()
    with tempfile.TemporaryDirectory(prefix="imgbuild-index-") as scratch:
        images = _spool(engine, variants, Path(scratch))
        manifests = [
            image_manifest(image.config, [layer.blob for layer in image.layers]) for image in images
        ]
        progress = _Progress(ref or repository, on_progress)
        uploaded, mounted = _place_blobs(client, repository, _blobs(images), ledger, progress)
        for manifest in manifests:
            put_by_digest(client, repository, manifest)
    entries = tuple(
        IndexEntry(platform, manifest.digest, len(manifest.body))
        for (platform, _), manifest in zip(variants, manifests, strict=True)
    )
    return PushedIndex(image_index(entries), entries, uploaded, mounted)


def matches_variants(
    client: RegistryClient, repository: str, current: Manifest | None, variants: Sequence[Variant]
) -> bool:
    """Whether `current` (what a tag points at) is the index `push_index` makes of `variants`.

    True when it is an index in this module's form whose entries are these platforms, in this
    order, and whose manifests' configs are these images: one GET per platform, no layer work.
    """
    entries = index_entries(current) if current is not None else None
    if current is None or entries is None or image_index(entries).digest != current.digest:
        return False
    if [entry.platform for entry in entries] != [platform for platform, _ in variants]:
        return False
    for entry, (_, image_id) in zip(entries, variants, strict=True):
        child = client.get_manifest(repository, entry.digest)
        if child is None or child.config_digest != image_id:
            return False
    return True


def _check_variants(variants: Sequence[Variant]) -> None:
    platforms = [platform for platform, _ in variants]
    if not platforms:
        raise ImgbuildError("an image index needs at least one platform")
    twice = sorted({str(platform) for platform in platforms if platforms.count(platform) > 1})
    if twice:
        raise ImgbuildError(f"an image index lists platform {', '.join(twice)} more than once")


def _spool(engine: ContainerEngine, variants: Sequence[Variant], scratch: Path) -> list[SavedImage]:
    """Every variant exported and compressed, side by side (zlib works outside the GIL)."""

    def spool(numbered: tuple[int, Variant]) -> SavedImage:
        number, (platform, image_id) = numbered
        image = spool_image(engine.save(image_id), scratch / str(number))
        if image.image_id != image_id:
            raise ImgbuildError(
                f"the engine exported image {image.image_id[:19]} when asked for {image_id[:19]}"
            )
        check_platform(image.config, platform, image_id)
        return image

    workers = min(len(variants), os.cpu_count() or 1)
    with ThreadPoolExecutor(max_workers=workers) as pool:
        return list(pool.map(spool, enumerate(variants)))


@dataclass(frozen=True)
class _Upload:
    blob: Blob
    source: BlobSource
    layer: bool  # counted in the progress (configs are not, as in the engine's)


def _blobs(images: Sequence[SavedImage]) -> list[_Upload]:
    """Every distinct blob of the images: configs and layers."""
    found: dict[str, _Upload] = {}
    for image in images:
        config = Blob(OCI_CONFIG, sha256_digest(image.config), len(image.config))
        found.setdefault(config.digest, _Upload(config, _bytes(image.config), layer=False))
        for layer in image.layers:
            found.setdefault(layer.blob.digest, _Upload(layer.blob, layer.path, layer=True))
    return list(found.values())


def _bytes(data: bytes) -> Callable[[], Iterable[bytes]]:
    return lambda: (data,)


def _place_blobs(
    client: RegistryClient,
    repository: str,
    uploads: Sequence[_Upload],
    ledger: BlobLedger,
    progress: _Progress,
) -> tuple[int, int]:
    """Blobs found or mounted first (so the bytes to upload are known), then uploaded."""
    progress.layers = sum(1 for upload in uploads if upload.layer)
    missing, mounted = [], 0
    for upload in uploads:
        digest = upload.blob.digest
        if not client.has_blob(repository, digest):
            other = ledger.where(digest)
            if other is None or other == repository:
                missing.append(upload)
                continue
            if not client.mount_blob(repository, digest, other):
                missing.append(upload)
                continue
            mounted += 1
        ledger.record(digest, repository)
        progress.layer_done(upload, 0)
    progress.bytes_total = sum(upload.blob.size for upload in missing if upload.layer)
    for upload in missing:
        blob = upload.blob
        client.upload_blob(repository, blob.digest, blob.size, upload.source, progress.sent(upload))
        ledger.record(blob.digest, repository)
        progress.layer_done(upload, blob.size)
    return len(missing), mounted


def put_by_digest(client: RegistryClient, repository: str, manifest: Manifest) -> None:
    """Put `manifest` in `repository` under its digest, unless it is there."""
    if client.get_manifest(repository, manifest.digest) is not None:
        return
    digest = client.put_manifest(repository, manifest.digest, manifest)
    if digest != manifest.digest:
        raise RegistryError(
            f"registry {client.key} stored the manifest {manifest.digest} of {repository} "
            f"as {digest}"
        )


class _Progress:
    """The upload's `PushProgress`: layers in place out of all, bytes sent out of those to send."""

    def __init__(self, ref: str, on_progress: OnPushProgress | None) -> None:
        self.ref, self.on_progress = ref, on_progress
        self.layers = self.layers_done = self.bytes_total = self.bytes_done = 0

    def layer_done(self, upload: _Upload, uploaded: int) -> None:
        if upload.layer:
            self.layers_done += 1
            self.bytes_done += uploaded
            self._emit(self.bytes_done)

    def sent(self, upload: _Upload) -> Callable[[int], None] | None:
        """What hears an upload's bytes so far (they restart at 0 when the upload is retried)."""
        if not upload.layer or self.on_progress is None:
            return None
        return lambda sent: self._emit(self.bytes_done + sent)

    def _emit(self, bytes_done: int) -> None:
        if self.on_progress is not None:
            self.on_progress(
                PushProgress(self.ref, self.layers_done, self.layers, bytes_done, self.bytes_total)
            )
