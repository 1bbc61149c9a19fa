"""`verify_image` of an index against the fake registry, with and without the referrers API: each
platform checked, and a missing or bad platform signature named by its platform."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from cryptography.hazmat.primitives.asymmetric import ec

from builder.credentials import Lookup
from builder.supply.verify import verify_image
from tests.fakeregistry import FakeRegistry
from tests.supply.test_publisher import REPOSITORY, Published, fake

__all__ = ["fake"]  # the fixture: the fake registry, with and without the referrers API


@pytest.fixture
def published(fake: FakeRegistry, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Published:
    monkeypatch.setattr("builder.registry.find_credentials", lambda _: Lookup(None))
    published = Published(fake, tmp_path)
    published.run()
    return published


def test_an_index_is_verified_with_each_platform(published: Published) -> None:
    public = published.private.public_key()
    result = verify_image(f"{published.host}/{REPOSITORY}@{published.index}", public)
    assert result.ok, result.lines()
    assert [(each.platform, each.digest) for each in result.platforms] == [
        ("linux/amd64", published.amd),
        ("linux/arm64", published.arm),
    ]
    arm = result.platforms[1]
    assert arm.provenance is not None and arm.provenance["platform"] == "linux/arm64"
    assert arm.provenance["signature"] == "provenance signed by the key"
    assert arm.provenance["bases"] == ["local/busybox:1-linux-arm64 sha256:" + "a" * 64]
    assert arm.sbom == {"generic": 1}
    assert result.provenance is not None
    assert result.provenance["manifests"] == {
        "linux/amd64": published.amd,
        "linux/arm64": published.arm,
    }
    document = result.document()
    assert [each["platform"] for each in document["platforms"]] == ["linux/amd64", "linux/arm64"]
    assert all(each["verified"] for each in document["platforms"])


def test_a_missing_platform_signature_is_named_by_its_platform(published: Published) -> None:
    fake = published.fake
    tag = published.arm.replace(":", "-") + ".sig"
    del fake.manifests[(REPOSITORY, tag)]
    for key in [key for key, (_, body) in fake.manifests.items() if b'"subject"' in body]:
        if json.loads(fake.manifests[key][1])["subject"]["digest"] == published.arm:
            del fake.manifests[key]  # its referrers too, where the fake offers the API
    result = verify_image(
        f"{published.host}/{REPOSITORY}@{published.index}", published.private.public_key()
    )
    assert not result.ok
    assert result.problems == ()  # the index itself is signed
    lines = result.lines()
    assert lines[0].startswith("NOT verified: ")
    assert lines[0].endswith("(platforms not verified: linux/arm64)")
    assert (
        f"  linux/arm64: missing signature: {published.host}/{REPOSITORY}:{tag} has none" in lines
    )
    assert result.document()["platforms"][1]["verified"] is False


def test_another_key_fails_every_platform(published: Published) -> None:
    other = ec.generate_private_key(ec.SECP256R1()).public_key()
    result = verify_image(f"{published.host}/{REPOSITORY}@{published.index}", other)
    assert not result.ok
    lines = result.lines()
    for platform in ("linux/amd64", "linux/arm64"):
        assert (
            f"  {platform}: bad signature (layer 1): the signature does not verify with the key"
            in lines
        )
