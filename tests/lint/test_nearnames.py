"""BuildKit's suggestions: within two edits, first nearest, none for an exact name."""

from __future__ import annotations

from builder.lint.nearnames import closest, levenshtein


def test_levenshtein() -> None:
    assert levenshtein("kitten", "sitting") == 3
    assert levenshtein("", "abc") == 3
    assert levenshtein("BULIDPLATFORM", "BUILDPLATFORM") == 2


def test_closest() -> None:
    assert closest("DIR_ASSET", ["DIR_BINARIES", "DIR_ASSETS"]) == "DIR_ASSETS"
    assert closest("PAHT", ["HOME", "PATH"]) == "PATH"
    assert closest("version", ["tag", "TARGETOS"]) == ""
    assert closest("ab", ["abc", "abd"]) == "abc"  # the first of the nearest
    assert closest("path", ["PATH"]) == ""  # case counts
    assert closest("A", ["AB", "A"]) == ""  # an exact name: the name is not the problem
