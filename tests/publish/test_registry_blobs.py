"""The registry client's blob operations against a small fake registry on 127.0.0.1: HEAD,
cross-repository mounts (and their fallback), streamed uploads and their retries, the Bearer
scope of a mount. The real registry is in tests/oci/test_push_real.py."""

from __future__ import annotations

import hashlib
import json
import os
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, urlsplit

import pytest

from builder.credentials import Credentials, CredentialSource
from builder.errors import RegistryError
from builder.registry import RegistryClient, RegistryUnavailable
from builder.retry import RetryPolicy

FAST = RetryPolicy(attempts=3, backoff=0.01, timeout=5)


class FakeRegistry:
    """Blobs per repository, uploads in progress; `log` records (method, path) per request."""

    def __init__(self) -> None:
        self.port = 0
        self.blobs: dict[tuple[str, str], bytes] = {}
        self.uploads: dict[str, str] = {}  # upload id -> repository
        self.log: list[tuple[str, str]] = []
        self.break_puts = 0  # PUTs of an upload to drop halfway through the body
        self.refuse_mounts = False  # answer a mount with 202, as when the source is not readable
        self.bearer = False  # ask for a token; `scopes` records the scopes of token requests
        self.scopes: list[list[str]] = []

    def handler(self) -> type[BaseHTTPRequestHandler]:
        fake = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def log_message(self, *_: Any) -> None:
                pass

            def reply(self, status: int, headers: dict[str, str] | None = None) -> None:
                self.send_response(status)
                for key, value in (headers or {}).items():
                    self.send_header(key, value)
                self.send_header("Content-Length", "0")
                self.end_headers()

            def handle_any(self) -> None:
                fake.log.append((self.command, self.path))
                url = urlsplit(self.path)
                query = parse_qs(url.query)
                if url.path == "/token":
                    fake.scopes.append(query.get("scope", []))
                    body = json.dumps({"token": "t"}).encode()
                    self.send_response(200)
                    self.send_header("Content-Length", str(len(body)))
                    self.end_headers()
                    self.wfile.write(body)
                    return
                if fake.bearer and self.headers.get("Authorization") != "Bearer t":
                    realm = f"http://127.0.0.1:{fake.port}/token"
                    self.reply(401, {"WWW-Authenticate": f'Bearer realm="{realm}",service="f"'})
                    return
                repository, _, rest = url.path.removeprefix("/v2/").partition("/blobs/")
                if self.command == "HEAD":
                    self.reply(200 if (repository, rest) in fake.blobs else 404)
                elif self.command == "POST":
                    self.post(repository, query)
                elif self.command == "PUT":
                    self.put(rest.removeprefix("uploads/"), query["digest"][0])
                elif self.command == "DELETE":
                    fake.uploads.pop(rest.removeprefix("uploads/"), None)
                    self.reply(204)

            def post(self, repository: str, query: dict[str, list[str]]) -> None:
                if "mount" in query:
                    source = (query["from"][0], query["mount"][0])
                    if source in fake.blobs and not fake.refuse_mounts:
                        fake.blobs[(repository, source[1])] = fake.blobs[source]
                        self.reply(201)
                        return
                upload = f"u{len(fake.log)}"
                fake.uploads[upload] = repository
                self.reply(202, {"Location": f"/v2/{repository}/blobs/uploads/{upload}"})

            def put(self, upload: str, digest: str) -> None:
                length = int(self.headers["Content-Length"])
                if fake.break_puts:
                    fake.break_puts -= 1
                    self.rfile.read(length // 2)
                    self.close_connection = True
                    self.connection.shutdown(2)  # the connection drops mid-body
                    return
                data = self.rfile.read(length)
                repository = fake.uploads.pop(upload)
                if "sha256:" + hashlib.sha256(data).hexdigest() != digest:
                    self.reply(400)
                    return
                fake.blobs[(repository, digest)] = data
                self.reply(201, {"Docker-Content-Digest": digest})

            do_GET = do_HEAD = do_POST = do_PUT = do_DELETE = handle_any

        return Handler


@pytest.fixture
def fake() -> Iterator[FakeRegistry]:
    state = FakeRegistry()
    server = ThreadingHTTPServer(("127.0.0.1", 0), state.handler())
    state.port = server.server_address[1]
    thread = threading.Thread(target=server.serve_forever, args=(0.02,), daemon=True)
    thread.start()
    try:
        yield state
    finally:
        server.shutdown()
        server.server_close()


def digest_of(data: bytes) -> str:
    return "sha256:" + hashlib.sha256(data).hexdigest()


def test_a_file_is_uploaded_streamed_with_its_progress(fake: FakeRegistry, tmp_path: Path) -> None:
    data = os.urandom(3 * (1 << 20) + 5)
    (tmp_path / "blob").write_bytes(data)
    sent: list[int] = []
    with RegistryClient(f"127.0.0.1:{fake.port}", None, FAST) as client:
        assert not client.has_blob("team/api", digest_of(data))
        client.upload_blob("team/api", digest_of(data), len(data), tmp_path / "blob", sent.append)
        assert client.has_blob("team/api", digest_of(data))
    assert fake.blobs[("team/api", digest_of(data))] == data
    assert sent == [1 << 20, 2 << 20, 3 << 20, len(data)]  # read a chunk at a time


def test_a_dropped_upload_restarts_from_the_start_of_the_file(
    fake: FakeRegistry, tmp_path: Path
) -> None:
    data = os.urandom(1 << 20)
    (tmp_path / "blob").write_bytes(data)
    fake.break_puts = 1
    with RegistryClient(f"127.0.0.1:{fake.port}", None, FAST) as client:
        client.upload_blob("team/api", digest_of(data), len(data), tmp_path / "blob")
    assert fake.blobs[("team/api", digest_of(data))] == data
    # A new upload each time: the one the dropped PUT belonged to is not reused.
    assert [method for method, _ in fake.log] == ["POST", "PUT", "POST", "PUT"]
    assert fake.log[1][1].split("?")[0] != fake.log[3][1].split("?")[0]


def test_a_retried_upload_calls_its_source_again(fake: FakeRegistry) -> None:
    data = os.urandom(200_000)
    opened: list[int] = []

    def chunks() -> Iterator[bytes]:
        opened.append(1)
        yield data[:100_000]
        yield data[100_000:]

    fake.break_puts = 2
    with RegistryClient(f"127.0.0.1:{fake.port}", None, FAST) as client:
        client.upload_blob("team/api", digest_of(data), len(data), chunks)
    assert len(opened) == 3
    assert fake.blobs[("team/api", digest_of(data))] == data


def test_an_upload_dropped_every_time_gives_up_after_the_attempts(
    fake: FakeRegistry, tmp_path: Path
) -> None:
    (tmp_path / "blob").write_bytes(b"x" * 100_000)
    fake.break_puts = 10
    with (
        RegistryClient(f"127.0.0.1:{fake.port}", None, FAST) as client,
        pytest.raises(RegistryUnavailable, match="failed PUT after 3 attempts: ConnectionError"),
    ):
        client.upload_blob("team/api", digest_of(b"x" * 100_000), 100_000, tmp_path / "blob")
    assert [method for method, _ in fake.log].count("POST") == 3


def test_a_wrong_digest_is_refused_not_retried(fake: FakeRegistry) -> None:
    with (
        RegistryClient(f"127.0.0.1:{fake.port}", None, FAST) as client,
        pytest.raises(RegistryError, match=r"answered HTTP 400 when uploading blob sha256:0+ to"),
    ):
        client.upload_blob("team/api", "sha256:" + "0" * 64, 3, lambda: (b"abc",))
    assert [method for method, _ in fake.log] == ["POST", "PUT"]


def test_a_blob_of_another_repository_is_mounted(fake: FakeRegistry) -> None:
    fake.blobs[("team/base", digest_of(b"layer"))] = b"layer"
    with RegistryClient(f"127.0.0.1:{fake.port}", None, FAST) as client:
        assert client.mount_blob("team/api", digest_of(b"layer"), "team/base")
    assert fake.blobs[("team/api", digest_of(b"layer"))] == b"layer"
    assert fake.log == [
        ("POST", f"/v2/team/api/blobs/uploads/?mount={digest_of(b'layer')}&from=team/base")
    ]


def test_a_mount_the_registry_declines_cancels_the_upload_it_started(
    fake: FakeRegistry,
) -> None:
    fake.blobs[("team/base", digest_of(b"layer"))] = b"layer"
    fake.refuse_mounts = True
    with RegistryClient(f"127.0.0.1:{fake.port}", None, FAST) as client:
        assert not client.mount_blob("team/api", digest_of(b"layer"), "team/base")
        assert not client.mount_blob("team/api", digest_of(b"other"), "team/base")
    assert ("team/api", digest_of(b"layer")) not in fake.blobs
    assert fake.uploads == {}  # both uploads the registry started were deleted
    assert [method for method, _ in fake.log] == ["POST", "DELETE", "POST", "DELETE"]


def test_a_mount_asks_for_a_token_that_may_also_pull_the_source(fake: FakeRegistry) -> None:
    fake.bearer = True
    fake.blobs[("team/base", digest_of(b"layer"))] = b"layer"
    credentials = Credentials("x", "dave", "pw", CredentialSource.ENV, "DOCKER_AUTH_CONFIG")
    with RegistryClient(f"127.0.0.1:{fake.port}", credentials, FAST) as client:
        assert client.mount_blob("team/api", digest_of(b"layer"), "team/base")
        assert client.put_blob("team/api", b"config") == digest_of(b"config")
    assert fake.scopes == [
        ["repository:team/api:pull,push", "repository:team/base:pull"],
        ["repository:team/api:pull"],  # the HEAD of put_blob
        ["repository:team/api:pull,push"],
    ]
    assert fake.blobs[("team/api", digest_of(b"config"))] == b"config"
