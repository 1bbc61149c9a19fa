"""Images as `docker save` writes them, made in memory, and an engine that exports them."""

from __future__ import annotations

import hashlib
import io
import json
import tarfile
from collections.abc import Iterator, Mapping, Sequence

from tests.fakes import FakeEngine


def layer_tar(files: Mapping[str, bytes]) -> bytes:
    """A layer: a tar of these files, the same bytes every time."""
    buffer = io.BytesIO()
    with tarfile.open(fileobj=buffer, mode="w", format=tarfile.PAX_FORMAT) as tar:
        for name, data in files.items():
            info = tarfile.TarInfo(name)
            info.size, info.mode, info.mtime = len(data), 0o644, 0
            tar.addfile(info, io.BytesIO(data))
    return buffer.getvalue()


def image_config(layers: Sequence[bytes], architecture: str = "amd64", **extra: str) -> bytes:
    """A config as the engine writes one (not compact, so a re-serialisation would show)."""
    document = {
        "architecture": architecture,
        "os": "linux",
        **extra,
        "config": {"Cmd": ["/bin/sh"]},
        "rootfs": {"type": "layers", "diff_ids": [digest(layer) for layer in layers]},
    }
    return json.dumps(document, indent=1).encode()


def digest(data: bytes) -> str:
    return "sha256:" + hashlib.sha256(data).hexdigest()


def saved_image(config: bytes, layers: Sequence[bytes], *, link_repeats: bool = False) -> bytes:
    """The `docker save` tar of one image: layer folders first, then the config and manifest.json
    (the engine's order). `link_repeats`: a repeated layer is a symlink to its first copy."""
    buffer = io.BytesIO()
    names = []
    first: dict[bytes, str] = {}
    with tarfile.open(fileobj=buffer, mode="w") as tar:
        for number, layer in enumerate(layers):
            folder = f"{number:064x}"
            name = f"{folder}/layer.tar"
            names.append(name)
            _add(tar, f"{folder}/VERSION", b"1.0")
            _add(tar, f"{folder}/json", b"{}")
            if link_repeats and layer in first:
                info = tarfile.TarInfo(name)
                info.type, info.linkname = tarfile.SYMTYPE, f"../{first[layer]}"
                tar.addfile(info)
            else:
                first.setdefault(layer, name)
                _add(tar, name, layer)
        config_name = digest(config).removeprefix("sha256:") + ".json"
        _add(tar, config_name, config)
        manifest = [{"Config": config_name, "RepoTags": None, "Layers": names}]
        _add(tar, "manifest.json", json.dumps(manifest).encode())
    return buffer.getvalue()


def _add(tar: tarfile.TarFile, name: str, data: bytes) -> None:
    info = tarfile.TarInfo(name)
    info.size = len(data)
    tar.addfile(info, io.BytesIO(data))


def chunks(data: bytes, size: int) -> Iterator[bytes]:
    for start in range(0, len(data), size):
        yield data[start : start + size]


class SavingEngine(FakeEngine):
    """A fake engine whose `save` streams real `docker save` tars, in uneven chunks."""

    def __init__(self) -> None:
        super().__init__()
        self.exports: dict[str, bytes] = {}
        self.saved: list[str] = []

    def add(self, config: bytes, layers: Sequence[bytes]) -> str:
        image_id = digest(config)
        self.exports[image_id] = saved_image(config, layers)
        return image_id

    def save(self, image_id: str) -> Iterator[bytes]:
        self.saved.append(image_id)
        return chunks(self.exports[image_id], 7000)
