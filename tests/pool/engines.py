"""Real Docker engines of our own, for the pool tests and the pool benchmark.

Each runs from a short folder (`/tmp/ibp-XXXXXXXX/e1`: its socket, data-root and exec-root;
containerd's socket inside the exec-root must stay under 107 bytes), with the bridge off, and
is stopped by pid at the end of the session. The busybox base is imported into e1 and copied to
the others by save/load, so it has one image ID everywhere, as a base pulled from a registry
would. A test may kill an engine: `EngineSet.ensure_up` starts any dead one again.
"""

from __future__ import annotations

import contextlib
import os
import signal
import subprocess
import time
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any


@dataclass
class OwnEngine:
    """One dockerd of ours; everything it owns lives under `root`."""

    name: str
    root: Path
    process: subprocess.Popen[bytes] | None = field(default=None, repr=False)
    tls_port: int | None = None  # listen on tcp://127.0.0.1:PORT with TLS (certs in root/tls)

    @property
    def url(self) -> str:
        if self.tls_port is not None:
            return f"tcp://127.0.0.1:{self.tls_port}"
        return f"unix://{self.root}/d.sock"

    def client(self) -> Any:
        import docker

        certs = self.root / "tls"
        # Without TLS settings: a client of the test's own (REQUESTS_CA_BUNDLE would replace
        # the CA of a docker.DockerClient); with them: what imgbuild itself connects with.
        if self.tls_port is None:
            return docker.DockerClient(base_url=self.url, timeout=120)
        from builder.config import TlsSettings
        from builder.engine.operations import Engine

        settings = TlsSettings(certs / "ca.pem", certs / "cert.pem", certs / "key.pem")
        client = docker.DockerClient(base_url=self.url, timeout=120, version="1.41")
        client.api = Engine(self.url, tls=settings)._new_client(120)
        return client

    def _listen(self) -> list[str]:
        if self.tls_port is None:
            return ["--host", self.url]
        certs = self.root / "tls"
        if not (certs / "server-cert.pem").is_file():
            make_certificates(certs)
        return [
            "--host",
            self.url,
            "--tlsverify",
            f"--tlscacert={certs / 'ca.pem'}",
            f"--tlscert={certs / 'server-cert.pem'}",
            f"--tlskey={certs / 'server-key.pem'}",
        ]

    def alive(self) -> bool:
        return self.process is not None and self.process.poll() is None

    def start(self) -> None:
        for folder in ("data", "x"):
            (self.root / folder).mkdir(parents=True, exist_ok=True)
        with (self.root / "dockerd.log").open("ab") as log:
            self.process = subprocess.Popen(
                [
                    "dockerd",
                    *self._listen(),
                    "--data-root",
                    str(self.root / "data"),
                    "--exec-root",
                    str(self.root / "x"),
                    "--pidfile",
                    str(self.root / "d.pid"),
                    "--bridge=none",
                    "--iptables=false",
                    "--ip-masq=false",
                    "--ip-forward=false",
                ],
                stdin=subprocess.DEVNULL,
                stdout=log,
                stderr=subprocess.STDOUT,
                start_new_session=True,
            )
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline and self.alive():
            with contextlib.suppress(Exception):
                self.client().ping()
                return
            time.sleep(0.2)
        log_text = (self.root / "dockerd.log").read_text(errors="replace")[-2000:]
        self.stop()
        raise RuntimeError(f"dockerd {self.name} did not start:\n{log_text}")

    def kill(self) -> None:
        """SIGKILL the dockerd, as a crashed host would look."""
        assert self.process is not None
        os.kill(self.process.pid, signal.SIGKILL)
        self.process.wait()

    def stop(self) -> None:
        """Stop the dockerd by pid, then whatever of ours it left (its containerd and shims
        name our folder on their command line) and its mounts."""
        if self.alive():
            assert self.process is not None
            self.process.terminate()
            try:
                self.process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
        self.process = None
        for pid in _pids_mentioning(str(self.root)):
            with contextlib.suppress(ProcessLookupError):
                os.kill(pid, signal.SIGKILL)
        deadline = time.monotonic() + 10
        while _pids_mentioning(str(self.root)) and time.monotonic() < deadline:
            time.sleep(0.1)
        for mount in reversed(_mounts_under(self.root)):
            subprocess.run(["umount", "-l", mount], check=False, capture_output=True)


def _pids_mentioning(text: str) -> list[int]:
    found = []
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit() or int(entry.name) == os.getpid():
            continue
        with contextlib.suppress(OSError):
            if text in (entry / "cmdline").read_bytes().replace(b"\0", b" ").decode(
                errors="replace"
            ):
                found.append(int(entry.name))
    return found


def _mounts_under(root: Path) -> list[str]:
    mounts = []
    for line in Path("/proc/mounts").read_text().splitlines():
        target = line.split()[1]
        if target == str(root) or target.startswith(f"{root}/"):
            mounts.append(target)
    return mounts


@dataclass
class EngineSet:
    engines: dict[str, OwnEngine]

    def __getitem__(self, name: str) -> OwnEngine:
        return self.engines[name]

    def ensure_up(self) -> None:
        for engine in self.engines.values():
            if not engine.alive():
                engine.stop()
                engine.start()

    def stop(self) -> None:
        for engine in self.engines.values():
            engine.stop()


def start_engines(base: Path, names: Sequence[str], busybox_tar: bytes, image: str) -> EngineSet:
    """Start an engine per name under `base`, with `image` imported into the first and copied
    to the others (one image ID everywhere). Stops what it started if one fails."""
    engines = EngineSet({name: OwnEngine(name, base / name) for name in names})
    try:
        for engine in engines.engines.values():
            engine.start()
        first = engines[names[0]].client()
        repository, tag = image.split(":")
        first.api.import_image_from_data(
            busybox_tar, repository=repository, tag=tag, changes=['CMD ["/bin/sh"]']
        )
        saved = b"".join(first.images.get(image).save())
        for name in names[1:]:
            engines[name].client().images.load(saved)
    except BaseException:
        engines.stop()
        raise
    return engines


def make_certificates(folder: Path) -> None:
    """A throw-away CA, a server certificate for 127.0.0.1 and a client certificate (openssl),
    as Docker's "protect the daemon socket" guide makes them."""
    folder.mkdir(parents=True, exist_ok=True)

    def openssl(*args: str) -> None:
        subprocess.run(["openssl", *args], cwd=folder, check=True, capture_output=True)

    openssl(
        "req",
        "-x509",
        "-newkey",
        "rsa:2048",
        "-nodes",
        "-keyout",
        "ca-key.pem",
        "-out",
        "ca.pem",
        "-days",
        "2",
        "-subj",
        "/CN=imgbuild-test-ca",
    )
    for name, usage, subject in (
        ("server", "serverAuth\nsubjectAltName=IP:127.0.0.1", "/CN=127.0.0.1"),
        ("client", "clientAuth", "/CN=client"),
    ):
        key, cert = (
            ("server-key.pem", "server-cert.pem") if name == "server" else ("key.pem", "cert.pem")
        )
        (folder / f"{name}.ext").write_text(f"extendedKeyUsage={usage}\n")
        openssl(
            "req",
            "-newkey",
            "rsa:2048",
            "-nodes",
            "-keyout",
            key,
            "-out",
            f"{name}.csr",
            "-subj",
            subject,
        )
        openssl(
            "x509",
            "-req",
            "-in",
            f"{name}.csr",
            "-CA",
            "ca.pem",
            "-CAkey",
            "ca-key.pem",
            "-CAcreateserial",
            "-out",
            cert,
            "-days",
            "2",
            "-extfile",
            f"{name}.ext",
        )
