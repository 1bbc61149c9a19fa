"""Requests to a local engine over its unix socket, with the standard library only.

A run where nothing changed only asks a local engine for its version and inspects tags, and a
build that publishes an index only adds a tag per image and an export (`docker save`) per
platform: a few HTTP requests, which this does without importing the Docker SDK, requests or
urllib3 (a tenth of a second or more, on the critical path of the run).
"""

from __future__ import annotations

import contextlib
import http.client
import json
import socket
from collections.abc import Callable, Iterator
from typing import Any

from builder.errors import EngineError

_CHUNK = 1 << 20


class NotFound(Exception):
    """The engine answered 404: what was asked for does not exist."""


class LocalReader:
    """Requests to the engine listening on `socket_path`: GETs of JSON, bodiless POSTs, and
    streamed downloads."""

    def __init__(self, socket_path: str, timeout: float) -> None:
        self.socket_path = socket_path
        self.timeout = timeout

    def get(self, path: str) -> Any:
        """The decoded JSON answer."""
        return json.loads(self._whole("GET", path))

    def post(self, path: str) -> None:
        """A POST without a body (tagging an image), its answer ignored."""
        self._whole("POST", path)

    def stream(self, path: str) -> Iterator[bytes]:
        """The answer's body as it comes (an image export), in chunks."""
        connection, response = self._send("GET", path)
        try:
            _check(response, path, response.read)
            while chunk := response.read(_CHUNK):
                yield chunk
        finally:
            connection.close()

    def _whole(self, method: str, path: str) -> bytes:
        connection, response = self._send(method, path)
        try:
            body = response.read()
        finally:
            connection.close()
        _check(response, path, lambda: body)
        return body

    def _send(
        self, method: str, path: str
    ) -> tuple[http.client.HTTPConnection, http.client.HTTPResponse]:
        connection = _UnixConnection(self.socket_path, self.timeout)
        try:
            connection.request(method, path, headers={"Host": "docker"})
            return connection, connection.getresponse()
        except BaseException:
            connection.close()
            raise


def _check(response: http.client.HTTPResponse, path: str, body: Callable[[], bytes]) -> None:
    """NotFound on 404, EngineError with the engine's message on any other failure."""
    if response.status == 404:
        raise NotFound(path)
    if response.status // 100 != 2:
        text = body()
        message = text.decode(errors="replace").strip()
        with contextlib.suppress(ValueError, AttributeError):
            message = json.loads(text).get("message", message)
        raise EngineError(f"the engine answered {response.status}: {message}")


class _UnixConnection(http.client.HTTPConnection):
    def __init__(self, socket_path: str, timeout: float) -> None:
        super().__init__("localhost", timeout=timeout)
        self.socket_path = socket_path

    def connect(self) -> None:
        self.sock = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        self.sock.settimeout(self.timeout)
        self.sock.connect(self.socket_path)
