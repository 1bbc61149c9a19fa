"""svc: a minimal example service; replace it with yours.

It answers /healthz (used by the image's HEALTHCHECK) and / with a greeting.
"""

from typing import Any


async def app(scope: dict[str, Any], receive: Any, send: Any) -> None:
    """The ASGI application uvicorn serves."""
    if scope["type"] != "http":
        return
    body = b"ok\n" if scope["path"] == "/healthz" else b"hello from svc\n"
    await send(
        {
            "type": "http.response.start",
            "status": 200,
            "headers": [(b"content-type", b"text/plain"), (b"content-length", str(len(body)).encode())],
        }
    )
    await send({"type": "http.response.body", "body": body})
