"""IB001: stage names not in lower case (BuildKit's StageNameCasing)."""

from __future__ import annotations

from collections.abc import Callable

import pytest

CASES = [
    ("FROM alpine:3.20 AS Build\n", [1]),
    ("\n#\nFROM scratch AS BadStageName\n\nFROM scratch as base2\n", [3]),
    ("FROM --platform=$BUILDPLATFORM golang AS Build\n", [1]),
    ("FROM alpine:3.20 AS build\n", []),
    ("FROM alpine:3.20\n", []),
    ("FROM Alpine\n", []),
]


@pytest.mark.parametrize(("dockerfile", "lines"), CASES)
def test_lines(rule_lines: Callable[..., list[int]], dockerfile: str, lines: list[int]) -> None:
    assert rule_lines("IB001", dockerfile) == lines


def test_message_is_buildkit_s(rule_messages: Callable[..., list[str]]) -> None:
    assert rule_messages("IB001", "FROM a AS Build\n") == ["Stage name 'Build' should be lowercase"]
