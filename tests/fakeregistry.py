"""A registry in memory behind a real HTTP server on 127.0.0.1, for the edge cases a real
registry does not show on demand: an upload dropped halfway, a mount declined, a Bearer token
flow, the OCI 1.1 referrers API (`referrers = True`; distribution 2.8 has none). Blobs and
manifests per repository; `log` records every request."""

from __future__ import annotations

import contextlib
import hashlib
import json
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any, Protocol, TypeVar
from urllib.parse import parse_qs, urlsplit


class QuietHandler(BaseHTTPRequestHandler):
    """A request handler that logs nothing and answers in one call."""

    def log_message(self, *_: Any) -> None:
        pass

    def reply(self, status: int, headers: dict[str, str] | None = None, body: bytes = b"") -> None:
        self.send_response(status)
        for key, value in (headers or {}).items():
            self.send_header(key, value)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(body)


class FakeRegistry:
    """Blobs and manifests per repository, uploads in progress."""

    def __init__(self) -> None:
        self.port = 0
        self.blobs: dict[tuple[str, str], bytes] = {}  # (repository, digest) -> bytes
        self.manifests: dict[tuple[str, str], tuple[str, bytes]] = {}  # by tag and by digest
        self.uploads: dict[str, str] = {}  # upload id -> repository
        self.log: list[tuple[str, str]] = []  # (method, path) of every request
        self.break_puts = 0  # PUTs of an upload to drop halfway through the body
        self.refuse_mounts = False  # answer a mount with 202, as when the source is not readable
        self.bearer = False  # ask for a token; `scopes` records the scopes of token requests
        self.scopes: list[list[str]] = []
        self.referrers = False  # offer GET /v2/NAME/referrers/DIGEST, as OCI 1.1 registries do

    def count(self, method: str, part: str) -> int:
        """How many requests of `method` had `part` in their path."""
        return sum(1 for logged, path in self.log if logged == method and part in path)

    def handler(self) -> type[BaseHTTPRequestHandler]:
        fake = self

        class Handler(QuietHandler):
            protocol_version = "HTTP/1.1"  # keep-alive, as the client's session uses it

            def handle_any(self) -> None:
                fake.log.append((self.command, self.path))
                url = urlsplit(self.path)
                query = parse_qs(url.query)
                if url.path == "/token":
                    fake.scopes.append(query.get("scope", []))
                    self.reply(200, body=json.dumps({"token": "t"}).encode())
                    return
                if fake.bearer and self.headers.get("Authorization") != "Bearer t":
                    realm = f"http://127.0.0.1:{fake.port}/token"
                    self.reply(401, {"WWW-Authenticate": f'Bearer realm="{realm}",service="f"'})
                    return
                if url.path == "/v2/":  # the version check a client signs in with
                    self.reply(200)
                    return
                path = url.path.removeprefix("/v2/")
                if "/referrers/" in path and fake.referrers:
                    self.referrers(*path.split("/referrers/"))
                    return
                if "/manifests/" in path:
                    self.manifest(*path.split("/manifests/"))
                    return
                repository, _, rest = path.partition("/blobs/")
                if self.command in ("HEAD", "GET"):
                    data = fake.blobs.get((repository, rest))
                    if data is None:
                        self.reply(404)
                    else:
                        self.reply(200, body=data)
                elif self.command == "POST":
                    self.post(repository, query)
                elif self.command == "PUT":
                    self.put(rest.removeprefix("uploads/"), query["digest"][0])
                elif self.command == "DELETE":
                    fake.uploads.pop(rest.removeprefix("uploads/"), None)
                    self.reply(204)

            def manifest(self, repository: str, reference: str) -> None:
                if self.command == "PUT":
                    body = self.rfile.read(int(self.headers["Content-Length"]))
                    digest = "sha256:" + hashlib.sha256(body).hexdigest()
                    stored = (self.headers["Content-Type"], body)
                    fake.manifests[(repository, reference)] = stored
                    fake.manifests[(repository, digest)] = stored
                    headers = {"Docker-Content-Digest": digest}
                    subject = json.loads(body).get("subject")
                    if fake.referrers and subject:
                        headers["OCI-Subject"] = subject["digest"]
                    self.reply(201, headers)
                    return
                found = fake.manifests.get((repository, reference))
                if found is None:
                    self.reply(404)
                    return
                media_type, body = found
                digest = "sha256:" + hashlib.sha256(body).hexdigest()
                headers = {"Content-Type": media_type, "Docker-Content-Digest": digest}
                self.reply(200, headers, body)

            def referrers(self, repository: str, digest: str) -> None:
                """The image index of every manifest of `repository` whose subject is `digest`."""
                listed = {}
                for (name, _), (media_type, body) in fake.manifests.items():
                    document = json.loads(body)
                    subject = document.get("subject") or {}
                    if name != repository or subject.get("digest") != digest:
                        continue
                    found = "sha256:" + hashlib.sha256(body).hexdigest()
                    listed[found] = {
                        "mediaType": media_type,
                        "digest": found,
                        "size": len(body),
                        "artifactType": document.get("artifactType")
                        or document["config"]["mediaType"],
                        "annotations": document.get("annotations") or {},
                    }
                index = {
                    "schemaVersion": 2,
                    "mediaType": "application/vnd.oci.image.index.v1+json",
                    "manifests": list(listed.values()),
                }
                headers = {"Content-Type": "application/vnd.oci.image.index.v1+json"}
                self.reply(200, headers, json.dumps(index).encode())

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


class Served(Protocol):
    port: int

    def handler(self) -> type[BaseHTTPRequestHandler]: ...


S = TypeVar("S", bound=Served)


@contextlib.contextmanager
def running(state: S) -> Iterator[S]:
    """`state` served on a free loopback port (its `port`) for the time of the block."""
    server = ThreadingHTTPServer(("127.0.0.1", 0), state.handler())
    state.port = server.server_address[1]
    thread = threading.Thread(target=server.serve_forever, args=(0.02,), daemon=True)
    thread.start()
    try:
        yield state
    finally:
        server.shutdown()
        server.server_close()
