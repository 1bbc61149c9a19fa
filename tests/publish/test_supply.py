"""`publish --sign-key` and `imgbuild verify` against a real engine and htpasswd registry.

The signatures are checked by `cosign_verify` below, written from cosign's published layout
(tag `sha256-HEX.sig`, simple-signing payload layers, base64 DER signature in the layer
annotation) and reading the registry over its HTTP API: it shares no code with imgbuild's.
"""

from __future__ import annotations

import base64
import hashlib
import json
from pathlib import Path
from typing import Any

import pytest
from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec

from builder.cli import run
from tests.publish.test_publish import Project, env_credentials, project, publish

pytestmark = [pytest.mark.engine, pytest.mark.registry]
__all__ = ["project"]  # the fixture, shared with test_publish.py

OCI = "application/vnd.oci.image.manifest.v1+json"


def cosign_verify(registry: Any, repository: str, digest: str, public: Any) -> list[str]:
    """Problems with the cosign signature of repository@digest ([] when one layer verifies)."""
    tag = digest.replace(":", "-") + ".sig"
    status, _, body = registry.request(f"/v2/{repository}/manifests/{tag}", accept=OCI)
    if status != 200:
        return [f"no {tag} (HTTP {status})"]
    problems = []
    for layer in json.loads(body)["layers"]:
        status, _, blob = registry.request(f"/v2/{repository}/blobs/{layer['digest']}")
        if "sha256:" + hashlib.sha256(blob).hexdigest() != layer["digest"]:
            problems.append("layer digest mismatch")
            continue
        payload = json.loads(blob)
        critical = payload["critical"]
        if critical["image"]["docker-manifest-digest"] != digest:
            problems.append("payload names another digest")
            continue
        if critical["type"] != "cosign container image signature":
            problems.append("wrong payload type")
            continue
        signature = base64.b64decode(layer["annotations"]["dev.cosignproject.cosign/signature"])
        try:
            public.verify(signature, blob, ec.ECDSA(hashes.SHA256()))
        except InvalidSignature:
            problems.append("bad signature")
            continue
        return []
    return problems or ["no layers"]


@pytest.fixture
def signing(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> tuple[str, Any, Path]:
    """A P-256 key in IMGBUILD_TEST_SIGN_KEY (PEM text), its public key and cosign.pub."""
    private = ec.generate_private_key(ec.SECP256R1())
    text = private.private_bytes(
        serialization.Encoding.PEM,
        serialization.PrivateFormat.PKCS8,
        serialization.NoEncryption(),
    ).decode()
    monkeypatch.setenv("IMGBUILD_TEST_SIGN_KEY", text)
    public_file = tmp_path / "cosign.pub"
    public_file.write_bytes(
        private.public_key().public_bytes(
            serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo
        )
    )
    return text, private.public_key(), public_file


def secret_lines(text: str) -> list[str]:
    """The base64 lines of a PEM: any of them in an output would be a leak."""
    return [line for line in text.splitlines() if line and not line.startswith("-----")]


def test_signed_publish_signs_every_digest_once(
    project: Project,
    signing: tuple[str, Any, Path],
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    key_text, public, _ = signing
    env_credentials(monkeypatch, project.registry, project.registry.password)
    code, output, metadata = publish(project, capsys, "--sign-key", "env:IMGBUILD_TEST_SIGN_KEY")
    assert code == 0, output
    for line in secret_lines(key_text):
        assert line not in output and line not in json.dumps(metadata)
    for image in ("api", "web"):
        digest = metadata["images"][image]["digest"]
        assert cosign_verify(project.registry, project.repository(image), digest, public) == []
        assert f"signed     {project.registry.address}/{project.repository(image)}@{digest}" in (
            output
        )
    sig_tag = metadata["images"]["api"]["digest"].replace(":", "-") + ".sig"
    before = project.registry.digest(project.repository("api"), sig_tag)

    code, output, _ = publish(project, capsys, "--sign-key", "env:IMGBUILD_TEST_SIGN_KEY")
    assert code == 0, output
    assert "signed already" in output and "attested already" in output
    assert project.registry.digest(project.repository("api"), sig_tag) == before


def test_signature_is_in_place_before_any_moving_tag(
    project: Project,
    signing: tuple[str, Any, Path],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    from builder.build import open_session
    from builder.publish import run_publish
    from builder.publish_plan import plan_publish, publish_registries
    from builder.scheduler import RunOptions
    from builder.supply.keys import load_signing_key
    from builder.supply.options import SupplyOptions
    from builder.supply.provenance import build_facts
    from builder.supply.publisher import SupplyChain

    env_credentials(monkeypatch, project.registry, project.registry.password)
    session = open_session(str(project.config))
    plan = plan_publish(
        session.config, (), session.git_state, None, publish_registries(session.config, ())
    )
    built = session.run(session.plan(), RunOptions(jobs=2), lambda event: None)
    options = SupplyOptions(key=load_signing_key("env:IMGBUILD_TEST_SIGN_KEY"))
    chain = SupplyChain(options, lambda image, _: build_facts(session, built, image), print)
    seen: list[tuple[str, str | None]] = []

    def attach(result: Any, client: Any) -> None:
        image = result.target.image
        seen.append((image, project.digests(image, ["main"])["main"]))
        chain(result, client)

    image_ids = {name: built.result(name).image_id or "" for name in plan.images}
    result = run_publish(plan, image_ids, session.engine, attach=attach)
    assert result.error is None
    assert sorted(seen) == [("api", None), ("web", None)]  # no moving tag yet at signing time
    for image in ("api", "web"):
        digest = project.digests(image, ["main"])["main"]
        assert digest is not None
        assert cosign_verify(project.registry, project.repository(image), digest, signing[1]) == []


def test_a_bad_key_stops_before_building(
    project: Project, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    env_credentials(monkeypatch, project.registry, project.registry.password)
    monkeypatch.setenv("IMGBUILD_TEST_SIGN_KEY", "not a key")
    code = run(["-f", str(project.config), "publish", "--sign-key", "env:IMGBUILD_TEST_SIGN_KEY"])
    assert code == 2
    assert "not a PEM private key" in capsys.readouterr().err
    assert project.digests("api", ["latest"]) == {"latest": None}


def test_a_cosign_key_with_a_wrong_passphrase_stops_in_one_line(
    project: Project,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    from tests.supply.test_cosign_key import PASSPHRASE, cosign_pem

    private = ec.generate_private_key(ec.SECP256R1())
    key_file = tmp_path / "cosign.key"
    key_file.write_text(cosign_pem(private, PASSPHRASE))
    env_credentials(monkeypatch, project.registry, project.registry.password)
    monkeypatch.setenv("COSIGN_PASSWORD", "not-the-passphrase")
    code = run(["-f", str(project.config), "publish", "--sign-key", str(key_file)])
    captured = capsys.readouterr()
    assert code == 2
    assert captured.err.strip().splitlines() == [
        f"imgbuild: error: the signing key from file {key_file} does not decrypt with "
        "COSIGN_PASSWORD: a wrong passphrase?"
    ]
    assert "not-the-passphrase" not in captured.out + captured.err
    assert project.digests("api", ["main"]) == {"main": None}

    monkeypatch.setenv("COSIGN_PASSWORD", PASSPHRASE)
    code, output, metadata = publish(project, capsys, "api", "--sign-key", str(key_file))
    assert code == 0, output
    assert PASSPHRASE not in output and PASSPHRASE not in json.dumps(metadata)
    digest = metadata["images"]["api"]["digest"]
    public = private.public_key()
    assert cosign_verify(project.registry, project.repository("api"), digest, public) == []


def read_attestation(registry: Any, repository: str, digest: str) -> tuple[dict[str, Any], bytes]:
    """The DSSE envelope of `sha256-HEX.att` and its statement, read over the HTTP API."""
    tag = digest.replace(":", "-") + ".att"
    status, _, body = registry.request(f"/v2/{repository}/manifests/{tag}", accept=OCI)
    assert status == 200, f"no {tag}"
    (layer,) = json.loads(body)["layers"]
    assert layer["mediaType"] == "application/vnd.dsse.envelope.v1+json"
    assert layer["annotations"]["predicateType"] == "https://slsa.dev/provenance/v1"
    _, _, blob = registry.request(f"/v2/{repository}/blobs/{layer['digest']}")
    envelope = json.loads(blob)
    return envelope, base64.b64decode(envelope["payload"])


def test_provenance_names_commit_and_base_and_is_signed(
    project: Project,
    signing: tuple[str, Any, Path],
    busybox_image: str,
    docker_client: Any,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    (project.root / "web" / "Dockerfile").write_text(f"FROM {busybox_image}\nCOPY web.txt /\n")
    project.commit("web on busybox")
    sha = project.git("rev-parse", "HEAD")
    env_credentials(monkeypatch, project.registry, project.registry.password)
    out = project.root.parent / "provenance"
    code, output, metadata = publish(
        project, capsys, "--sign-key", "env:IMGBUILD_TEST_SIGN_KEY", "--provenance-dir", str(out)
    )
    assert code == 0, output
    digest = metadata["images"]["web"]["digest"]
    envelope, statement_bytes = read_attestation(
        project.registry, project.repository("web"), digest
    )
    signed = b"DSSEv1 %d %s %d %s" % (
        len(b"application/vnd.in-toto+json"),
        b"application/vnd.in-toto+json",
        len(statement_bytes),
        statement_bytes,
    )
    signing[1].verify(
        base64.b64decode(envelope["signatures"][0]["sig"]), signed, ec.ECDSA(hashes.SHA256())
    )
    statement = json.loads(statement_bytes)
    assert statement["subject"][0]["digest"]["sha256"] == digest.split(":")[1]
    definition = statement["predicate"]["buildDefinition"]
    assert definition["externalParameters"]["source"]["commit"] == sha
    base_id = docker_client.images.get(busybox_image).id
    assert {"uri": f"docker-image://{busybox_image}", "digest": {"sha256": base_id[7:]}} in (
        definition["resolvedDependencies"]
    )
    written = out / f"web.{digest.replace(':', '-')}.intoto.json"
    assert json.loads(written.read_bytes())["payload"] == envelope["payload"]
    for line in secret_lines(signing[0]):
        assert line not in written.read_text() and line not in statement_bytes.decode()
    assert project.registry.password not in written.read_text()


def test_provenance_is_attached_by_default_unsigned_without_a_key(
    project: Project, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    env_credentials(monkeypatch, project.registry, project.registry.password)
    code, output, metadata = publish(project, capsys)
    assert code == 0, output
    digest = metadata["images"]["api"]["digest"]
    envelope, _ = read_attestation(project.registry, project.repository("api"), digest)
    assert envelope["signatures"] == []
    att_tag = digest.replace(":", "-") + ".att"
    before = project.registry.digest(project.repository("api"), att_tag)
    code, output, _ = publish(project, capsys)
    assert "attested already" in output
    assert project.registry.digest(project.repository("api"), att_tag) == before


def test_no_provenance_attaches_nothing(
    project: Project, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    env_credentials(monkeypatch, project.registry, project.registry.password)
    code, output, metadata = publish(project, capsys, "--no-provenance")
    assert code == 0, output
    assert "attested" not in output
    digest = metadata["images"]["api"]["digest"]
    att_tag = digest.replace(":", "-") + ".att"
    assert project.registry.digest(project.repository("api"), att_tag) is None
    with project.config.open("a") as config:
        config.write("provenance = false\n")  # the file ends in [publish]
    project.commit("no provenance")
    code, output, metadata = publish(project, capsys)
    assert code == 0, output
    assert "attested" not in output


def test_provenance_keeps_plain_args_and_no_secret_value(
    project: Project, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    token = "ghp_" + "Z9y8X7w6V5u4T3s2R1q0P9o8N7m6L5k4J3i2"
    text = project.config.read_text().replace(
        f'repository = "{project.prefix}/api"\n',
        f'repository = "{project.prefix}/api"\n'
        f'args = {{ VERSION = "4.5.6", NPM_TOKEN = "npm-s3cret-value", GH = "{token}" }}\n',
    )
    project.config.write_text(text)
    (project.root / "api" / "Dockerfile").write_text(
        "FROM scratch\nARG VERSION\nARG NPM_TOKEN\nARG GH\nCOPY api.txt /\n"
    )
    project.commit("api with args")
    env_credentials(monkeypatch, project.registry, project.registry.password)
    out = project.root.parent / "provenance"
    code, output, metadata = publish(project, capsys, "api", "--provenance-dir", str(out))
    assert code == 0, output
    digest = metadata["images"]["api"]["digest"]
    _, statement_bytes = read_attestation(project.registry, project.repository("api"), digest)
    written = (out / f"api.{digest.replace(':', '-')}.intoto.json").read_text()
    for text in (statement_bytes.decode(), written, output):
        assert "npm-s3cret-value" not in text and token not in text
        assert project.registry.password not in text
    args = json.loads(statement_bytes)["predicate"]["buildDefinition"]["externalParameters"]
    assert args["args"] == {"VERSION": "4.5.6", "NPM_TOKEN": "<redacted>", "GH": "<redacted>"}


def tamper_signature(registry: Any, repository: str, digest: str) -> None:
    """Replace the signature annotation of `sha256-HEX.sig` with another valid-looking one."""
    import requests

    tag = digest.replace(":", "-") + ".sig"
    _, _, body = registry.request(f"/v2/{repository}/manifests/{tag}", accept=OCI)
    manifest = json.loads(body)
    other = ec.generate_private_key(ec.SECP256R1()).sign(b"x", ec.ECDSA(hashes.SHA256()))
    annotations = manifest["layers"][0]["annotations"]
    annotations["dev.cosignproject.cosign/signature"] = base64.b64encode(other).decode()
    response = requests.put(
        f"{registry.url}/v2/{repository}/manifests/{tag}",
        data=json.dumps(manifest).encode(),
        headers={"Content-Type": OCI},
        auth=(registry.username, registry.password),
        timeout=10,
    )
    assert response.status_code == 201, response.text


def test_verify_passes_then_fails_when_moved_or_tampered(
    project: Project,
    signing: tuple[str, Any, Path],
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    _, public, public_file = signing
    env_credentials(monkeypatch, project.registry, project.registry.password)
    code, output, metadata = publish(project, capsys, "--sign-key", "env:IMGBUILD_TEST_SIGN_KEY")
    assert code == 0, output
    sha = project.git("rev-parse", "HEAD")
    ref = project.ref("api", "main")
    key = ["--key", str(public_file)]

    assert run(["verify", ref, *key]) == 0
    shown = capsys.readouterr().out
    assert f"verified: {ref.rsplit(':', 1)[0]}@{metadata['images']['api']['digest']}" in shown
    assert f"commit {sha}" in shown and "provenance signed by the key" in shown
    assert run(["verify", ref, *key, "--format", "json"]) == 0
    document = json.loads(capsys.readouterr().out)
    assert document["verified"] is True and document["provenance"]["commit"] == sha

    # The branch tag moved to a new image published without a key: nothing signs it.
    project.change("api", "api two\n")
    project.commit("second")
    code, output, moved = publish(project, capsys)
    assert code == 0, output
    new_digest = moved["images"]["api"]["digest"]
    assert run(["verify", ref, *key]) == 1
    assert "missing signature" in capsys.readouterr().err
    assert cosign_verify(project.registry, project.repository("api"), new_digest, public) != []

    # The old image's signature annotation replaced: verify and the independent check refuse.
    old = f"{ref.rsplit(':', 1)[0]}@{metadata['images']['api']['digest']}"
    assert run(["verify", old, *key]) == 0
    capsys.readouterr()
    tamper_signature(
        project.registry, project.repository("api"), metadata["images"]["api"]["digest"]
    )
    assert run(["verify", old, *key]) == 1
    assert "bad signature (layer 1): the signature does not verify" in capsys.readouterr().err
    problems = cosign_verify(
        project.registry, project.repository("api"), metadata["images"]["api"]["digest"], public
    )
    assert problems == ["bad signature"]


def test_verify_with_another_key_fails(
    project: Project,
    signing: tuple[str, Any, Path],
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    env_credentials(monkeypatch, project.registry, project.registry.password)
    code, output, _ = publish(project, capsys, "--sign-key", "env:IMGBUILD_TEST_SIGN_KEY")
    assert code == 0, output
    other = tmp_path / "other.pub"
    other.write_bytes(
        ec.generate_private_key(ec.SECP256R1())
        .public_key()
        .public_bytes(serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo)
    )
    assert run(["verify", project.ref("web", "main"), "--key", str(other)]) == 1
    err = capsys.readouterr().err
    assert "does not verify with the key" in err and "provenance signature does NOT verify" in err


DEBIAN = "local/debian:12"  # made by scripts/services.sh: nothing can be pulled here


def test_sbom_lists_debian_and_python_packages_and_verify_counts_them(
    project: Project,
    signing: tuple[str, Any, Path],
    docker_client: Any,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    from docker.errors import ImageNotFound

    try:
        docker_client.images.get(DEBIAN)
    except ImageNotFound:
        pytest.fail(f"{DEBIAN} is missing: run scripts/services.sh start")
    # The Python app: an installed distribution, as pip leaves it in dist-packages.
    site = project.root / "web" / "demo_app-1.2.0.dist-info"
    site.mkdir()
    (site / "METADATA").write_text("Metadata-Version: 2.1\nName: demo-app\nVersion: 1.2.0\n")
    (project.root / "web" / "Dockerfile").write_text(
        f"FROM {DEBIAN}\nCOPY demo_app-1.2.0.dist-info "
        "/usr/lib/python3/dist-packages/demo_app-1.2.0.dist-info\nCOPY web.txt /\n"
    )
    project.commit("web on debian")
    env_credentials(monkeypatch, project.registry, project.registry.password)
    out = project.root.parent / "sboms"
    code, output, metadata = publish(
        project, capsys, "web", "--sbom-dir", str(out), "--sign-key", "env:IMGBUILD_TEST_SIGN_KEY"
    )
    assert code == 0, output
    digest = metadata["images"]["web"]["digest"]
    document = json.loads((out / "web.spdx.json").read_text())
    assert document["spdxVersion"] == "SPDX-2.3"
    names = {package["name"] for package in document["packages"]}
    assert {"dpkg", "demo-app"} <= names
    tag = digest.replace(":", "-") + ".sbom"
    status, _, body = project.registry.request(
        f"/v2/{project.repository('web')}/manifests/{tag}", accept=OCI
    )
    assert status == 200
    (layer,) = json.loads(body)["layers"]
    assert layer["mediaType"] == "text/spdx+json"
    assert project.registry.password not in json.dumps(document)
    for line in secret_lines(signing[0]):
        assert line not in json.dumps(document)

    assert run(["verify", project.ref("web", "main"), "--key", str(signing[2])]) == 0
    shown = capsys.readouterr().out
    assert "sbom: " in shown and " deb" in shown and " pypi" in shown
    code, output, _ = publish(project, capsys, "web", "--sbom")
    assert "sbom already" in output


def test_sbom_format_cyclonedx_lists_debian_packages(
    project: Project,
    docker_client: Any,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
    tmp_path: Path,
) -> None:
    (project.root / "web" / "Dockerfile").write_text(f"FROM {DEBIAN}\nCOPY web.txt /\n")
    project.commit("web on debian")
    env_credentials(monkeypatch, project.registry, project.registry.password)
    monkeypatch.setenv("IMGBUILD_SBOM_FORMAT", "cyclonedx")
    out = project.root.parent / "sboms"
    code, output, metadata = publish(project, capsys, "web", "--sbom-dir", str(out))
    assert code == 0, output
    document = json.loads((out / "web.cdx.json").read_text())
    assert document["bomFormat"] == "CycloneDX"
    assert "dpkg" in {component["name"] for component in document["components"]}
    digest = metadata["images"]["web"]["digest"]
    tag = digest.replace(":", "-") + ".sbom"
    status, _, body = project.registry.request(
        f"/v2/{project.repository('web')}/manifests/{tag}", accept=OCI
    )
    assert status == 200
    (layer,) = json.loads(body)["layers"]
    assert layer["mediaType"] == "application/vnd.cyclonedx+json"
    public = tmp_path / "any.pub"
    public.write_bytes(
        ec.generate_private_key(ec.SECP256R1())
        .public_key()
        .public_bytes(serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo)
    )
    assert run(["verify", project.ref("web", "main"), "--key", str(public)]) == 1  # unsigned
    assert " deb" in capsys.readouterr().err


def test_sbom_without_syft_names_the_extra(
    project: Project, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    import shutil

    which = shutil.which
    monkeypatch.setattr(
        shutil, "which", lambda name, **kw: None if name == "syft" else which(name, **kw)
    )
    code = run(["-f", str(project.config), "publish", "--sbom"])
    assert code == 2
    assert "imgbuild[sbom]" in capsys.readouterr().err
    assert project.digests("api", ["main"]) == {"main": None}


def test_config_sign_key_is_relative_to_the_config(
    project: Project,
    signing: tuple[str, Any, Path],
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    (project.root / "keys").mkdir()
    (project.root / "keys" / "cosign.key").write_text(signing[0])
    with project.config.open("a") as config:
        config.write('sign_key = "keys/cosign.key"\n')  # the file ends in [publish]
    env_credentials(monkeypatch, project.registry, project.registry.password)
    monkeypatch.chdir(project.root.parent)
    code, output, metadata = publish(project, capsys)
    assert code == 0, output
    digest = metadata["images"]["api"]["digest"]
    assert cosign_verify(project.registry, project.repository("api"), digest, signing[1]) == []
