"""GET requests to a local engine over its unix socket, with the standard library only.

A run where nothing changed only asks a local engine for its version and inspects tags: a few
HTTP requests, which this does without importing the Docker SDK, requests or urllib3.
"""

from __future__ import annotations

import contextlib
import http.client
import json
import socket
from typing import Any

from builder.errors import EngineError


class NotFound(Exception):
    """The engine answered 404: what was asked for does not exist."""


class LocalReader:
    """GET requests to the engine listening on `socket_path`; answers are decoded JSON."""

    def __init__(self, socket_path: str, timeout: float) -> None:
        self.socket_path = socket_path
        self.timeout = timeout

    def get(self, path: str) -> Any:
        connection = _UnixConnection(self.socket_path, self.timeout)
        try:
            connection.request("GET", path, headers={"Host": "docker"})
            response = connection.getresponse()
            body = response.read()
        finally:
            connection.close()
        if response.status == 404:
            raise NotFound(path)
        if response.status != 200:
            message = body.decode(errors="replace").strip()
            with contextlib.suppress(ValueError, AttributeError):
                message = json.loads(body).get("message", message)
            raise EngineError(f"the engine answered {response.status}: {message}")
        return json.loads(body)


class _UnixConnection(http.client.HTTPConnection):
    def __init__(self, socket_path: str, timeout: float) -> None:
        super().__init__("localhost", timeout=timeout)
        self.socket_path = socket_path

    def connect(self) -> None:
        self.sock = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        self.sock.settimeout(self.timeout)
        self.sock.connect(self.socket_path)
