"""The attach hook on an index of two platforms, against the fake registry with and without the
OCI referrers API: what is signed, attested and given an SBOM, where, and nothing the second
time. The signatures are checked here with `cryptography` directly, not imgbuild's checks."""

from __future__ import annotations

import base64
import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.asymmetric import ec

from builder.oci.documents import (
    OCI_INDEX,
    OCI_MANIFEST,
    IndexEntry,
    compact_json,
    image_index,
    sha256_digest,
)
from builder.platforms import Platform
from builder.publish import RefResult, RefStatus
from builder.publish_plan import Target
from builder.registry import RegistryClient
from builder.retry import RetryPolicy
from builder.supply.keys import SigningKey
from builder.supply.options import SupplyOptions
from builder.supply.provenance import BuildFacts
from builder.supply.publisher import SupplyChain
from builder.tags import Tag, TagKind
from tests.fakeregistry import FakeRegistry, running

REPOSITORY = "team/app"
SIG_TYPE = "application/vnd.dev.cosign.artifact.sig.v1+json"


@pytest.fixture(params=[False, True], ids=["tag-schema", "referrers-api"])
def fake(request: pytest.FixtureRequest) -> Iterator[FakeRegistry]:
    with running(FakeRegistry()) as state:
        state.referrers = request.param
        yield state


def put(fake: FakeRegistry, media_type: str, document: dict[str, Any]) -> str:
    body = compact_json(document)
    digest = sha256_digest(body)
    fake.manifests[(REPOSITORY, digest)] = (media_type, body)
    return digest


def facts(image: str, platform: str | None) -> BuildFacts:
    arch = (platform or "linux/amd64").rpartition("/")[2]
    return BuildFacts(
        image=image,
        source={"repository": "https://example.test/app.git", "commit": "c0ffee", "dirty": False},
        config=("imgbuild.toml", "0" * 64),
        dockerfile=("app/Dockerfile", "1" * 64),
        args={},
        secret_names=(),
        target=None,
        bases={f"local/busybox:1-linux-{arch}": "sha256:" + arch[0] * 64},
        input_digest="sha256:input-" + arch,
        builder="buildkit",
        engine_version="20.10",
        started=1.0,
        finished=2.0,
        platform=platform or "linux/amd64",
    )


class Published:
    def __init__(self, fake: FakeRegistry, tmp_path: Path) -> None:
        self.fake = fake
        self.amd = put(fake, OCI_MANIFEST, {"mediaType": OCI_MANIFEST, "arch": "amd64"})
        self.arm = put(fake, OCI_MANIFEST, {"mediaType": OCI_MANIFEST, "arch": "arm64"})
        entries = [
            IndexEntry(
                Platform("linux", arch), digest, len(fake.manifests[(REPOSITORY, digest)][1])
            )
            for arch, digest in (("amd64", self.amd), ("arm64", self.arm))
        ]
        index = image_index(entries)
        fake.manifests[(REPOSITORY, index.digest)] = (OCI_INDEX, index.body)
        self.index = index.digest
        self.host = f"127.0.0.1:{fake.port}"
        target = Target("app", self.host, REPOSITORY, Tag("1.0", TagKind.VERSION, "test"))
        platforms = {"linux/amd64": self.amd, "linux/arm64": self.arm}
        self.result = RefResult(target, RefStatus.PUSHED, self.index, platforms=platforms)
        self.private = ec.generate_private_key(ec.SECP256R1())
        self.out = tmp_path
        self.notes: list[str] = []
        options = SupplyOptions(
            key=SigningKey(self.private, "test"),
            provenance_dir=tmp_path / "provenance",
            sbom=True,
            sbom_dir=tmp_path / "sbom",
        )
        self.chain = SupplyChain(options, facts, self.notes.append, self.sbom)

    @staticmethod
    def sbom(image: str, platform: str | None) -> bytes:
        purl = f"pkg:generic/busybox@1.35.0?arch={(platform or '').rpartition('/')[2]}"
        package = {
            "name": "busybox",
            "externalRefs": [{"referenceType": "purl", "referenceLocator": purl}],
        }
        document = {"spdxVersion": "SPDX-2.3", "name": f"{image} {platform}", "packages": [package]}
        return json.dumps(document).encode()

    def run(self) -> None:
        with RegistryClient(self.host, None, RetryPolicy(attempts=2, backoff=0.01)) as client:
            self.chain(self.result, client)

    def manifest(self, reference: str) -> dict[str, Any] | None:
        found = self.fake.manifests.get((REPOSITORY, reference))
        return json.loads(found[1]) if found else None

    def layer(self, digest: str, suffix: str) -> tuple[dict[str, Any], bytes]:
        manifest = self.manifest(digest.replace(":", "-") + "." + suffix)
        assert manifest is not None, f"no {suffix} for {digest}"
        (layer,) = manifest["layers"]
        return layer, self.fake.blobs[(REPOSITORY, layer["digest"])]

    def statement(self, digest: str) -> dict[str, Any]:
        _, envelope = self.layer(digest, "att")
        result: dict[str, Any] = json.loads(base64.b64decode(json.loads(envelope)["payload"]))
        return result


def test_each_platform_and_the_index_are_signed_and_attested(
    fake: FakeRegistry, tmp_path: Path
) -> None:
    published = Published(fake, tmp_path)
    published.run()
    public = published.private.public_key()
    for digest in (published.amd, published.arm, published.index):
        layer, payload = published.layer(digest, "sig")
        assert json.loads(payload)["critical"]["image"]["docker-manifest-digest"] == digest
        signature = base64.b64decode(layer["annotations"]["dev.cosignproject.cosign/signature"])
        public.verify(signature, payload, ec.ECDSA(hashes.SHA256()))

    arm = published.statement(published.arm)
    assert arm["subject"][0]["digest"]["sha256"] == published.arm.partition(":")[2]
    definition = arm["predicate"]["buildDefinition"]
    assert definition["externalParameters"]["platform"] == "linux/arm64"
    assert definition["internalParameters"]["inputDigest"] == "sha256:input-arm64"
    uris = [dep["uri"] for dep in definition["resolvedDependencies"]]
    assert "docker-image://local/busybox:1-linux-arm64" in uris

    index = published.statement(published.index)["predicate"]["buildDefinition"]
    assert index["externalParameters"]["platforms"] == ["linux/amd64", "linux/arm64"]
    assert index["internalParameters"]["inputDigest"] is None
    named = {
        dep["annotations"]["platform"]: "sha256:" + dep["digest"]["sha256"]
        for dep in index["resolvedDependencies"]
        if "annotations" in dep
    }
    assert named == {"linux/amd64": published.amd, "linux/arm64": published.arm}
    assert not any("busybox" in dep["uri"] for dep in index["resolvedDependencies"])
    assert published.notes[-1].startswith(f"attested   {published.host}/{REPOSITORY}@")


def test_each_platform_has_its_own_sbom_and_files_do_not_collide(
    fake: FakeRegistry, tmp_path: Path
) -> None:
    published = Published(fake, tmp_path)
    published.run()
    for digest, platform in ((published.amd, "linux/amd64"), (published.arm, "linux/arm64")):
        layer, document = published.layer(digest, "sbom")
        assert layer["mediaType"] == "text/spdx+json"
        assert json.loads(document)["name"] == f"app {platform}"
    assert published.manifest(published.index.replace(":", "-") + ".sbom") is None
    assert sorted(path.name for path in (tmp_path / "sbom").iterdir()) == [
        "app.linux-amd64.spdx.json",
        "app.linux-arm64.spdx.json",
    ]
    assert sorted(path.name for path in (tmp_path / "provenance").iterdir()) == sorted(
        [
            f"app.linux-amd64.{published.amd.replace(':', '-')}.intoto.json",
            f"app.linux-arm64.{published.arm.replace(':', '-')}.intoto.json",
            f"app.{published.index.replace(':', '-')}.intoto.json",
        ]
    )


def test_referrers_are_pushed_only_where_the_registry_offers_the_api(
    fake: FakeRegistry, tmp_path: Path
) -> None:
    published = Published(fake, tmp_path)
    published.run()
    # Asked once per digest, whatever the answer.
    assert fake.count("GET", "/referrers/") == 3
    referrers = [
        document
        for _, body in fake.manifests.values()
        if "subject" in (document := json.loads(body))
    ]
    if not fake.referrers:
        assert referrers == []
        return
    kinds = {(document["subject"]["digest"], document["artifactType"]) for document in referrers}
    for digest in (published.amd, published.arm):
        for suffix in ("sig", "att", "sbom"):
            assert (digest, f"application/vnd.dev.cosign.artifact.{suffix}.v1+json") in kinds
    assert (published.index, SIG_TYPE) in kinds
    assert len(kinds) == len(referrers) == 8  # 3 per platform, sig and att for the index
    for document in referrers:
        subject = document["subject"]
        tag_layer, _ = published.layer(subject["digest"], document["artifactType"].split(".")[-2])
        assert document["layers"] == [tag_layer]  # the very layer of the cosign tag
        assert document["config"] == {
            "mediaType": "application/vnd.oci.empty.v1+json",
            "size": 2,
            "digest": sha256_digest(b"{}"),
        }
        assert subject["size"] == len(fake.manifests[(REPOSITORY, subject["digest"])][1])


def test_a_second_run_adds_nothing(fake: FakeRegistry, tmp_path: Path) -> None:
    published = Published(fake, tmp_path)
    published.run()
    puts = fake.count("PUT", "/manifests/")
    published.notes.clear()
    published.run()
    assert fake.count("PUT", "/manifests/") == puts
    assert len(published.notes) == 8
    assert all(" already " in note for note in published.notes), published.notes
    assert any(note.endswith("(linux/arm64)") for note in published.notes)
