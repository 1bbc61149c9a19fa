"""Fixtures for tests against the real parts: a Docker Engine, registries, a keyring.

Each real part is found, never assumed: when one is missing, the tests that need it skip with
the reason, or fail when IMGBUILD_REQUIRE_ENGINE=1 (what `make test` sets, so a broken set-up
cannot pass as a run of skipped tests). The `docker` and `keyring` packages are imported only
when a fixture needs them, so a unit-only run (`pytest -m "not engine"`) never touches them.

Tests that use these fixtures get the matching marker (engine, registry, keyring) added at
collection, so `-m "not engine"` selects a unit-only run even where a marker was forgotten.
"""

from __future__ import annotations

import contextlib
import functools
import io
import os
import secrets
import shutil
import signal
import socket
import subprocess
import tarfile
import time
import urllib.error
import urllib.request
from base64 import b64encode
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, NoReturn

import pytest

BUSYBOX_IMAGE = "local/busybox:1"
REPO_ROOT = Path(__file__).resolve().parent.parent

_MARKERS_BY_FIXTURE = {
    "docker_client": "engine",
    "busybox_image": "engine",
    "auth_registry": "registry",
    "plain_registry": "registry",
    "real_keyring": "keyring",
}


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    for item in items:
        for fixture, marker in _MARKERS_BY_FIXTURE.items():
            if fixture in getattr(item, "fixturenames", ()):
                item.add_marker(marker)


def unavailable(reason: str) -> NoReturn:
    """Skip, or fail under IMGBUILD_REQUIRE_ENGINE=1: a real part the test needs is missing."""
    if os.environ.get("IMGBUILD_REQUIRE_ENGINE") == "1":
        pytest.fail(f"{reason} (IMGBUILD_REQUIRE_ENGINE=1)", pytrace=False)
    pytest.skip(reason)


# ---------------------------------------------------------------------------------------------
# Engine


@functools.cache
def _engine() -> tuple[Any, str]:
    """A connected Docker SDK client and "", or None and why there is none."""
    import docker
    from docker.errors import DockerException

    host = os.environ.get("DOCKER_HOST", "unix:///var/run/docker.sock")
    try:
        client = docker.from_env(timeout=120)
        client.ping()
    except (DockerException, OSError) as error:
        return None, (
            f"no Docker Engine answers at {host} ({error}); "
            "run `scripts/services.sh start` and export what `scripts/services.sh env` prints"
        )
    return client, ""


@pytest.fixture(scope="session")
def docker_client() -> Any:
    """A `docker.DockerClient` for the engine DOCKER_HOST names."""
    client, reason = _engine()
    if client is None:
        unavailable(reason)
    return client


@pytest.fixture(scope="session")
def busybox_image(docker_client: Any) -> str:
    """The name of a small local base image with a shell (made from busybox-static if missing)."""
    from docker.errors import ImageNotFound

    try:
        docker_client.images.get(BUSYBOX_IMAGE)
    except ImageNotFound:
        busybox = Path("/bin/busybox")
        if not busybox.is_file():
            unavailable(f"{BUSYBOX_IMAGE} is missing and so is {busybox} (apt busybox-static)")
        repository, tag = BUSYBOX_IMAGE.split(":")
        docker_client.api.import_image_from_data(
            _busybox_rootfs(busybox), repository=repository, tag=tag, changes=['CMD ["/bin/sh"]']
        )
    return BUSYBOX_IMAGE


def _busybox_rootfs(busybox: Path) -> bytes:
    """A tar of a root filesystem: /bin/busybox, a link per applet, a root and a nobody user."""
    applets = subprocess.run(
        [str(busybox), "--list-full"], capture_output=True, text=True, check=True
    ).stdout.split()
    buffer = io.BytesIO()
    with tarfile.open(fileobj=buffer, mode="w") as tar:
        tar.add(busybox, arcname="bin/busybox")
        for directory, mode in (("tmp", 0o1777), ("root", 0o700), ("etc", 0o755)):
            info = tarfile.TarInfo(directory)
            info.type, info.mode = tarfile.DIRTYPE, mode
            tar.addfile(info)
        for applet in applets:
            if applet != "bin/busybox":
                info = tarfile.TarInfo(applet)
                info.type, info.linkname = tarfile.SYMTYPE, "/bin/busybox"
                tar.addfile(info)
        for name, text in (
            ("etc/passwd", "root:x:0:0:root:/root:/bin/sh\n"
                           "nobody:x:65534:65534:nobody:/nonexistent:/bin/false\n"),
            ("etc/group", "root:x:0:\nnogroup:x:65534:\n"),
        ):
            data = text.encode()
            info = tarfile.TarInfo(name)
            info.size, info.mode = len(data), 0o644
            tar.addfile(info, io.BytesIO(data))
    return buffer.getvalue()


@pytest.fixture
def unique_name() -> Iterator[str]:
    """A short lowercase prefix unique to this test, e.g. "t3f9a1c2".

    Use it as the first path component of repositories (`f"{unique_name}/api"`) and in
    container names. At teardown every image tagged under it (also behind a registry host, as
    in `127.0.0.1:5000/t3f9a1c2/api`) and every container named with it is removed.
    """
    prefix = f"t{secrets.token_hex(4)}"
    yield prefix
    client, _ = _engine()
    if client is not None:
        _remove_under(client, prefix)


def _remove_under(client: Any, prefix: str) -> None:
    from docker.errors import NotFound

    for container in client.containers.list(all=True):
        if container.name.startswith(prefix):
            with contextlib.suppress(NotFound):
                container.remove(force=True)
    for image in client.images.list():
        for tag in image.tags:
            repository = tag.rsplit(":", 1)[0]
            if repository.startswith(f"{prefix}/") or f"/{prefix}/" in repository:
                with contextlib.suppress(NotFound):
                    client.images.remove(tag, force=True)


# ---------------------------------------------------------------------------------------------
# Registries


def free_port() -> int:
    """A TCP port free on 127.0.0.1 right now."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
        return port


@dataclass
class Registry:
    """A real `docker-registry` on loopback, started by the tests and stopped by pid.

    `address` is "127.0.0.1:PORT", what image references and `imgbuild login` take.
    `username`/`password` are None for a registry without auth. Its storage survives
    `stop()`/`start()`, so a test can take it down in the middle of a push and bring it back.
    """

    address: str
    username: str | None
    password: str | None
    root: Path
    process: subprocess.Popen[bytes] | None = field(default=None, repr=False)

    @property
    def url(self) -> str:
        return f"http://{self.address}"

    def start(self) -> None:
        if self.process is not None and self.process.poll() is None:
            return
        with (self.root / "registry.log").open("ab") as log:
            self.process = subprocess.Popen(
                ["docker-registry", "serve", str(self.root / "config.yml")],
                stdin=subprocess.DEVNULL,
                stdout=log,
                stderr=subprocess.STDOUT,
                start_new_session=True,
            )
        deadline = time.monotonic() + 15
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                break
            if self.status("/v2/", authenticated=False) in (200, 401):
                return
            time.sleep(0.05)
        self.stop()
        log_text = (self.root / "registry.log").read_text(errors="replace")[-2000:]
        raise RuntimeError(f"docker-registry did not start on {self.address}:\n{log_text}")

    def stop(self) -> None:
        if self.process is None:
            return
        if self.process.poll() is None:
            os.kill(self.process.pid, signal.SIGTERM)
            try:
                self.process.wait(timeout=15)
            except subprocess.TimeoutExpired:
                os.kill(self.process.pid, signal.SIGKILL)
                self.process.wait()
        self.process = None

    @contextlib.contextmanager
    def stopped(self) -> Iterator[None]:
        """Down inside the block, up again after it (also when the block fails)."""
        self.stop()
        try:
            yield
        finally:
            self.start()

    def request(
        self, path: str, *, method: str = "GET", accept: str | None = None,
        authenticated: bool = True,
    ) -> tuple[int, dict[str, str], bytes]:
        """One request to the Registry HTTP API: status, headers, body. No retries."""
        headers = {"Accept": accept} if accept else {}
        if authenticated and self.username is not None:
            token = b64encode(f"{self.username}:{self.password}".encode()).decode()
            headers["Authorization"] = f"Basic {token}"
        request = urllib.request.Request(self.url + path, method=method, headers=headers)
        try:
            with urllib.request.urlopen(request, timeout=10) as response:
                return response.status, dict(response.headers), response.read()
        except urllib.error.HTTPError as error:
            return error.code, dict(error.headers), error.read()

    def status(self, path: str, *, authenticated: bool = True) -> int:
        try:
            return self.request(path, authenticated=authenticated)[0]
        except OSError:
            return 0

    def catalog(self) -> list[str]:
        import json

        status, _, body = self.request("/v2/_catalog")
        assert status == 200, f"GET /v2/_catalog gave {status}"
        repositories: list[str] = json.loads(body)["repositories"]
        return repositories

    def digest(self, repository: str, tag: str) -> str | None:
        """The manifest digest the registry serves for repository:tag, None if absent."""
        status, headers, _ = self.request(
            f"/v2/{repository}/manifests/{tag}",
            method="HEAD",
            accept="application/vnd.docker.distribution.manifest.v2+json",
        )
        if status == 404:
            return None
        assert status == 200, f"HEAD {repository}:{tag} gave {status}"
        return {key.lower(): value for key, value in headers.items()}["docker-content-digest"]


def _start_registry(root: Path, *, auth: bool) -> Registry:
    if shutil.which("docker-registry") is None:
        unavailable("docker-registry is not installed (apt docker-registry; scripts/install.sh)")
    username = password = None
    auth_config = ""
    if auth:
        if shutil.which("htpasswd") is None:
            unavailable("htpasswd is not installed (apt apache2-utils; scripts/install.sh)")
        username, password = "imgbuild-test", secrets.token_urlsafe(12)
        htpasswd = subprocess.run(
            ["htpasswd", "-Bbn", username, password], capture_output=True, text=True, check=True
        ).stdout
        (root / "htpasswd").write_text(htpasswd)
        auth_config = f"auth:\n  htpasswd:\n    realm: imgbuild-test\n    path: {root}/htpasswd\n"
    address = f"127.0.0.1:{free_port()}"
    (root / "config.yml").write_text(
        "version: 0.1\n"
        "log:\n  level: warn\n  accesslog:\n    disabled: true\n"
        f"storage:\n  filesystem:\n    rootdirectory: {root}/data\n  delete:\n    enabled: true\n"
        f"http:\n  addr: {address}\n" + auth_config
    )
    registry = Registry(address=address, username=username, password=password, root=root)
    registry.start()
    return registry


@pytest.fixture(scope="session")
def auth_registry(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Registry]:
    """A registry with htpasswd auth on a free loopback port (username, password set)."""
    registry = _start_registry(tmp_path_factory.mktemp("auth-registry"), auth=True)
    yield registry
    registry.stop()


@pytest.fixture(scope="session")
def plain_registry(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Registry]:
    """A registry without auth on a free loopback port."""
    registry = _start_registry(tmp_path_factory.mktemp("plain-registry"), auth=False)
    yield registry
    registry.stop()


# ---------------------------------------------------------------------------------------------
# Keyring


@functools.cache
def _keyring_reason() -> str:
    """Why no real Secret Service keyring is usable here ("" when one is)."""
    import keyring
    from keyring.backends import SecretService

    backend = keyring.get_keyring()
    if not isinstance(backend, SecretService.Keyring):
        return (
            f"no Secret Service keyring (keyring chose {type(backend).__name__}); "
            "run the tests under scripts/with-keyring.sh"
        )
    return ""


@dataclass(frozen=True)
class KeyringSandbox:
    """A real keyring for one test; entries made during the test are deleted after it.

    `service_prefix` is unique to the test: use it for any service name a test chooses.
    """

    service_prefix: str


@pytest.fixture
def real_keyring() -> Iterator[KeyringSandbox]:
    """The real Secret Service keyring (skips or fails like the engine when there is none)."""
    reason = _keyring_reason()
    if reason:
        unavailable(reason)
    import keyring

    # The backend _keyring_reason() checked; keyring's own methods carry no annotations.
    collection = keyring.get_keyring().get_preferred_collection()  # type: ignore[attr-defined]
    before = {item.item_path for item in collection.get_all_items()}
    sandbox = KeyringSandbox(service_prefix=f"imgbuild-test-{secrets.token_hex(4)}")
    yield sandbox
    # Only entries created during the test, and only imgbuild's: a desktop keyring used by
    # other programs at the same time keeps everything else.
    for item in collection.get_all_items():
        service = item.get_attributes().get("service", "")
        if item.item_path not in before and service.startswith("imgbuild"):
            item.delete()
