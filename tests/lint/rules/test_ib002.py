"""IB002: FROM and AS in different cases (BuildKit's FromAsCasing)."""

from __future__ import annotations

from collections.abc import Callable

import pytest

CASES = [
    ("FROM alpine:3.20 as build\n", [1]),
    ("from alpine:3.20 AS build\n", [1]),
    ("FROM alpine:3.20 As build\n", [1]),
    ("FROM alpine:3.20 AS build\n", []),
    ("from alpine:3.20 as build\n", []),
    ("From alpine:3.20 as build\n", []),  # a mixed-case FROM is IB003's
    ("FROM alpine:3.20\n", []),
]


@pytest.mark.parametrize(("dockerfile", "lines"), CASES)
def test_lines(rule_lines: Callable[..., list[int]], dockerfile: str, lines: list[int]) -> None:
    assert rule_lines("IB002", dockerfile) == lines


def test_message_is_buildkit_s(rule_messages: Callable[..., list[str]]) -> None:
    assert rule_messages("IB002", "from a AS b\n") == [
        "'AS' and 'from' keywords' casing do not match"
    ]
