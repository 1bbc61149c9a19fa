"""DL3023: COPY --from cannot name its own stage."""

from __future__ import annotations

from collections.abc import Callable

import pytest

CATCHES = [
    "FROM node as foo\nCOPY --from=foo bar .\n",
    "FROM node AS Foo\nCOPY --from=foo bar .\n",
]

DOES_NOT_CATCH = [
    "FROM scratch as build\nRUN foo\nFROM node as run\nCOPY --from=build foo .\nRUN baz\n",
    "FROM node\nCOPY --from=node:20 /a /a\n",
]


@pytest.mark.parametrize("dockerfile", CATCHES)
def test_catches(rule_lines: Callable[..., list[int]], dockerfile: str) -> None:
    assert rule_lines("DL3023", dockerfile) != []


@pytest.mark.parametrize("dockerfile", DOES_NOT_CATCH)
def test_does_not_catch(rule_lines: Callable[..., list[int]], dockerfile: str) -> None:
    assert rule_lines("DL3023", dockerfile) == []
