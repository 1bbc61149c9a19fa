"""svc: a minimal example service; replace it with yours.

It answers /healthz (used by the image's HEALTHCHECK) and / with a greeting.
"""

from collections.abc import Callable, Iterable
from typing import Any


def app(environ: dict[str, Any], start_response: Callable[..., Any]) -> Iterable[bytes]:
    """The WSGI application gunicorn serves."""
    body = b"ok\n" if environ.get("PATH_INFO") == "/healthz" else b"hello from svc\n"
    start_response("200 OK", [("Content-Type", "text/plain"), ("Content-Length", str(len(body)))])
    return [body]
