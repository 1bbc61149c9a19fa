"""The registry client's HTTP transport (builder.registry_http) against small HTTP servers on
127.0.0.1: kept-alive connections, redirects, streamed bodies, the failures it names, and which
proxy the environment picks."""

from __future__ import annotations

import base64
import socket
import ssl
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest

from builder.registry_http import Session, TransportError, _proxy
from builder.registry_wire import StreamedBody
from tests.fakeregistry import QuietHandler, running


class Server:
    """Answers by path; `seen` records (path, Authorization, body, client port) per request."""

    def __init__(self) -> None:
        self.port = 0
        self.seen: list[tuple[str, str, bytes, int]] = []
        self.other_port = 0  # where /elsewhere redirects to

    def handler(self) -> type[BaseHTTPRequestHandler]:
        server = self

        class Handler(QuietHandler):
            protocol_version = "HTTP/1.1"

            def handle_any(self) -> None:
                length = int(self.headers.get("Content-Length") or 0)
                body = self.rfile.read(length) if length else b""
                auth = self.headers.get("Authorization", "")
                server.seen.append((self.path, auth, body, self.client_address[1]))
                if self.path == "/here":
                    self.reply(307, {"Location": "/there"})
                elif self.path == "/elsewhere":
                    self.reply(302, {"Location": f"http://127.0.0.1:{server.other_port}/blob"})
                elif self.path == "/close":
                    self.reply(200, {"Connection": "close"}, b"bye")
                    self.close_connection = True
                else:
                    self.reply(200, {"Content-Type": "text/plain"}, b"path " + self.path.encode())

            do_GET = do_HEAD = do_PUT = do_POST = handle_any

        return Handler


@pytest.fixture
def server() -> Iterator[Server]:
    with running(Server()) as state:
        yield state


def url(server: Server, path: str) -> str:
    return f"http://127.0.0.1:{server.port}{path}"


def test_a_connection_is_kept_alive_between_requests(server: Server) -> None:
    session = Session()
    for path in ("/a", "/b", "/c"):
        assert session.request("GET", url(server, path), {}).content == b"path " + path.encode()
    assert len({port for *_, port in server.seen}) == 1  # one connection for the three
    session.close()


def test_a_connection_the_server_closes_is_not_reused(server: Server) -> None:
    session = Session()
    assert session.request("GET", url(server, "/close"), {}).content == b"bye"
    assert session.request("GET", url(server, "/next"), {}).status_code == 200
    assert len({port for *_, port in server.seen}) == 2
    session.close()


def test_a_redirect_is_followed_with_the_body_sent_again(server: Server) -> None:
    session = Session()
    response = session.request("PUT", url(server, "/here"), {"Authorization": "x"}, data=b"body")
    assert response.content == b"path /there"
    assert [(path, auth, body) for path, auth, body, _ in server.seen] == [
        ("/here", "x", b"body"),
        ("/there", "x", b"body"),
    ]


def test_a_redirect_to_another_host_drops_the_authorization(server: Server) -> None:
    with running(Server()) as storage:
        server.other_port = storage.port
        response = Session().request("GET", url(server, "/elsewhere"), {"Authorization": "s3"})
        assert response.content == b"path /blob"
        assert [auth for _, auth, *_ in storage.seen] == [""]
    assert [auth for _, auth, *_ in server.seen] == ["s3"]


def test_a_streamed_body_is_sent_with_its_length_and_a_download_streams(server: Server) -> None:
    sent: list[int] = []
    body = StreamedBody(iter([b"ab", b"cd", b"e"]), 5, sent.append)
    session = Session()
    assert session.request("POST", url(server, "/up"), {}, data=body).status_code == 200
    assert server.seen[-1][2] == b"abcde" and sent == [2, 4, 5]
    with session.request("GET", url(server, "/down"), {}, stream=True) as response:
        assert b"".join(response.iter_content(3)) == b"path /down"
    assert session.request("GET", url(server, "/again"), {}).status_code == 200
    assert len({port for *_, port in server.seen[1:]}) == 1  # the streamed one went back


def test_query_parameters_repeat_for_a_list(server: Server) -> None:
    params: dict[str, str | list[str]] = {"service": "s", "scope": ["a:b", "c"]}
    Session().request("GET", url(server, "/token"), {}, params=params)
    assert server.seen[-1][0] == "/token?service=s&scope=a%3Ab&scope=c"


def test_refused_and_timed_out_are_named() -> None:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    with pytest.raises(TransportError) as refused:
        Session().request("GET", f"http://127.0.0.1:{port}/", {}, timeout=2)
    assert refused.value.kind == "ConnectionError" and "Connection refused" in str(refused.value)

    with socket.socket() as silent:  # accepts, never answers
        silent.bind(("127.0.0.1", 0))
        silent.listen()
        address = f"http://127.0.0.1:{silent.getsockname()[1]}/"
        with pytest.raises(TransportError) as slow:
            Session().request("GET", address, {}, timeout=0.3)
    assert slow.value.kind == "Timeout"


def test_an_idle_connection_the_server_dropped_is_replaced_once() -> None:
    """A kept-alive connection the server closed while idle fails on the next request; the
    request goes again on a new one, as requests' pool does."""
    answers = [
        b"HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok",  # then the server drops it
        b"HTTP/1.1 200 OK\r\nContent-Length: 5\r\n\r\nagain",
    ]
    listener = socket.socket()
    listener.bind(("127.0.0.1", 0))
    listener.listen()

    def serve() -> None:
        for answer in answers:
            connection, _ = listener.accept()
            connection.recv(65536)
            connection.sendall(answer)
            connection.close()

    thread = threading.Thread(target=serve, daemon=True)
    thread.start()
    address = f"http://127.0.0.1:{listener.getsockname()[1]}/"
    session = Session()
    assert session.request("GET", address, {}).content == b"ok"
    assert session.request("GET", address, {}).content == b"again"
    thread.join(5)
    listener.close()


def test_the_proxy_comes_from_the_environment_and_never_for_loopback(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    for name in ("http_proxy", "https_proxy", "no_proxy", "HTTP_PROXY", "HTTPS_PROXY", "NO_PROXY"):
        monkeypatch.delenv(name, raising=False)
    assert _proxy("https", "registry.example") is None
    monkeypatch.setenv("HTTPS_PROXY", "proxy.example:3128")
    monkeypatch.setenv("NO_PROXY", "internal.example")
    assert _proxy("https", "registry.example") == "http://proxy.example:3128"
    assert _proxy("http", "registry.example") is None  # only HTTPS_PROXY is set
    assert _proxy("https", "internal.example") is None
    assert _proxy("https", "127.0.0.1") is None
    assert _proxy("https", "localhost") is None


class _Recorder:
    """Answers every request with 200 and records (request line, Host, Proxy-Authorization)."""

    def __init__(self) -> None:
        self.port = 0
        self.seen: list[tuple[str, str, str]] = []

    def handler(self) -> type[BaseHTTPRequestHandler]:
        recorder = self

        class Handler(QuietHandler):
            protocol_version = "HTTP/1.1"

            def do_GET(self) -> None:  # the name http.server calls
                proxy_auth = self.headers.get("Proxy-Authorization", "")
                recorder.seen.append((self.requestline, self.headers["Host"], proxy_auth))
                self.reply(200, body=b"via")

        return Handler


def test_a_plain_http_proxy_gets_the_whole_url_and_its_credentials(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """The client connects to the proxy alone (on loopback here): the registry's name is only
    written in the request, never looked up."""
    with running(_Recorder()) as proxy:
        monkeypatch.setenv("HTTP_PROXY", f"http://dave:s%40cret@127.0.0.1:{proxy.port}")
        monkeypatch.delenv("NO_PROXY", raising=False)
        monkeypatch.delenv("no_proxy", raising=False)
        response = Session().request("GET", "http://registry.example/v2/", {})
        assert response.content == b"via"
    token = base64.b64encode(b"dave:s@cret").decode()
    assert proxy.seen == [
        ("GET http://registry.example/v2/ HTTP/1.1", "registry.example", f"Basic {token}")
    ]


def test_https_is_checked_against_the_machine_s_and_docker_s_cas(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from builder import registry_http
    from tests.pool.engines import make_certificates

    make_certificates(tmp_path)
    context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    context.load_cert_chain(tmp_path / "server-cert.pem", tmp_path / "server-key.pem")
    server = ThreadingHTTPServer(("127.0.0.1", 0), _Recorder().handler())
    server.socket = context.wrap_socket(server.socket, server_side=True)
    thread = threading.Thread(target=server.serve_forever, args=(0.02,), daemon=True)
    thread.start()
    address = f"https://127.0.0.1:{server.server_address[1]}/v2/"
    try:
        registry_http._tls.cache_clear()
        with pytest.raises(TransportError) as untrusted:  # a CA this machine does not trust
            Session().request("GET", address, {}, timeout=5)
        assert untrusted.value.kind == "SSLError" and "CERTIFICATE_VERIFY_FAILED" in str(
            untrusted.value
        )
        # The registry's CA where Docker keeps it for the engine: certs.d/HOST:PORT/ca.crt.
        port = server.server_address[1]
        certs = tmp_path / "certs.d"
        (certs / f"127.0.0.1:{port}").mkdir(parents=True)
        (certs / f"127.0.0.1:{port}" / "ca.crt").write_bytes((tmp_path / "ca.pem").read_bytes())
        monkeypatch.setattr(registry_http, "CERTS_D", certs)
        registry_http._tls.cache_clear()
        assert Session().request("GET", address, {}, timeout=5).content == b"via"
        monkeypatch.setattr(registry_http, "CERTS_D", tmp_path / "none")
        monkeypatch.setenv("SSL_CERT_FILE", str(tmp_path / "ca.pem"))  # as OpenSSL reads it
        registry_http._tls.cache_clear()
        assert Session().request("GET", address, {}, timeout=5).content == b"via"
    finally:
        registry_http._tls.cache_clear()
        server.shutdown()
        server.server_close()
