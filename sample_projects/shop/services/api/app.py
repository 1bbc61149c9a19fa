"""The shop's orders API: a small standard-library HTTP service.

GET /health  -> {"status": "ok", "service": "api", "release": ...}
GET /orders  -> the orders (a fixed sample here)
`python3 app.py --check` asks a running instance for /health (the image's HEALTHCHECK).
"""

from __future__ import annotations

import json
import os
import sys
import urllib.request
from http import HTTPStatus
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

try:
    from shop_runtime import log, release
except ImportError:  # outside the image (the unit tests can run anywhere)
    def log(event: str, **fields: object) -> None:
        print(json.dumps({"event": event, **fields}), flush=True)

    def release() -> dict[str, str]:
        return {}

ORDERS = [
    {"id": 1, "item": "coffee beans", "quantity": 2},
    {"id": 2, "item": "grinder", "quantity": 1},
]


def health() -> dict[str, object]:
    return {"status": "ok", "service": "api", "release": release().get("NAME", "unknown")}


def route(path: str) -> tuple[HTTPStatus, object]:
    if path == "/health":
        return HTTPStatus.OK, health()
    if path == "/orders":
        return HTTPStatus.OK, {"orders": ORDERS}
    return HTTPStatus.NOT_FOUND, {"error": f"no route {path}"}


class Handler(BaseHTTPRequestHandler):
    def do_GET(self) -> None:  # noqa: N802 (the name http.server calls)
        status, body = route(self.path)
        data = json.dumps(body).encode()
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def log_message(self, format: str, *args: object) -> None:  # noqa: A002
        log("request", line=format % args)


def address() -> tuple[str, int]:
    # Loopback by default: with `docker run --network host`, 0.0.0.0 would listen on every
    # interface of the host. Set HOST=0.0.0.0 where a container network isolates the service.
    return os.environ.get("HOST", "127.0.0.1"), int(os.environ.get("PORT", "8080"))


def check() -> int:
    host, port = address()
    try:
        with urllib.request.urlopen(f"http://{host}:{port}/health", timeout=2) as response:
            return 0 if json.load(response).get("status") == "ok" else 1
    except OSError:
        return 1


def main() -> int:
    if sys.argv[1:] == ["--check"]:
        return check()
    host, port = address()
    server = ThreadingHTTPServer((host, port), Handler)
    log("listening", host=host, port=port)
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        pass
    return 0


if __name__ == "__main__":
    sys.exit(main())
