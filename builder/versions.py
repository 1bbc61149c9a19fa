"""Version strings as engines and clients report them, made comparable.

Engines say "20.10.24+dfsg1" or "27.3.1", their API "1.41", clients "20.10.24+dfsg1"; only the
leading dotted numbers order them.
"""

from __future__ import annotations

import re

_LEADING = re.compile(r"\d+(?:\.\d+)*", re.ASCII)


def version_tuple(text: str) -> tuple[int, ...]:
    """The leading dotted numbers: "20.10.24+dfsg1" -> (20, 10, 24), "1.41" -> (1, 41).

    A text that does not start with a number ("?", "dev") is () and sorts before every version.
    """
    match = _LEADING.match(text.strip().removeprefix("v"))
    return tuple(int(part) for part in match.group().split(".")) if match else ()
