"""Line numbers of keys in TOML text, for messages: tomllib keeps no positions."""

from __future__ import annotations

import re
from collections.abc import Sequence


class KeyLocator:
    """Finds the line of a dotted key in TOML text.

    It knows header tables (`[images.api]`), arrays of tables (`[[questions]]`, every entry
    under the same path: the first one is found), dotted keys (`images.api.context = ...`) and
    the keys of a one-line inline table (`args = { PORT = 1 }`).
    """

    _HEADER = re.compile(r"^\s*\[\[?\s*([^\]]+?)\s*\]\]?\s*(#.*)?$")
    _KEY = re.compile(r"^\s*([A-Za-z0-9_\-.\"' ]+?)\s*=")
    _INLINE = re.compile(r"[{,]\s*([A-Za-z0-9_\-\"']+)\s*=")

    def __init__(self, text: str) -> None:
        self._entries: list[tuple[tuple[str, ...], int]] = []
        table: tuple[str, ...] = ()
        for number, line in enumerate(text.splitlines(), start=1):
            header = self._HEADER.match(line)
            if header:
                table = self._split(header.group(1))
                self._entries.append((table, number))
                continue
            key = self._KEY.match(line)
            if key:
                full = table + self._split(key.group(1))
                self._entries.append((full, number))
                for inline in self._INLINE.finditer(line):
                    self._entries.append((full + self._split(inline.group(1)), number))

    @staticmethod
    def _split(dotted: str) -> tuple[str, ...]:
        return tuple(part.strip().strip("\"'") for part in dotted.split("."))

    def line(self, key_path: Sequence[str]) -> int | None:
        """The line of `key_path`, else of its nearest located parent."""
        wanted = tuple(key_path)
        while wanted:
            for path, number in self._entries:
                # A key may only appear as the prefix of a header: [images.api] for "images".
                if path[: len(wanted)] == wanted:
                    return number
            wanted = wanted[:-1]
        return None
