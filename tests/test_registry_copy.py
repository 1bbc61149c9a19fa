"""Copying an image registry-side: blobs mounted within one registry, streamed between two,
nothing sent for blobs already there."""

from __future__ import annotations

import hashlib
import json

from builder.registry import Manifest, RegistryClient
from builder.registry_copy import copy_blobs, manifest_blobs
from tests.fakeregistry import FakeRegistry, running

LAYER = b"layer bytes" * 1000
CONFIG = b'{"architecture": "amd64"}'


def _digest(data: bytes) -> str:
    return "sha256:" + hashlib.sha256(data).hexdigest()


def _manifest() -> Manifest:
    body = json.dumps(
        {
            "schemaVersion": 2,
            "config": {"digest": _digest(CONFIG), "size": len(CONFIG)},
            "layers": [{"digest": _digest(LAYER), "size": len(LAYER)}],
        }
    ).encode()
    return Manifest(_digest(body), "application/vnd.docker.distribution.manifest.v2+json", body)


def _seed(fake: FakeRegistry, repository: str) -> None:
    fake.blobs[(repository, _digest(CONFIG))] = CONFIG
    fake.blobs[(repository, _digest(LAYER))] = LAYER


def test_the_blobs_of_a_manifest_are_its_config_and_layers() -> None:
    assert manifest_blobs(_manifest()) == [
        (_digest(CONFIG), len(CONFIG)),
        (_digest(LAYER), len(LAYER)),
    ]


def test_within_one_registry_blobs_are_mounted() -> None:
    with running(FakeRegistry()) as fake:
        _seed(fake, "cache/api")
        client = RegistryClient(f"127.0.0.1:{fake.port}", None)
        streamed = copy_blobs(client, "cache/api", _manifest(), client, "rel/api")
        assert streamed == 0
        assert fake.blobs[("rel/api", _digest(LAYER))] == LAYER
        assert fake.count("POST", "mount=") == 2 and fake.count("PUT", "/blobs/uploads/") == 0


def test_between_registries_blobs_are_streamed_and_what_is_there_is_skipped() -> None:
    with running(FakeRegistry()) as source, running(FakeRegistry()) as target:
        _seed(source, "cache/api")
        target.blobs[("rel/api", _digest(CONFIG))] = CONFIG  # already there
        source_client = RegistryClient(f"127.0.0.1:{source.port}", None)
        target_client = RegistryClient(f"127.0.0.1:{target.port}", None)
        streamed = copy_blobs(source_client, "cache/api", _manifest(), target_client, "rel/api")
        assert streamed == len(LAYER)
        assert target.blobs[("rel/api", _digest(LAYER))] == LAYER
        assert target.count("POST", "mount=") == 0
