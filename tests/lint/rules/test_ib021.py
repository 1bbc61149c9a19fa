"""IB021: FROM --platform=$TARGETPLATFORM (BuildKit's RedundantTargetPlatform)."""

from __future__ import annotations

from collections.abc import Callable

import pytest

CASES = [
    ("FROM --platform=$TARGETPLATFORM scratch\n", [1]),
    ("FROM --platform=${TARGETPLATFORM} scratch\n", [1]),
    ("FROM --platform=${TARGETPLATFORM:-linux/arm64} scratch\n", [1]),
    ("FROM --platform=$BUILDPLATFORM scratch\n", []),
    ("FROM --platform=$TARGETOS/$TARGETARCH scratch\n", []),
    ("FROM --platform=linux/amd64 scratch\n", []),
    ("FROM scratch\n", []),
]


@pytest.mark.parametrize(("dockerfile", "lines"), CASES)
def test_lines(rule_lines: Callable[..., list[int]], dockerfile: str, lines: list[int]) -> None:
    assert rule_lines("IB021", dockerfile) == lines


def test_message_quotes_the_flag(rule_messages: Callable[..., list[str]]) -> None:
    assert rule_messages("IB021", "FROM --platform=${TARGETPLATFORM} a\n") == [
        "Setting platform to predefined ${TARGETPLATFORM} in FROM is redundant as this is the "
        "default behavior"
    ]
