"""HTTP for the registry client, on the standard library's `http.client`.

Why not requests: importing it (with urllib3) takes about a tenth of a second, a quarter of a
publish that finds everything in place. What the registry client needs is small, and here:
keep-alive connections reused across threads, redirects (registries send blob downloads to
their storage; the Authorization header is dropped when the host changes, as requests does),
proxies from the environment (`HTTPS_PROXY`, `HTTP_PROXY`, `NO_PROXY`; never for loopback),
TLS checked against the system's CAs (`SSL_CERT_FILE`/`SSL_CERT_DIR` override them) and a
registry's own in `/etc/docker/certs.d/HOST[:PORT]` as the engine uses them, streamed
bodies both ways. A failure to connect, send or read is a `TransportError`, whose text says
which (`ConnectionError: ...`, `Timeout: ...`, `SSLError: ...`).
"""

from __future__ import annotations

import http.client
import json
import os
import ssl
import threading
from collections.abc import Callable, Iterable, Iterator, Mapping
from functools import cache
from pathlib import Path
from typing import Any
from urllib.parse import urlencode, urljoin, urlsplit

from builder.credentials import basic_token

# Where Docker keeps a private registry's CA and client certificates (docs: "Verify repository
# client with certificates"); the engine trusts them for its pushes, so does this client.
CERTS_D = Path("/etc/docker/certs.d")
_REDIRECTS = {301, 302, 303, 307, 308}
_MAX_REDIRECTS = 10
_DEFAULT_PORTS = {"http": 80, "https": 443}
Body = bytes | Iterable[bytes] | None  # an iterable body must also have a len() (its size)
# (scheme, host, port, proxy): connections to one place, reusable by any thread
_Place = tuple[str, str, int, str | None]


class TransportError(Exception):
    """The request did not get an answer: refused, reset, timed out, TLS refused. `kind` is
    `ConnectionError`, `Timeout` or `SSLError`, as requests names them."""

    def __init__(self, kind: str, detail: object) -> None:
        super().__init__(f"{kind}: {detail}")
        self.kind, self.detail = kind, str(detail)


class Response:
    """An answer: status, headers (case-insensitive), and the body, read whole unless the
    request was streamed. The connection goes back to its session once the body is read."""

    def __init__(
        self, raw: http.client.HTTPResponse, release: Callable[[bool], None], url: str
    ) -> None:
        self._raw, self._give_back, self.url = raw, release, url
        self._released = False
        self.status_code = raw.status
        self.reason = raw.reason
        self.headers = raw.headers
        self._content: bytes | None = None

    @property
    def content(self) -> bytes:
        if self._content is None:
            self._content = b"".join(self.iter_content(1 << 20))
        return self._content

    def json(self) -> Any:
        return json.loads(self.content)

    def iter_content(self, chunk_size: int) -> Iterator[bytes]:
        finished = False
        try:
            while chunk := self._raw.read(chunk_size):
                yield chunk
            finished = True
        except TimeoutError as error:
            raise TransportError("Timeout", error) from None
        except (OSError, http.client.HTTPException) as error:
            raise TransportError("ConnectionError", error) from None
        finally:
            self._release(finished)

    def close(self) -> None:
        """Done with it: a body not read to its end costs the connection."""
        self._release(False)

    def _release(self, finished: bool) -> None:
        if not self._released:
            self._released = True
            self._give_back(finished)

    def __enter__(self) -> Response:
        return self

    def __exit__(self, *_: object) -> None:
        self.close()


class Session:
    """Keep-alive connections per place, shared by the threads of one registry client."""

    def __init__(self) -> None:
        self._idle: dict[_Place, list[http.client.HTTPConnection]] = {}
        self._lock = threading.Lock()
        # Each answer's (method, path and query, status): for tests that count requests.
        self.on_response: list[Callable[[str, str, int], None]] = []

    def request(
        self,
        method: str,
        url: str,
        headers: Mapping[str, str],
        *,
        data: Body = None,
        params: Mapping[str, str | list[str]] | None = None,
        stream: bool = False,
        timeout: float = 30.0,
    ) -> Response:
        """Send, following redirects; the body is read before returning unless `stream`."""
        if params:
            url += ("&" if "?" in url else "?") + urlencode(params, doseq=True)
        sent = dict(headers)
        for _ in range(_MAX_REDIRECTS + 1):
            response = self._once(method, url, sent, data, timeout)
            location = response.headers.get("Location")
            if response.status_code not in _REDIRECTS or not location:
                if not stream:
                    response.content  # noqa: B018 (read now: the connection is free again)
                return response
            response.close()
            target = urljoin(url, location)
            if urlsplit(target).netloc != urlsplit(url).netloc:
                sent = {k: v for k, v in sent.items() if k.lower() != "authorization"}
            if response.status_code == 303 or (
                response.status_code in (301, 302) and method == "POST"
            ):
                method, data = "GET", None
            elif data is not None and not isinstance(data, bytes):
                raise TransportError("ConnectionError", f"{url} redirected a streamed upload")
            url = target
        raise TransportError("ConnectionError", f"more than {_MAX_REDIRECTS} redirects from {url}")

    def close(self) -> None:
        with self._lock:
            idle, self._idle = self._idle, {}
        for connections in idle.values():
            for connection in connections:
                connection.close()

    def _once(
        self, method: str, url: str, headers: dict[str, str], data: Body, timeout: float
    ) -> Response:
        parts = urlsplit(url)
        scheme, host = parts.scheme, parts.hostname or ""
        port = parts.port or _DEFAULT_PORTS.get(scheme, 80)
        place: _Place = (scheme, host, port, _proxy(scheme, host))
        path = (parts.path or "/") + (f"?{parts.query}" if parts.query else "")
        sent = {"User-Agent": "imgbuild", "Accept": "*/*", **headers}
        if place[3] is not None and scheme == "http":  # a plain-HTTP proxy takes the whole URL
            via = urlsplit(place[3])
            path, sent["Host"] = url, parts.netloc
            sent.update(_proxy_authorization(via.username, via.password))
        if data is not None and not isinstance(data, bytes):
            sent["Content-Length"] = str(len(data))  # type: ignore[arg-type]
        connection, reused = self._take(place, timeout)
        try:
            try:
                raw = _exchange(connection, method, path, sent, data)
            except (http.client.RemoteDisconnected, ConnectionResetError, BrokenPipeError):
                connection.close()
                if not reused or not (data is None or isinstance(data, bytes)):
                    raise
                # The server closed a kept-alive connection while it was idle: once more anew.
                connection, reused = self._new(place, timeout), False
                raw = _exchange(connection, method, path, sent, data)
        except TimeoutError as error:
            connection.close()
            raise TransportError("Timeout", error) from None
        except ssl.SSLError as error:
            connection.close()
            raise TransportError("SSLError", error) from None
        except (OSError, http.client.HTTPException) as error:
            connection.close()
            raise TransportError("ConnectionError", error) from None
        for hook in self.on_response:
            hook(method, path, raw.status)

        def release(finished: bool) -> None:
            if finished and not raw.will_close:
                with self._lock:
                    self._idle.setdefault(place, []).append(connection)
            else:
                connection.close()

        return Response(raw, release, url)

    def _take(self, place: _Place, timeout: float) -> tuple[http.client.HTTPConnection, bool]:
        with self._lock:
            idle = self._idle.get(place)
            connection = idle.pop() if idle else None
        if connection is None:
            return self._new(place, timeout), False
        if connection.sock is not None:
            connection.sock.settimeout(timeout)
        connection.timeout = timeout
        return connection, True

    def _new(self, place: _Place, timeout: float) -> http.client.HTTPConnection:
        scheme, host, port, proxy = place
        if proxy is None:
            if scheme == "https":
                return http.client.HTTPSConnection(
                    host, port, timeout=timeout, context=_tls(_certs_name(host, port))
                )
            return http.client.HTTPConnection(host, port, timeout=timeout)
        via = urlsplit(proxy)
        proxy_host, proxy_port = via.hostname or "", via.port or 3128
        if scheme == "https":  # a tunnel (CONNECT) through the proxy, TLS end to end
            tunnel = http.client.HTTPSConnection(
                proxy_host, proxy_port, timeout=timeout, context=_tls(_certs_name(host, port))
            )
            tunnel.set_tunnel(host, port, headers=_proxy_authorization(via.username, via.password))
            return tunnel
        return http.client.HTTPConnection(proxy_host, proxy_port, timeout=timeout)


def _exchange(
    connection: http.client.HTTPConnection,
    method: str,
    path: str,
    headers: Mapping[str, str],
    data: Body,
) -> http.client.HTTPResponse:
    skip_host = any(name.lower() == "host" for name in headers)
    connection.putrequest(method, path, skip_host=skip_host, skip_accept_encoding=True)
    for name, value in headers.items():
        connection.putheader(name, value)
    if data is None and method in ("POST", "PUT", "PATCH"):
        connection.putheader("Content-Length", "0")
    elif isinstance(data, bytes):
        connection.putheader("Content-Length", str(len(data)))
    connection.endheaders()
    if isinstance(data, bytes):
        connection.send(data)
    elif data is not None:
        for chunk in data:
            connection.send(chunk)
    return connection.getresponse()


@cache
def _tls(registry: str) -> ssl.SSLContext:
    """The system's CAs, and what Docker's `certs.d` folder of the registry holds, as the engine
    reads it: `*.crt` CAs, `*.cert`/`*.key` client certificate pairs. Made once per registry,
    only for HTTPS."""
    context = ssl.create_default_context()
    folder = CERTS_D / registry
    if folder.is_dir():
        for ca in sorted(folder.glob("*.crt")):
            context.load_verify_locations(cafile=ca)
        for cert in sorted(folder.glob("*.cert")):
            key = cert.with_suffix(".key")
            if key.is_file():
                context.load_cert_chain(cert, key)
    return context


def _certs_name(host: str, port: int) -> str:
    """The registry's folder name under certs.d: `host:port`, or `host` for port 443."""
    return host if port == 443 else f"{host}:{port}"


def _proxy(scheme: str, host: str) -> str | None:
    """The proxy the environment names for `scheme://host`, or None. Loopback never goes
    through one (a registry on this machine is reached directly, as the engine does)."""
    if host in ("localhost", "::1") or host.startswith("127."):
        return None
    if not any(name.lower().endswith("_proxy") for name in os.environ):
        return None  # the common case, without importing urllib.request
    import urllib.request

    proxy = urllib.request.getproxies_environment().get(scheme)
    if proxy is None or urllib.request.proxy_bypass(host):
        return None
    return proxy if "://" in proxy else f"http://{proxy}"


def _proxy_authorization(username: str | None, password: str | None) -> dict[str, str]:
    if not username:
        return {}
    from urllib.parse import unquote

    token = basic_token(unquote(username), unquote(password or ""))
    return {"Proxy-Authorization": f"Basic {token}"}
