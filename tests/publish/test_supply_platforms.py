"""`publish --sign-key --sbom` of a base and a dependent built for linux/amd64 and linux/arm64,
against the real engine (arm64 under qemu), Syft and an htpasswd registry (distribution 2.8,
which has no referrers API: the cosign tags are the only attachments).

Each index and each platform manifest is signed (checked by `cosign_verify`, which shares no
code with imgbuild), each platform manifest has its own provenance and an SBOM Syft made from
that platform's image, `verify` passes and then names linux/arm64 once its signature is
tampered with, and a second publish adds nothing."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from realparts import Registry

from builder.cli import run
from builder.credentials import find_credentials
from builder.registry import RegistryClient
from tests.build.platform_project import two_platform_project
from tests.publish.test_publish import env_credentials
from tests.publish.test_supply import cosign_verify, read_attestation, signing, tamper_signature

pytestmark = [pytest.mark.engine, pytest.mark.registry]
__all__ = ["signing"]  # the fixture, shared with test_supply.py

OCI = "application/vnd.oci.image.manifest.v1+json"
TAGS = '\n[tags]\nsha = false\nbranch = false\nversion = false\nlatest = false\nraw = ["r1"]\n'
SIGN = ("--sign-key", "env:IMGBUILD_TEST_SIGN_KEY")


def _publish(
    config: Path, registry: Registry, capsys: pytest.CaptureFixture[str], *args: str
) -> tuple[str, dict[str, Any]]:
    metadata = config.parent / "published.json"
    capsys.readouterr()
    options = ["--registry", registry.address, "--progress", "plain", *SIGN, *args]
    code = run(["-f", str(config), "publish", "--metadata-file", str(metadata), *options])
    captured = capsys.readouterr()
    output = captured.out + captured.err
    assert code == 0, output
    images: dict[str, Any] = json.loads(metadata.read_text())["images"]
    return output, images


def _attachment_tags(registry: Registry, repository: str) -> dict[str, str | None]:
    """Every cosign tag of the repository -> the digest it names."""
    status, _, body = registry.request(f"/v2/{repository}/tags/list")
    assert status == 200
    tags = [tag for tag in json.loads(body)["tags"] if tag.startswith("sha256-")]
    return {tag: registry.digest(repository, tag) for tag in tags}


def _sbom(registry: Registry, repository: str, digest: str) -> dict[str, Any]:
    tag = digest.replace(":", "-") + ".sbom"
    status, _, body = registry.request(f"/v2/{repository}/manifests/{tag}", accept=OCI)
    assert status == 200, f"no {tag}"
    (layer,) = json.loads(body)["layers"]
    assert layer["mediaType"] == "text/spdx+json"
    _, _, blob = registry.request(f"/v2/{repository}/blobs/{layer['digest']}")
    document: dict[str, Any] = json.loads(blob)
    return document


def _architectures(document: dict[str, Any]) -> set[str]:
    """The `arch` qualifiers of the purls Syft gives the image it scanned."""
    purls = [
        ref["referenceLocator"]
        for package in document["packages"]
        for ref in package.get("externalRefs") or []
        if ref.get("referenceType") == "purl"
    ]
    return {
        part.removeprefix("arch=")
        for purl in purls
        for part in purl.partition("?")[2].split("&")
        if part.startswith("arch=")
    }


def test_every_platform_is_signed_attested_and_scanned_then_verified(
    tmp_path: Path,
    auth_registry: Registry,
    arm64_busybox_image: str,
    docker_client: Any,
    unique_name: str,
    signing: tuple[str, Any, Path],
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    _, public, public_file = signing
    registry = auth_registry
    env_credentials(monkeypatch, registry, str(registry.password))
    config = two_platform_project(tmp_path / "project", unique_name)
    config.write_text(config.read_text() + TAGS)
    out = tmp_path / "out"
    dirs = ("--sbom-dir", str(out / "sbom"), "--provenance-dir", str(out / "provenance"))
    output, images = _publish(config, registry, capsys, *dirs)

    for name in ("base", "app"):
        repository = f"{unique_name}/{name}"
        platforms = images[name]["platforms"]
        assert set(platforms) == {"linux/amd64", "linux/arm64"}
        for digest in (images[name]["digest"], *platforms.values()):
            assert cosign_verify(registry, repository, digest, public) == [], (name, digest)
        for platform, digest in platforms.items():
            assert f"signed     {registry.address}/{repository}@{digest} ({platform})" in output
            assert _architectures(_sbom(registry, repository, digest)) == {
                platform.partition("/")[2]
            }
            _, statement = read_attestation(registry, repository, digest)
            definition = json.loads(statement)["predicate"]["buildDefinition"]
            assert definition["externalParameters"]["platform"] == platform
        # The index: signed and attested, its platform manifests its dependencies; no SBOM.
        _, statement = read_attestation(registry, repository, images[name]["digest"])
        dependencies = json.loads(statement)["predicate"]["buildDefinition"]["resolvedDependencies"]
        assert {
            dep["annotations"]["platform"]: f"sha256:{dep['digest']['sha256']}"
            for dep in dependencies
            if "annotations" in dep
        } == platforms
        index_sbom = images[name]["digest"].replace(":", "-") + ".sbom"
        assert registry.digest(repository, index_sbom) is None

    # The arm64 variant of base was built on the arm64 busybox, app's on base's arm64 variant.
    base_arm = images["base"]["platforms"]["linux/arm64"]
    _, statement = read_attestation(registry, f"{unique_name}/base", base_arm)
    busybox_arm = docker_client.images.get(arm64_busybox_image).id
    assert {
        "uri": f"docker-image://{arm64_busybox_image}",
        "digest": {"sha256": busybox_arm.partition(":")[2]},
    } in json.loads(statement)["predicate"]["buildDefinition"]["resolvedDependencies"]
    _, statement = read_attestation(
        registry, f"{unique_name}/app", images["app"]["platforms"]["linux/arm64"]
    )
    _, _, body = registry.request(f"/v2/{unique_name}/base/manifests/{base_arm}", accept=OCI)
    base_arm_id = json.loads(body)["config"]["digest"]
    assert {"uri": "docker-image://image:base", "digest": {"sha256": base_arm_id[7:]}} in (
        json.loads(statement)["predicate"]["buildDefinition"]["resolvedDependencies"]
    )

    # Files per platform, none overwriting another.
    assert sorted(path.name for path in (out / "sbom").iterdir()) == [
        f"{name}.linux-{arch}.spdx.json" for name in ("app", "base") for arch in ("amd64", "arm64")
    ]
    assert len(list((out / "provenance").iterdir())) == 6  # 2 platforms and the index, twice

    # distribution 2.8 has no referrers API: nothing was pushed with a subject.
    app = f"{unique_name}/app"
    status, _, _ = registry.request(f"/v2/{app}/referrers/{images['app']['digest']}")
    assert status == 404
    lookup = find_credentials(registry.address)
    with RegistryClient(registry.address, lookup.credentials) as client:
        assert client.list_referrers(app, images["app"]["digest"]) is None
    before = _attachment_tags(registry, app)
    assert len(before) == 8  # sig and att of the index, sig, att and sbom of each platform

    ref = f"{registry.address}/{app}:r1"
    assert run(["verify", ref, "--key", str(public_file)]) == 0
    shown = capsys.readouterr().out
    assert f"verified: {registry.address}/{app}@{images['app']['digest']}" in shown
    for platform, digest in images["app"]["platforms"].items():
        assert f"{platform}: verified {digest}" in shown
    assert run(["verify", ref, "--key", str(public_file), "--format", "json"]) == 0
    document = json.loads(capsys.readouterr().out)
    assert [
        (each["platform"], each["verified"], each["provenance"]["platform"])
        for each in document["platforms"]
    ] == [("linux/amd64", True, "linux/amd64"), ("linux/arm64", True, "linux/arm64")]

    # Unchanged: everything is in place, nothing is added.
    output, again = _publish(config, registry, capsys, "--sbom")
    assert again["app"]["status"] == "unchanged"
    notes = [line for line in output.splitlines() if "@sha256:" in line]
    assert len(notes) == 16 and all(" already " in line for line in notes), notes
    assert _attachment_tags(registry, app) == before

    # arm64's signature tampered with: verify names it; the independent check agrees.
    arm = images["app"]["platforms"]["linux/arm64"]
    tamper_signature(registry, app, arm)
    assert run(["verify", ref, "--key", str(public_file)]) == 1
    err = capsys.readouterr().err
    assert "(platforms not verified: linux/arm64)" in err
    assert "linux/arm64: bad signature (layer 1): the signature does not verify" in err
    assert "linux/amd64: verified" in err
    assert cosign_verify(registry, app, arm, public) == ["bad signature"]
