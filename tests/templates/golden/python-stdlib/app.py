"""svc: a minimal example service; replace it with yours.

It answers /healthz (used by the image's HEALTHCHECK) and / with a greeting.
"""

import os
from collections.abc import Callable, Iterable
from typing import Any


def app(environ: dict[str, Any], start_response: Callable[..., Any]) -> Iterable[bytes]:
    """The WSGI application."""
    body = b"ok\n" if environ.get("PATH_INFO") == "/healthz" else b"hello from svc\n"
    start_response("200 OK", [("Content-Type", "text/plain"), ("Content-Length", str(len(body)))])
    return [body]


if __name__ == "__main__":
    from wsgiref.simple_server import make_server

    # HOST and PORT let the container be run on another address without a rebuild.
    host = os.environ.get("HOST", "0.0.0.0")
    port = int(os.environ.get("PORT", "8080"))
    with make_server(host, port, app) as server:
        server.serve_forever()
