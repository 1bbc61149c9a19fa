"""IB016: a stage named scratch or context (BuildKit's ReservedStageName)."""

from __future__ import annotations

from collections.abc import Callable

import pytest

CASES = [
    ("FROM scratch AS scratch\nFROM scratch AS context\n", [1, 2]),
    ("FROM alpine AS Context\n", [1]),
    ("FROM scratch\nFROM scratch AS a\n", []),
    ("FROM alpine AS contexts\n", []),
]


@pytest.mark.parametrize(("dockerfile", "lines"), CASES)
def test_lines(rule_lines: Callable[..., list[int]], dockerfile: str, lines: list[int]) -> None:
    assert rule_lines("IB016", dockerfile) == lines


def test_message_is_buildkit_s(rule_messages: Callable[..., list[str]]) -> None:
    assert rule_messages("IB016", "FROM a AS scratch\n") == [
        'Stage name should not use the same name as reserved stage "scratch"'
    ]
