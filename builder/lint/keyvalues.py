"""The `key=value` pairs of LABEL and ENV (both forms), with quotes removed as Docker does."""

from __future__ import annotations

import functools

from dockerfile_parse.util import extract_key_values


def key_value_pairs(arguments: str) -> list[tuple[str, str]]:
    """`a=1 "b"="two words"` -> [("a", "1"), ("b", "two words")]; `k v w` -> [("k", "v w")].

    Malformed input (a word without `=` in the `k=v` form) gives no pairs rather than an error.
    """
    return list(_pairs(arguments))


# Several rules read the pairs of each ENV and LABEL, and dockerfile-parse's splitter is slow
# (it defines a class per call): each text is split once.
@functools.lru_cache(maxsize=4096)
def _pairs(arguments: str) -> tuple[tuple[str, str], ...]:
    if not arguments.strip():
        return ()
    try:
        pairs = extract_key_values(False, {}, {}, arguments)
    except (ValueError, IndexError):
        return ()
    return tuple((str(key), str(value)) for key, value in pairs)
