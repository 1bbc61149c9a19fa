"""Reading a `docker save` stream: the config byte for byte, the layers gzipped deterministically
into files, links between layers, the OCI layout of newer engines, and broken exports."""

from __future__ import annotations

import gzip
import io
import json
import os
import tarfile
from pathlib import Path

import pytest

from builder.errors import ImgbuildError
from builder.oci.documents import image_manifest
from builder.oci.saved import spool_image
from tests.oci.helpers import chunks, digest, image_config, layer_tar, saved_image

BASE = layer_tar({"bin/sh": b"#!shell\n" * 1000, "etc/passwd": b"root:x:0:0::/root:/bin/sh\n"})
APP = layer_tar({"app/run": os.urandom(300_000)})


def test_the_config_is_kept_byte_for_byte_and_the_layers_are_their_tars_gzipped(
    tmp_path: Path,
) -> None:
    config = image_config([BASE, APP])
    image = spool_image(chunks(saved_image(config, [BASE, APP]), 1000), tmp_path)
    assert image.config == config
    assert image.image_id == digest(config)
    assert [layer.diff_id for layer in image.layers] == [digest(BASE), digest(APP)]
    for layer, tar in zip(image.layers, (BASE, APP), strict=True):
        packed = layer.path.read_bytes()
        assert gzip.decompress(packed) == tar
        assert (layer.blob.digest, layer.blob.size) == (digest(packed), len(packed))
        assert layer.blob.media_type == "application/vnd.oci.image.layer.v1.tar+gzip"
        assert layer.path.parent == tmp_path


def test_the_same_image_gives_the_same_layer_and_manifest_digests(tmp_path: Path) -> None:
    config = image_config([BASE, APP])
    saved = saved_image(config, [BASE, APP])
    first = spool_image(chunks(saved, 4096), tmp_path / "one")
    second = spool_image(chunks(saved, 777), tmp_path / "two")
    assert [layer.blob for layer in first.layers] == [layer.blob for layer in second.layers]
    assert image_manifest(first.config, [layer.blob for layer in first.layers]) == image_manifest(
        second.config, [layer.blob for layer in second.layers]
    )
    header = first.layers[0].path.read_bytes()[:10]
    assert header[3] == 0  # no file name or other optional field
    assert header[4:8] == b"\0\0\0\0"  # mtime 0


def test_a_layer_repeated_as_a_link_is_the_same_blob(tmp_path: Path) -> None:
    config = image_config([BASE, APP, BASE])
    image = spool_image(iter([saved_image(config, [BASE, APP, BASE], link_repeats=True)]), tmp_path)
    assert [layer.diff_id for layer in image.layers] == [digest(BASE), digest(APP), digest(BASE)]
    assert image.layers[0] == image.layers[2]


def test_an_export_in_the_oci_layout_of_newer_engines_is_read_too(tmp_path: Path) -> None:
    config = image_config([BASE])
    buffer = io.BytesIO()
    with tarfile.open(fileobj=buffer, mode="w") as tar:
        for name, data in (
            (f"blobs/sha256/{digest(BASE)[7:]}", BASE),
            (f"blobs/sha256/{digest(config)[7:]}", config),
            ("index.json", b"{}"),
            ("oci-layout", b'{"imageLayoutVersion":"1.0.0"}'),
            (
                "manifest.json",
                json.dumps(
                    [
                        {
                            "Config": f"blobs/sha256/{digest(config)[7:]}",
                            "Layers": [f"blobs/sha256/{digest(BASE)[7:]}"],
                        }
                    ]
                ).encode(),
            ),
        ):
            info = tarfile.TarInfo(name)
            info.size = len(data)
            tar.addfile(info, io.BytesIO(data))
    image = spool_image(iter([buffer.getvalue()]), tmp_path)
    assert image.config == config
    assert [layer.diff_id for layer in image.layers] == [digest(BASE)]


def test_layers_that_are_not_the_configs_are_refused(tmp_path: Path) -> None:
    config = image_config([BASE, APP])
    with pytest.raises(ImgbuildError, match="for an image whose config lists"):
        spool_image(iter([saved_image(config, [APP, BASE])]), tmp_path)


def test_an_export_without_a_manifest_is_refused(tmp_path: Path) -> None:
    buffer = io.BytesIO()
    with tarfile.open(fileobj=buffer, mode="w") as tar:
        info = tarfile.TarInfo("repositories")
        tar.addfile(info, io.BytesIO(b""))
    with pytest.raises(ImgbuildError, match=r"no readable manifest\.json"):
        spool_image(iter([buffer.getvalue()]), tmp_path)
