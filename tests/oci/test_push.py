"""Pushing variants as an index against the fake registry (tests/fakeregistry.py): what is
uploaded, mounted or left alone, the manifests by digest, the index under no tag, progress,
refusals, and the check that a tag already names exactly these variants."""

from __future__ import annotations

import json
import os
from collections.abc import Iterator

import pytest

from builder.errors import ImgbuildError
from builder.oci.documents import OCI_INDEX, PlatformMismatch, index_entries
from builder.oci.push import BlobLedger, matches_variants, push_index
from builder.platforms import Platform
from builder.registry import RegistryClient
from builder.retry import RetryPolicy
from builder.uploads import PushProgress
from tests.fakeregistry import FakeRegistry, running
from tests.oci.helpers import SavingEngine, image_config, layer_tar

AMD64, ARM64 = Platform("linux", "amd64"), Platform("linux", "arm64")
FAST = RetryPolicy(attempts=3, backoff=0.01, timeout=5)


@pytest.fixture
def fake() -> Iterator[FakeRegistry]:
    with running(FakeRegistry()) as state:
        yield state


@pytest.fixture
def client(fake: FakeRegistry) -> Iterator[RegistryClient]:
    with RegistryClient(f"127.0.0.1:{fake.port}", None, FAST) as registry_client:
        yield registry_client


class Images:
    """An engine with an amd64 and an arm64 image sharing no layer."""

    def __init__(self) -> None:
        self.engine = SavingEngine()
        self.amd_layers = [
            layer_tar({"bin/sh": b"x86" * 5000}),
            layer_tar({"app": os.urandom(9000)}),
        ]
        self.arm_layers = [layer_tar({"bin/sh": b"arm" * 5000})]
        self.amd = self.engine.add(image_config(self.amd_layers), self.amd_layers)
        self.arm = self.engine.add(image_config(self.arm_layers, "arm64"), self.arm_layers)

    @property
    def variants(self) -> list[tuple[Platform, str]]:
        return [(AMD64, self.amd), (ARM64, self.arm)]


@pytest.fixture
def images() -> Images:
    return Images()


def test_variants_are_pushed_by_digest_and_their_index_returned_untagged(
    fake: FakeRegistry, client: RegistryClient, images: Images
) -> None:
    pushed = push_index(images.engine, client, "team/api", images.variants)
    assert pushed.uploaded == 5  # 2 configs, 3 layers
    assert pushed.mounted == 0
    assert [entry.platform for entry in pushed.manifests] == [AMD64, ARM64]
    for entry, image_id in zip(pushed.manifests, (images.amd, images.arm), strict=True):
        media_type, body = fake.manifests[("team/api", entry.digest)]
        assert media_type == "application/vnd.oci.image.manifest.v1+json"
        assert json.loads(body)["config"]["digest"] == image_id
        assert entry.size == len(body)
        for layer in json.loads(body)["layers"]:
            assert ("team/api", layer["digest"]) in fake.blobs
    assert {reference for _, reference in fake.manifests} == {
        entry.digest for entry in pushed.manifests
    }  # nothing under a tag, and the index is not in the registry yet
    assert pushed.index.media_type == OCI_INDEX
    assert index_entries(pushed.index) == pushed.manifests
    assert pushed.platform_digests() == {
        "linux/amd64": pushed.manifests[0].digest,
        "linux/arm64": pushed.manifests[1].digest,
    }


def test_a_second_push_of_the_same_variants_uploads_and_puts_nothing(
    fake: FakeRegistry, client: RegistryClient, images: Images
) -> None:
    first = push_index(images.engine, client, "team/api", images.variants)
    fake.log.clear()
    second = push_index(images.engine, client, "team/api", images.variants)
    assert second.index == first.index
    assert (second.uploaded, second.mounted) == (0, 0)
    assert {method for method, _ in fake.log} == {"HEAD", "GET"}


def test_a_layer_another_repository_received_is_mounted_not_uploaded(
    fake: FakeRegistry, client: RegistryClient, images: Images
) -> None:
    ledger = BlobLedger()
    push_index(images.engine, client, "team/base", [(ARM64, images.arm)], ledger=ledger)
    fake.log.clear()
    pushed = push_index(images.engine, client, "team/api", images.variants, ledger=ledger)
    assert (pushed.uploaded, pushed.mounted) == (3, 2)  # the arm64 config and layer: mounted
    assert fake.count("POST", "mount=") == 2
    assert fake.count("POST", "from=team/base") == 2


def test_a_declined_mount_falls_back_to_an_upload(
    fake: FakeRegistry, client: RegistryClient, images: Images
) -> None:
    ledger = BlobLedger()
    push_index(images.engine, client, "team/base", [(ARM64, images.arm)], ledger=ledger)
    fake.refuse_mounts = True
    pushed = push_index(images.engine, client, "team/api", images.variants, ledger=ledger)
    assert (pushed.uploaded, pushed.mounted) == (5, 0)
    assert fake.count("DELETE", "/blobs/uploads/") == 2
    for entry in pushed.manifests:
        for layer in json.loads(fake.manifests[("team/api", entry.digest)][1])["layers"]:
            assert ("team/api", layer["digest"]) in fake.blobs


def test_progress_counts_the_layers_and_the_bytes_uploaded(
    client: RegistryClient, images: Images
) -> None:
    events: list[PushProgress] = []
    pushed = push_index(
        images.engine, client, "team/api", images.variants, on_progress=events.append, ref="r:1"
    )
    last = events[-1]
    assert {event.ref for event in events} == {"r:1"}
    assert (last.layers_done, last.layers) == (3, 3)
    assert last.bytes_done == last.bytes_total > 0
    assert [event.layers_done for event in events] == sorted(event.layers_done for event in events)
    events.clear()
    push_index(images.engine, client, "team/api", images.variants, on_progress=events.append)
    assert [(event.layers_done, event.bytes_total) for event in events] == [(1, 0), (2, 0), (3, 0)]
    assert pushed.uploaded == 5


def test_an_image_whose_config_names_another_platform_is_refused_before_any_request(
    fake: FakeRegistry, client: RegistryClient, images: Images
) -> None:
    with pytest.raises(
        PlatformMismatch,
        match="is built for linux/amd64; it cannot be published as the linux/arm64",
    ):
        push_index(images.engine, client, "team/api", [(ARM64, images.amd)])
    assert fake.log == []


def test_a_platform_listed_twice_is_refused(client: RegistryClient, images: Images) -> None:
    with pytest.raises(ImgbuildError, match="lists platform linux/amd64 more than once"):
        push_index(images.engine, client, "team/api", [(AMD64, images.amd), (AMD64, images.amd)])
    with pytest.raises(ImgbuildError, match="at least one platform"):
        push_index(images.engine, client, "team/api", [])


def test_the_check_tells_whether_a_tag_already_names_exactly_these_variants(
    client: RegistryClient, images: Images
) -> None:
    pushed = push_index(images.engine, client, "team/api", images.variants)
    client.put_manifest("team/api", "1.0.0", pushed.index)
    current = client.get_manifest("team/api", "1.0.0")
    assert current is not None and current.digest == pushed.index.digest
    assert matches_variants(client, "team/api", current, images.variants)
    changed = images.engine.add(
        image_config(images.arm_layers, "arm64", author="new"), images.arm_layers
    )
    assert not matches_variants(
        client, "team/api", current, [(AMD64, images.amd), (ARM64, changed)]
    )
    assert not matches_variants(client, "team/api", current, list(reversed(images.variants)))
    assert not matches_variants(client, "team/api", current, images.variants[:1])
    assert not matches_variants(client, "team/api", None, images.variants)
    child = client.get_manifest("team/api", pushed.manifests[0].digest)
    assert not matches_variants(client, "team/api", child, images.variants[:1])
