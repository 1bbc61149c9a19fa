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
import os
import secrets
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from realparts import (
    ARM64_BUSYBOX_IMAGE,
    BUSYBOX_IMAGE,
    KeyringSandbox,
    Registry,
    busybox_rootfs,
    start_registry,
    unavailable,
)

_MARKERS_BY_FIXTURE = {
    "docker_client": "engine",
    "busybox_image": "engine",
    "arm64_busybox_image": "engine",
    "auth_registry": "registry",
    "plain_registry": "registry",
    "real_keyring": "keyring",
}


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    for item in items:
        for fixture, marker in _MARKERS_BY_FIXTURE.items():
            if fixture in getattr(item, "fixturenames", ()):
                item.add_marker(marker)


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
            busybox_rootfs(busybox), repository=repository, tag=tag, changes=['CMD ["/bin/sh"]']
        )
    return BUSYBOX_IMAGE


@pytest.fixture(scope="session")
def arm64_busybox_image(docker_client: Any, busybox_image: str) -> str:
    """The arm64 variant of the busybox image, under its per-platform tag, with qemu's binfmt
    handler registered so it runs here (both made by `scripts/services.sh start`)."""
    from docker.errors import ImageNotFound

    handler = Path("/proc/sys/fs/binfmt_misc/qemu-aarch64")
    if "flags: PF" not in (handler.read_text() if handler.exists() else ""):
        unavailable(f"no qemu-aarch64 binfmt handler with the F flag ({handler}); run {_START}")
    try:
        image = docker_client.images.get(ARM64_BUSYBOX_IMAGE)
    except ImageNotFound:
        unavailable(f"{ARM64_BUSYBOX_IMAGE} is missing; run {_START}")
    if image.attrs.get("Architecture") != "arm64":
        unavailable(f"{ARM64_BUSYBOX_IMAGE} is {image.attrs.get('Architecture')}; run {_START}")
    return ARM64_BUSYBOX_IMAGE


_START = "`scripts/services.sh start` (as root)"


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

    # Low-level listings: the high-level ones inspect every container and image, and fail when a
    # test running beside this one removes one between the listing and the inspection.
    for container in client.api.containers(all=True):
        if any(name.lstrip("/").startswith(prefix) for name in container.get("Names") or ()):
            with contextlib.suppress(NotFound):
                client.api.remove_container(container["Id"], force=True)
    for image in client.api.images():
        for tag in image.get("RepoTags") or ():
            repository = tag.rsplit(":", 1)[0]
            if repository.startswith(f"{prefix}/") or f"/{prefix}/" in repository:
                with contextlib.suppress(NotFound):
                    client.api.remove_image(tag, force=True)


# ---------------------------------------------------------------------------------------------
# Registries


@pytest.fixture(scope="session")
def auth_registry(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Registry]:
    """A registry with htpasswd auth on a free loopback port (username, password set)."""
    registry = start_registry(tmp_path_factory.mktemp("auth-registry"), auth=True)
    yield registry
    registry.stop()


@pytest.fixture(scope="session")
def plain_registry(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Registry]:
    """A registry without auth on a free loopback port."""
    registry = start_registry(tmp_path_factory.mktemp("plain-registry"), auth=False)
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
