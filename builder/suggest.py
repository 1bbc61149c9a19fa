"""The "did you mean" hint every unknown name gets: the closest choice, else all of them."""

from __future__ import annotations

import difflib
from collections.abc import Iterable


def hint_for(word: str, choices: Iterable[str], kind: str) -> str:
    """`did you mean 'x'?` for a close choice, else `KIND: a, b, c` listing every choice."""
    known = list(choices)
    close = difflib.get_close_matches(word, known, n=1, cutoff=0.6)
    return f"did you mean {close[0]!r}?" if close else f"{kind}: {', '.join(known)}"
