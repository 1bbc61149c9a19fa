"""DL3024: stage names must be unique."""

from __future__ import annotations

from collections.abc import Callable

import pytest

CATCHES = [
    "FROM node as foo\nRUN something\nFROM scratch as foo\nRUN something\n",
    "FROM node AS foo\nFROM scratch AS FOO\n",
]

DOES_NOT_CATCH = [
    "FROM scratch as build\nRUN foo\nFROM node as run\nRUN baz\n",
    "FROM node\nFROM node\n",
]


@pytest.mark.parametrize("dockerfile", CATCHES)
def test_catches(rule_lines: Callable[..., list[int]], dockerfile: str) -> None:
    assert rule_lines("DL3024", dockerfile) != []


@pytest.mark.parametrize("dockerfile", DOES_NOT_CATCH)
def test_does_not_catch(rule_lines: Callable[..., list[int]], dockerfile: str) -> None:
    assert rule_lines("DL3024", dockerfile) == []
