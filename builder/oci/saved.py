"""An image of the engine as the blobs of an OCI image: its config and gzip-compressed layers.

Read from the engine's `docker save` stream in one pass, as it comes: the layers come before
the config and `manifest.json` (which names them), so every layer tar is compressed into a file
of a temporary folder while the stream goes by, and memory stays bounded whatever the size of
the layers. The config is kept byte for byte: its digest is the engine's image ID.

The compression is deterministic: zlib's gzip header with no file name and mtime 0, one fixed
level, so the same image always gives the same layer digests (with the same zlib), hence the same
manifest digest; a second push then finds every blob and manifest in the registry.
"""

from __future__ import annotations

import hashlib
import io
import json
import posixpath
import tarfile
import zlib
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import IO, Any

from builder.errors import ImgbuildError
from builder.oci.documents import OCI_LAYER_GZIP, Blob, sha256_digest

# zlib's fastest level: a third of the time of its default (6) for ~5% more bytes on a Debian
# root filesystem. Part of every layer digest: changing it makes the next publish upload again.
LEVEL = 1
_GZIP = 16 + zlib.MAX_WBITS  # zlib writes a gzip header and trailer
_CHUNK = 1 << 20
_METADATA = {"repositories", "index.json", "oci-layout", "VERSION", "json"}


@dataclass(frozen=True)
class SpooledLayer:
    path: Path  # the compressed layer
    blob: Blob  # of the compressed bytes
    diff_id: str  # the digest of the uncompressed tar, as the config's rootfs lists it


@dataclass(frozen=True)
class SavedImage:
    config: bytes
    layers: tuple[SpooledLayer, ...]  # in the order of the config's rootfs.diff_ids

    @property
    def image_id(self) -> str:
        return sha256_digest(self.config)


def spool_image(stream: Iterator[bytes], folder: Path) -> SavedImage:
    """Read a `docker save` stream of one image; its layers are compressed into `folder`."""
    folder.mkdir(parents=True, exist_ok=True)
    spooled: dict[str, SpooledLayer] = {}
    links: dict[str, str] = {}  # a member that is a link -> the member it names
    small: dict[str, bytes] = {}  # top-level JSON files: manifest.json and the config
    with tarfile.open(fileobj=io.BufferedReader(_StreamFile(stream), _CHUNK), mode="r|") as tar:
        for member in tar:
            name = posixpath.normpath(member.name)
            if member.issym():
                links[name] = posixpath.normpath(
                    posixpath.join(posixpath.dirname(name), member.linkname)
                )
            elif member.islnk():
                links[name] = posixpath.normpath(member.linkname)
            elif not member.isfile() or posixpath.basename(name) in _METADATA:
                continue
            elif "/" not in name and name.endswith(".json"):
                small[name] = _read(tar, member).read()
            else:
                path = folder / f"layer-{len(spooled)}.tar.gz"
                spooled[name] = compress(_read(tar, member), path)
    return _assemble(small, spooled, links)


def compress(source: IO[bytes], target: Path) -> SpooledLayer:
    """Gzip `source` into `target` deterministically; the digests of both sides."""
    packer = zlib.compressobj(LEVEL, zlib.DEFLATED, _GZIP)
    raw, packed, size = hashlib.sha256(), hashlib.sha256(), 0
    with target.open("wb") as file:
        while True:
            chunk = source.read(_CHUNK)
            raw.update(chunk)
            out = packer.compress(chunk) if chunk else packer.flush()
            packed.update(out)
            file.write(out)
            size += len(out)
            if not chunk:
                break
    blob = Blob(OCI_LAYER_GZIP, "sha256:" + packed.hexdigest(), size)
    return SpooledLayer(target, blob, "sha256:" + raw.hexdigest())


def _assemble(
    small: dict[str, bytes], spooled: dict[str, SpooledLayer], links: dict[str, str]
) -> SavedImage:
    try:
        listed = json.loads(small["manifest.json"])
        config_name, layer_names = listed[0]["Config"], listed[0]["Layers"]
    except (KeyError, IndexError, TypeError, ValueError):
        raise ImgbuildError(
            "the engine's image export has no readable manifest.json", hint="check the engine"
        ) from None
    config = _config(posixpath.normpath(config_name), small, spooled)
    layers = []
    for layer_name in layer_names:
        name = posixpath.normpath(layer_name)
        for _ in range(len(links) + 1):  # a link may name a link
            name = links.get(name, name)
        if name not in spooled:
            raise ImgbuildError(f"the engine's image export lacks its layer {layer_name}")
        layers.append(spooled[name])
    _check_diff_ids(config, layers)
    return SavedImage(config, tuple(layers))


def _config(name: str, small: dict[str, bytes], spooled: dict[str, SpooledLayer]) -> bytes:
    """The config: a top-level JSON file, or a blob of an OCI-layout export (spooled)."""
    if name in small:
        return small[name]
    if name in spooled:
        return zlib.decompress(spooled[name].path.read_bytes(), _GZIP)
    raise ImgbuildError(f"the engine's image export lacks its config {name}")


def _check_diff_ids(config: bytes, layers: list[SpooledLayer]) -> None:
    """The layers must be the config's: a pull checks them, so a mismatch is refused here."""
    try:
        rootfs = json.loads(config).get("rootfs") or {}
        diff_ids = list(rootfs.get("diff_ids") or [])
    except (ValueError, AttributeError):
        diff_ids = None
    found = [layer.diff_id for layer in layers]
    if diff_ids != found:
        raise ImgbuildError(
            f"the engine exported layers {found} for an image whose config lists {diff_ids}",
            hint="check the engine; the image cannot be published from this export",
        )


def _read(tar: tarfile.TarFile, member: tarfile.TarInfo) -> IO[bytes]:
    file = tar.extractfile(member)
    if file is None:  # only for members that are not files, which are skipped before
        raise ImgbuildError(f"cannot read {member.name} of the engine's image export")
    return file


class _StreamFile(io.RawIOBase):
    """The chunks of an iterator read as a file, for tarfile's stream mode."""

    def __init__(self, chunks: Iterator[bytes]) -> None:
        self._chunks = chunks
        self._left = memoryview(b"")

    def readable(self) -> bool:
        return True

    def readinto(self, buffer: Any) -> int:
        while not self._left:
            chunk = next(self._chunks, None)
            if chunk is None:
                return 0
            self._left = memoryview(chunk)
        count = min(len(buffer), len(self._left))
        buffer[:count] = self._left[:count]
        self._left = self._left[count:]
        return count
