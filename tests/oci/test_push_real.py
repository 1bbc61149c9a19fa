"""An amd64 and an arm64 image of the real engine pushed as one index to real registries, and
checked from outside imgbuild: skopeo, the Registry HTTP API, Debian's docker client pulling
each platform and running it (arm64 under qemu)."""

from __future__ import annotations

import json
import os
import subprocess
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from realparts import BUSYBOX_IMAGE, Registry, executable, unavailable

from builder.base_platforms import served_platforms
from builder.cli import run
from builder.credentials import Credentials, CredentialSource
from builder.engine.operations import Engine
from builder.oci.documents import OCI_INDEX, OCI_MANIFEST, PlatformMismatch
from builder.oci.push import BlobLedger, PushedIndex, matches_variants, push_index
from builder.platforms import Platform
from builder.registry import RegistryClient

pytestmark = [pytest.mark.engine, pytest.mark.registry]

AMD64, ARM64 = Platform("linux", "amd64"), Platform("linux", "arm64")
ARM64_IMAGE = f"{BUSYBOX_IMAGE}-linux-arm64"  # made by scripts/services.sh under qemu
DOCKER = "/usr/bin/docker"  # Debian's client, which speaks this engine's API


@pytest.fixture
def engine(docker_client: Any, busybox_image: str) -> Engine:
    return Engine(os.environ.get("DOCKER_HOST", "unix:///var/run/docker.sock"))


@pytest.fixture
def variants(docker_client: Any, busybox_image: str) -> list[tuple[Platform, str]]:
    from docker.errors import ImageNotFound

    try:
        arm = docker_client.images.get(ARM64_IMAGE).id
    except ImageNotFound:
        unavailable(f"{ARM64_IMAGE} is missing; run scripts/services.sh start")
    return [(AMD64, docker_client.images.get(busybox_image).id), (ARM64, arm)]


@pytest.fixture
def docker_cli(tmp_path: Path) -> Iterator[dict[str, str]]:
    """The environment of Debian's docker client: this engine, a private config folder."""
    if not Path(DOCKER).is_file():
        unavailable(f"{DOCKER} is missing (apt docker.io)")
    config = tmp_path / "docker-config"
    config.mkdir()
    yield {**os.environ, "DOCKER_CONFIG": str(config)}


def docker(environment: dict[str, str], *args: str) -> str:
    done = subprocess.run(
        [DOCKER, *args], env=environment, capture_output=True, text=True, timeout=180
    )
    assert done.returncode == 0, f"docker {' '.join(args)}: {done.stderr}"
    return done.stdout


@dataclass(frozen=True)
class Published:
    """Both variants pushed as an index to the plain registry, under the tag 1.0.0."""

    registry: Registry
    repository: str
    pushed: PushedIndex
    variants: list[tuple[Platform, str]]

    def ref(self, tag: str) -> str:
        return f"{self.registry.address}/{self.repository}:{tag}"

    def client(self) -> RegistryClient:
        return RegistryClient(self.registry.address, None)


@pytest.fixture
def published(
    plain_registry: Registry,
    engine: Engine,
    variants: list[tuple[Platform, str]],
    unique_name: str,
) -> Published:
    repository = f"{unique_name}/api"
    with RegistryClient(plain_registry.address, None) as client:
        pushed = push_index(engine, client, repository, variants)
        client.put_manifest(repository, "1.0.0", pushed.index)
    return Published(plain_registry, repository, pushed, variants)


def served_index(registry: Registry, repository: str, tag: str) -> tuple[str, dict[str, Any]]:
    status, headers, body = registry.request(f"/v2/{repository}/manifests/{tag}", accept=OCI_INDEX)
    assert status == 200, f"GET {repository}:{tag} gave {status}"
    digest = {key.lower(): value for key, value in headers.items()}["docker-content-digest"]
    return digest, json.loads(body)


def runs_as(environment: dict[str, str], ref: str, platform: str) -> str:
    """`uname -m` of `ref` pulled for `platform` (the pull retags `ref` each time)."""
    docker(environment, "pull", "-q", "--platform", platform, ref)
    return docker(
        environment, "run", "--rm", "--network", "none", "--platform", platform, ref, "uname", "-m"
    ).strip()


def test_both_platforms_are_served_as_one_index_and_each_runs_as_its_architecture(
    published: Published, docker_cli: dict[str, str]
) -> None:
    registry, repository, variants = published.registry, published.repository, published.variants
    skopeo = executable("skopeo", "apt skopeo; scripts/install.sh")
    raw = subprocess.run(
        [skopeo, "inspect", "--raw", "--tls-verify=false", f"docker://{published.ref('1.0.0')}"],
        capture_output=True,
        text=True,
        check=True,
        timeout=60,
    ).stdout
    index = json.loads(raw)
    assert index["mediaType"] == OCI_INDEX
    assert [entry["platform"] for entry in index["manifests"]] == [
        {"architecture": "amd64", "os": "linux"},
        {"architecture": "arm64", "os": "linux"},
    ]
    assert served_index(registry, repository, "1.0.0") == (published.pushed.index.digest, index)

    for entry, (_, image_id) in zip(index["manifests"], variants, strict=True):
        status, _, body = registry.request(
            f"/v2/{repository}/manifests/{entry['digest']}", accept=OCI_MANIFEST
        )
        assert status == 200
        assert json.loads(body)["config"]["digest"] == image_id
    assert published.pushed.platform_digests() == {
        "linux/amd64": index["manifests"][0]["digest"],
        "linux/arm64": index["manifests"][1]["digest"],
    }

    ref = published.ref("1.0.0")
    assert runs_as(docker_cli, ref, "linux/arm64") == "aarch64"
    assert docker(docker_cli, "image", "inspect", "-f", "{{.Id}}", ref).strip() == variants[1][1]
    assert runs_as(docker_cli, ref, "linux/amd64") == "x86_64"
    assert docker(docker_cli, "image", "inspect", "-f", "{{.Id}}", ref).strip() == variants[0][1]


def test_a_second_push_uploads_nothing_and_the_check_skips_it(
    published: Published, engine: Engine
) -> None:
    repository, variants = published.repository, published.variants
    requests_sent: list[str] = []

    def record(method: str, path: str, _status: int) -> None:
        requests_sent.append(f"{method} {path}")

    with published.client() as client:
        client._session.on_response.append(record)
        again = push_index(engine, client, repository, variants)
        current = client.get_manifest(repository, "1.0.0")
        assert matches_variants(client, repository, current, variants)
        other = [variants[0], (ARM64, variants[0][1])]
        assert not matches_variants(client, repository, current, other)
    assert again.index.digest == published.pushed.index.digest
    assert (again.uploaded, again.mounted) == (0, 0)
    writes = [line for line in requests_sent if not line.startswith(("GET", "HEAD"))]
    assert writes == []
    assert any(line.startswith("HEAD") and "/blobs/" in line for line in requests_sent)


def test_an_amd64_image_is_refused_as_arm64_before_anything_is_sent(
    plain_registry: Registry,
    engine: Engine,
    variants: list[tuple[Platform, str]],
    unique_name: str,
) -> None:
    repository = f"{unique_name}/api"
    amd64 = variants[0][1]
    with (
        RegistryClient(plain_registry.address, None) as client,
        pytest.raises(
            PlatformMismatch,
            match="is built for linux/amd64; it cannot be published as the linux/arm64 variant",
        ),
    ):
        push_index(engine, client, repository, [(AMD64, amd64), (ARM64, amd64)])
    assert repository not in plain_registry.catalog()


def test_with_credentials_a_second_repository_mounts_every_blob(
    auth_registry: Registry,
    engine: Engine,
    variants: list[tuple[Platform, str]],
    unique_name: str,
) -> None:
    assert auth_registry.username is not None and auth_registry.password is not None
    credentials = Credentials(
        auth_registry.address,
        auth_registry.username,
        auth_registry.password,
        CredentialSource.ENV,
        "DOCKER_AUTH_CONFIG (auths)",
    )
    ledger = BlobLedger()
    with RegistryClient(auth_registry.address, credentials) as client:
        client.check_login()
        first = push_index(engine, client, f"{unique_name}/api", variants, ledger=ledger)
        second = push_index(engine, client, f"{unique_name}/web", variants, ledger=ledger)
        client.put_manifest(f"{unique_name}/web", "1.0.0", second.index)
    assert first.uploaded == 4  # the two configs and one layer of each
    assert (second.uploaded, second.mounted) == (0, 4)
    assert second.index.digest == first.index.digest
    digest, served = served_index(auth_registry, f"{unique_name}/web", "1.0.0")
    assert digest == second.index.digest
    for entry in served["manifests"]:
        _, _, body = auth_registry.request(
            f"/v2/{unique_name}/web/manifests/{entry['digest']}", accept=OCI_MANIFEST
        )
        manifest = json.loads(body)
        for blob in [manifest["config"], *manifest["layers"]]:
            path = f"/v2/{unique_name}/web/blobs/{blob['digest']}"
            assert auth_registry.request(path, method="HEAD")[0] == 200
    assert auth_registry.status(f"/v2/{unique_name}/web/tags/list", authenticated=False) == 401


def test_promote_copies_the_index_as_it_is(
    published: Published,
    docker_cli: dict[str, str],
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
) -> None:
    (tmp_path / "api").mkdir()
    (tmp_path / "api" / "Dockerfile").write_text("FROM scratch\n")
    config = tmp_path / "imgbuild.toml"
    config.write_text(
        f'[images.api]\ncontext = "api"\nrepository = "{published.repository}"\n\n'
        f'[publish]\nregistries = ["{published.registry.address}"]\n'
    )
    assert run(["-f", str(config), "promote", "api", "1.0.0", "stable"]) == 0
    assert capsys.readouterr().out.endswith(f"  {published.pushed.index.digest}\n")
    digest, served = served_index(published.registry, published.repository, "stable")
    assert digest == published.pushed.index.digest
    assert len(served["manifests"]) == 2
    assert runs_as(docker_cli, published.ref("stable"), "linux/arm64") == "aarch64"
    assert runs_as(docker_cli, published.ref("stable"), "linux/amd64") == "x86_64"


def test_a_multi_platform_base_check_reads_the_pushed_index(published: Published) -> None:
    with published.client() as client:
        single = client.get_manifest(published.repository, published.pushed.manifests[1].digest)
        assert single is not None
        client.put_manifest(published.repository, "arm-only", single)
    assert served_platforms(published.ref("1.0.0")) == (AMD64, ARM64)
    assert served_platforms(published.ref("arm-only")) == (ARM64,)
    assert served_platforms(published.ref("absent")) == (
        f"{published.registry.address} has no {published.repository}:absent"
    )
