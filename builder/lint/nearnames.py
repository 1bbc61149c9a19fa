"""BuildKit's "did you mean X?": the closest name within two edits (`util/suggest`).

Not `builder.suggest` (difflib's ratio, for imgbuild's own hints): the BuildKit checks must
suggest exactly what BuildKit suggests.
"""

from __future__ import annotations

from collections.abc import Iterable


def closest(name: str, options: Iterable[str]) -> str:
    """The first option nearest to `name` with fewer than 3 edits; "" when there is none, or
    when `name` is itself an option (then the name is not the problem)."""
    best, best_distance = "", 3
    for option in options:
        if option == name:
            return ""
        distance = levenshtein(name, option)
        if distance < best_distance:
            best, best_distance = option, distance
    return best


def levenshtein(first: str, second: str) -> int:
    """Edits (insert, delete, substitute) turning `first` into `second`."""
    previous = list(range(len(second) + 1))
    for row, char in enumerate(first, start=1):
        current = [row]
        for column, other in enumerate(second, start=1):
            current.append(
                min(previous[column] + 1, current[-1] + 1, previous[column - 1] + (char != other))
            )
        previous = current
    return previous[-1]
