"""The stdlib reader over a local engine's unix socket, against a small unix-socket HTTP server,
and the promise it exists for: reading a local engine never imports the Docker SDK."""

from __future__ import annotations

import http.server
import json
import socketserver
import subprocess
import sys
import threading
from collections.abc import Iterator
from pathlib import Path
from typing import ClassVar

import pytest

from builder.engine.local import LocalReader, NotFound
from builder.engine.operations import Engine
from builder.errors import EngineError
from builder.records import INPUT_DIGEST_LABEL

REPO = Path(__file__).resolve().parents[2]
IMAGE = {
    "Id": "sha256:abc",
    "RepoTags": ["shop/api:1", "shop/api:dev"],
    "Config": {"Labels": {INPUT_DIGEST_LABEL: "sha256:inputs"}},
}
ANSWERS: dict[str, tuple[int, object]] = {
    "/version": (200, {"Version": "20.10.24+dfsg1", "ApiVersion": "1.41"}),
    "/images/shop/api:1/json": (200, IMAGE),
    "/images/gone:1/json": (404, {"message": "No such image: gone:1"}),
    "/images/broken:1/json": (500, {"message": "layer store is corrupt"}),
    "/images/text:1/json": (503, "engine busy"),
    "/images/sha256:abc/get": (200, "x" * 3_000_000),  # an export, in several chunks
    "/images/sha256:gone/get": (404, {"message": "No such image"}),
}
POSTS: dict[str, int] = {  # path and query -> status
    "/images/sha256:abc/tag?repo=shop%2Fapi&tag=2": 201,
    "/images/sha256:abc/tag?repo=127.0.0.1%3A5000%2Fshop%2Fapi&tag=latest": 201,
    "/images/sha256:gone/tag?repo=shop%2Fapi&tag=2": 404,
}


class _Handler(http.server.BaseHTTPRequestHandler):
    requests: ClassVar[list[tuple[str, str | None]]] = []

    def do_GET(self) -> None:  # the name http.server calls
        self.requests.append((self.path, self.headers.get("Host")))
        status, body = ANSWERS.get(self.path, (404, {"message": "page not found"}))
        data = body.encode() if isinstance(body, str) else json.dumps(body).encode()
        self.send_response(status)
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def do_POST(self) -> None:  # the name http.server calls
        self.requests.append((f"POST {self.path}", self.headers.get("Host")))
        self.send_response(POSTS.get(self.path, 400))
        self.send_header("Content-Length", "0")
        self.end_headers()

    def log_message(self, format: str, *args: object) -> None:
        pass  # a unix socket has no client address to log


class _Server(socketserver.ThreadingMixIn, socketserver.UnixStreamServer):
    daemon_threads = True


@pytest.fixture
def engine_socket(tmp_path: Path) -> Iterator[str]:
    path = str(tmp_path / "e.sock")
    _Handler.requests = []
    server = _Server(path, _Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield path
    finally:
        server.shutdown()
        server.server_close()


def test_get_decodes_the_json_answer_and_names_the_host(engine_socket: str) -> None:
    assert LocalReader(engine_socket, timeout=5).get("/version")["ApiVersion"] == "1.41"
    assert _Handler.requests == [("/version", "docker")]


def test_a_404_is_not_found(engine_socket: str) -> None:
    with pytest.raises(NotFound):
        LocalReader(engine_socket, timeout=5).get("/images/gone:1/json")


def test_another_status_is_an_engine_error_with_the_engine_s_message(engine_socket: str) -> None:
    reader = LocalReader(engine_socket, timeout=5)
    with pytest.raises(EngineError, match="answered 500: layer store is corrupt"):
        reader.get("/images/broken:1/json")
    with pytest.raises(EngineError, match="answered 503: engine busy"):
        reader.get("/images/text:1/json")


def test_nothing_listening_is_an_os_error(tmp_path: Path) -> None:
    with pytest.raises(OSError):
        LocalReader(str(tmp_path / "absent.sock"), timeout=5).get("/version")


def test_an_engine_reads_version_and_images_through_it(engine_socket: str) -> None:
    engine = Engine(f"unix://{engine_socket}")
    info = engine.info()
    assert (info.version, info.api_version) == ("20.10.24+dfsg1", "1.41")
    found = engine.tagged_image("shop/api:1")
    assert found is not None and found.image_id == "sha256:abc"
    assert found.input_digest == "sha256:inputs"
    assert found.tags == frozenset({"shop/api:1", "shop/api:dev"})
    assert engine.image_id("gone:1") is None
    engine.info()  # asked once, then remembered
    assert [path for path, _ in _Handler.requests].count("/version") == 1


def test_an_engine_that_is_not_there_is_one_unreachable_error(tmp_path: Path) -> None:
    with pytest.raises(EngineError, match="does not answer: nothing is listening there"):
        Engine(f"unix://{tmp_path / 'absent.sock'}").info()


def test_reading_a_local_engine_never_imports_the_sdk(engine_socket: str) -> None:
    # What a run where nothing changed does: the version, then inspecting tags.
    calls = "engine.info(); engine.tagged_image('shop/api:1'); engine.image_id('gone:1')\n"
    assert _in_a_process(engine_socket, calls) == ["[]"]
    assert len(_Handler.requests) == 3


def test_an_engine_tags_and_exports_through_it_without_the_sdk(engine_socket: str) -> None:
    # What a run that publishes an index does with the engine besides reading: a tag after
    # each build, an export per platform.
    calls = (
        "engine.tag('sha256:abc', ('shop/api:2', '127.0.0.1:5000/shop/api'))\n"
        "print(sum(len(chunk) for chunk in engine.save('sha256:abc')))\n"
    )
    assert _in_a_process(engine_socket, calls) == ["3000000", "[]"]
    assert [path for path, _ in _Handler.requests] == [
        "POST /images/sha256:abc/tag?repo=shop%2Fapi&tag=2",
        "POST /images/sha256:abc/tag?repo=127.0.0.1%3A5000%2Fshop%2Fapi&tag=latest",
        "/images/sha256:abc/get",
    ]


def test_tagging_or_exporting_a_missing_image_says_which(engine_socket: str) -> None:
    engine = Engine(f"unix://{engine_socket}")
    with pytest.raises(EngineError, match="tagging shop/api:2: no such image"):
        engine.tag("sha256:gone", ("shop/api:2",))
    with pytest.raises(EngineError, match="saving sha256:gone: no such image"):
        b"".join(engine.save("sha256:gone"))


def _in_a_process(engine_socket: str, calls: str) -> list[str]:
    """The lines `calls` print, run on an `engine` of the socket in a fresh interpreter, then
    the heavy HTTP modules it has imported (`[]`: none)."""
    script = (
        "import sys\n"
        "from builder.engine.operations import Engine\n"
        f"engine = Engine('unix://{engine_socket}')\n"
        f"{calls}"
        "print(sorted(m for m in ('docker', 'requests', 'urllib3') if m in sys.modules))\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", script],
        cwd=REPO,
        env={"PYTHONPATH": str(REPO), "PATH": "/usr/bin:/bin"},
        capture_output=True,
        text=True,
        check=True,
        timeout=60,
    )
    return result.stdout.splitlines()
