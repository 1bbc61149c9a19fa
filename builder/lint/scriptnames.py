"""Which of a stage's ARG and ENV names a RUN script's `export NAME=1` lines need.

hadolint starts each script with `export NAME=1` for every ARG and ENV name of the stage and the
proxy variables, so that ShellCheck knows them as assigned. ShellCheck's time grows with the
variables a script assigns (its data-flow analysis carries each one through every command):
over the shared corpus those lines took half of it, for names most scripts never mention.

An assigned name the script does not mention changes one thing in what ShellCheck reports: the
name it suggests for a variable used but never assigned (SC2153, and SC2154's "did you mean"),
the first in name order of the assigned names at the smallest distance from it, when that is at
most 2 (Levenshtein, or 1 for a name differing only in case). So a name is kept when a word of
the script is it, or is within 2 edits of it, case ignored (lowercasing can only bring two
words closer): every name that could be suggested stays, in the same order. Names ShellCheck
cannot take for variables (not identifiers) are kept as they are, and so is every name when
the script opens with a comment or names a `shellcheck` directive: the comments before the
first command are directives for the whole script, and the `export` lines are that command.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Iterable

_WORD_RE = re.compile(r"[A-Za-z_][A-Za-z0-9_]*")
_MAX_EDITS = 2


def exported_names(names: Iterable[str], text: str) -> list[str]:
    """The `names` to export before the script `text`, sorted: those ShellCheck may need."""
    return list(_kept(frozenset(names), text))


# The same RUN with the same ARGs and ENVs recurs across a project's Dockerfiles.
@functools.lru_cache(maxsize=4096)
def _kept(names: frozenset[str], text: str) -> tuple[str, ...]:
    if _keeps_every_name(text):
        return tuple(sorted(names))
    words, by_length = _words(text)
    return tuple(
        sorted(
            name
            for name in names
            if name in words or not _WORD_RE.fullmatch(name) or _near(name.lower(), by_length)
        )
    )


def _keeps_every_name(text: str) -> bool:
    opening = text.lstrip()
    return not opening or opening.startswith("#") or "shellcheck" in text.lower()


@functools.lru_cache(maxsize=4096)
def _words(text: str) -> tuple[frozenset[str], dict[int, tuple[str, ...]]]:
    """The words of a script (with its line continuations joined too), and their lowercased
    forms by length."""
    words = set(_WORD_RE.findall(text))
    if "\\\n" in text:
        words.update(_WORD_RE.findall(text.replace("\\\n", "")))
    by_length: dict[int, set[str]] = {}
    for word in words:
        by_length.setdefault(len(word), set()).add(word.lower())
    return frozenset(words), {length: tuple(found) for length, found in by_length.items()}


def _near(name: str, by_length: dict[int, tuple[str, ...]]) -> bool:
    """Whether a word is within two edits of `name` (both lowercased). A word that close holds
    one of the name's three thirds unchanged (two edits touch at most two of them)."""
    if len(name) <= _MAX_EDITS:
        return True  # too short to cut in thirds; rare enough to simply keep
    third = len(name) // 3
    thirds = (name[:third], name[third : 2 * third], name[2 * third :])
    for length in range(len(name) - _MAX_EDITS, len(name) + _MAX_EDITS + 1):
        for word in by_length.get(length, ()):
            if any(piece in word for piece in thirds) and within_two_edits(name, word):
                return True
    return False


def within_two_edits(first: str, second: str, edits: int = _MAX_EDITS) -> bool:
    """Whether the Levenshtein distance between the two is at most `edits` (2): past their
    common start, one of the three edits fixes the first difference, two times at most."""
    if abs(len(first) - len(second)) > edits:
        return False
    start = 0
    shorter = min(len(first), len(second))
    while start < shorter and first[start] == second[start]:
        start += 1
    first, second = first[start:], second[start:]
    if not first or not second:
        return max(len(first), len(second)) <= edits
    if edits == 0:
        return False
    return (
        within_two_edits(first[1:], second[1:], edits - 1)  # a substitution
        or within_two_edits(first[1:], second, edits - 1)  # a deletion
        or within_two_edits(first, second[1:], edits - 1)  # an insertion
    )
