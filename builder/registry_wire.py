"""What the registry client sends and reads on the wire: streamed bodies, auth headers and
challenges, error texts. No state; `builder.registry` holds the client."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import TYPE_CHECKING

from builder.credentials import Credentials, basic_token

if TYPE_CHECKING:
    from builder.registry_http import Response

CHUNK = 1 << 20  # bytes read from a blob file at a time


class StreamedBody:
    """A streamed request body of known length, counting what was sent."""

    def __init__(
        self, chunks: Iterator[bytes], size: int, on_sent: Callable[[int], None] | None
    ) -> None:
        self._chunks, self._size, self._on_sent = chunks, size, on_sent

    def __len__(self) -> int:  # sent as Content-Length, not chunked
        return self._size

    def __iter__(self) -> Iterator[bytes]:
        sent = 0
        for chunk in self._chunks:
            yield chunk
            sent += len(chunk)
            if self._on_sent is not None:
                self._on_sent(sent)


def read_file(path: Path) -> Iterator[bytes]:
    with path.open("rb") as file:
        while chunk := file.read(CHUNK):
            yield chunk


def basic_header(credentials: Credentials) -> str:
    return "Basic " + basic_token(credentials.username, credentials.secret)


def parse_challenge(header: str) -> tuple[str, dict[str, str]] | None:
    """`Bearer realm="https://auth",service="reg"` -> ("bearer", {...})."""
    scheme, _, rest = header.strip().partition(" ")
    if not scheme:
        return None
    params = dict(re.findall(r'(\w+)="([^"]*)"', rest))
    return scheme.lower(), params


def error_text(response: Response) -> str:
    try:
        errors = response.json().get("errors") or []
        return "; ".join(f"{error.get('code')}: {error.get('message')}" for error in errors)
    except (ValueError, AttributeError):
        return response.reason or ""


def short_reason(error: object) -> str:
    text = str(error)
    match = re.search(r"\[Errno -?\d+\] [^'\")]+|Connection refused|Read timed out", text)
    return match.group(0) if match else text[:160]
