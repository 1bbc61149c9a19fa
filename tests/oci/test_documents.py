"""The bytes of image manifests and indexes, reading an index back, and the platform check."""

from __future__ import annotations

import json

import pytest

from builder.oci.documents import (
    DOCKER_LIST,
    OCI_INDEX,
    OCI_LAYER_GZIP,
    OCI_MANIFEST,
    Blob,
    IndexEntry,
    PlatformMismatch,
    check_platform,
    config_platform,
    image_index,
    image_manifest,
    index_entries,
    platform_digests,
)
from builder.platforms import Platform
from builder.registry import Manifest
from tests.oci.helpers import digest

AMD64, ARM64, ARMV7 = (
    Platform("linux", "amd64"),
    Platform("linux", "arm64"),
    Platform("linux", "arm", "v7"),
)
A, B = "sha256:" + "a" * 64, "sha256:" + "b" * 64


def test_an_image_manifest_names_the_config_byte_for_byte_and_the_layers_in_order() -> None:
    config = b'{"architecture": "amd64"}'
    manifest = image_manifest(config, [Blob(OCI_LAYER_GZIP, B, 20), Blob(OCI_LAYER_GZIP, A, 10)])
    assert manifest.body == (
        b'{"schemaVersion":2,"mediaType":"application/vnd.oci.image.manifest.v1+json",'
        b'"config":{"mediaType":"application/vnd.oci.image.config.v1+json","size":25,'
        b'"digest":"' + digest(config).encode() + b'"},"layers":['
        b'{"mediaType":"application/vnd.oci.image.layer.v1.tar+gzip","size":20,"digest":"'
        + B.encode()
        + b'"},'
        b'{"mediaType":"application/vnd.oci.image.layer.v1.tar+gzip","size":10,"digest":"'
        + A.encode()
        + b'"}]}'
    )
    assert manifest.digest == digest(manifest.body)
    assert manifest.media_type == OCI_MANIFEST
    assert manifest.config_digest == digest(config)


def test_an_index_lists_the_platforms_in_the_order_given() -> None:
    index = image_index([IndexEntry(ARMV7, B, 300), IndexEntry(AMD64, A, 400)])
    assert json.loads(index.body) == {
        "schemaVersion": 2,
        "mediaType": OCI_INDEX,
        "manifests": [
            {
                "mediaType": OCI_MANIFEST,
                "size": 300,
                "digest": B,
                "platform": {"architecture": "arm", "os": "linux", "variant": "v7"},
            },
            {
                "mediaType": OCI_MANIFEST,
                "size": 400,
                "digest": A,
                "platform": {"architecture": "amd64", "os": "linux"},
            },
        ],
    }
    assert index.digest == digest(index.body)
    assert index.media_type == OCI_INDEX
    assert index == image_index([IndexEntry(ARMV7, B, 300), IndexEntry(AMD64, A, 400)])
    assert (
        index.digest != image_index([IndexEntry(AMD64, A, 400), IndexEntry(ARMV7, B, 300)]).digest
    )


def test_an_index_reads_back_as_its_entries() -> None:
    entries = (IndexEntry(AMD64, A, 400), IndexEntry(ARM64, B, 300))
    index = image_index(entries)
    assert index_entries(index) == entries
    assert platform_digests(index) == {"linux/amd64": A, "linux/arm64": B}


def test_a_docker_manifest_list_reads_as_an_index_with_platforms_normalised() -> None:
    body = json.dumps(
        {
            "schemaVersion": 2,
            "mediaType": DOCKER_LIST,
            "manifests": [
                {
                    "mediaType": "application/vnd.docker.distribution.manifest.v2+json",
                    "size": 5,
                    "digest": A,
                    "platform": {"architecture": "arm64", "os": "linux", "variant": "v8"},
                },
                {
                    "mediaType": "application/vnd.docker.distribution.manifest.v2+json",
                    "size": 6,
                    "digest": B,
                    "platform": {"architecture": "unknown", "os": "unknown"},
                },
            ],
        }
    ).encode()
    entries = index_entries(Manifest(digest(body), DOCKER_LIST, body))
    assert entries is not None
    assert [entry.platform for entry in entries] == [ARM64, Platform("unknown", "unknown")]


def test_an_entry_without_a_platform_is_left_out() -> None:
    body = json.dumps(
        {
            "mediaType": OCI_INDEX,
            "manifests": [
                {"mediaType": OCI_MANIFEST, "size": 5, "digest": A},
                {
                    "mediaType": OCI_MANIFEST,
                    "size": 6,
                    "digest": B,
                    "platform": {"architecture": "arm64", "os": "linux"},
                },
            ],
        }
    ).encode()
    assert index_entries(Manifest(digest(body), OCI_INDEX, body)) == (IndexEntry(ARM64, B, 6),)


@pytest.mark.parametrize(
    ("media_type", "body"),
    [
        (OCI_MANIFEST, b'{"schemaVersion":2,"config":{"digest":"sha256:c"},"layers":[]}'),
        (OCI_INDEX, b"not json"),
        (OCI_INDEX, b"[]"),
        (OCI_INDEX, b'{"manifests":{"digest":"sha256:a"}}'),
        (
            OCI_INDEX,
            b'{"manifests":[{"digest":"sha256:a","size":"1","mediaType":"x","platform":{}}]}',
        ),
    ],
)
def test_what_is_not_a_readable_index_has_no_entries(media_type: str, body: bytes) -> None:
    manifest = Manifest(digest(body), media_type, body)
    assert index_entries(manifest) is None
    assert platform_digests(manifest) == {}


@pytest.mark.parametrize(
    ("config", "platform"),
    [
        (b'{"architecture":"amd64","os":"linux"}', AMD64),
        (b'{"architecture":"arm64","os":"linux","variant":"v8"}', ARM64),
        (b'{"architecture":"arm","os":"linux","variant":"v7"}', ARMV7),
        (b'{"architecture":"arm","os":"linux"}', ARMV7),  # arm is arm/v7, as BuildKit reads it
    ],
)
def test_the_platform_of_a_config(config: bytes, platform: Platform) -> None:
    assert config_platform(config) == platform
    check_platform(config, platform, digest(config))


def test_an_amd64_image_is_never_published_as_arm64() -> None:
    config = b'{"architecture":"amd64","os":"linux"}'
    with pytest.raises(PlatformMismatch) as caught:
        check_platform(config, ARM64, digest(config))
    assert str(caught.value) == (
        f"image {digest(config)[:19]} is built for linux/amd64; it cannot be published as the "
        "linux/arm64 variant (build it for linux/arm64; an image's config names the platform it "
        "was built for)"
    )
