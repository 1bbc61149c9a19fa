"""IB024: FROM --platform with a constant (BuildKit's FromPlatformFlagConstDisallowed)."""

from __future__ import annotations

from collections.abc import Callable

import pytest

CASES = [
    ("FROM --platform=linux/amd64 scratch\n", [1]),
    ("FROM --platform=arm64 golang AS build\n", [1]),
    ("FROM --platform=linux/arm/v7 scratch AS base\n", [1]),
    ("FROM --platform=linux/amd64 scratch AS my_amd64_stage\n", []),
    ("FROM --platform=linux/amd64 scratch AS linux\n", []),
    ("FROM --platform=$BUILDPLATFORM scratch\n", []),
    ("FROM --platform=nonsense scratch\n", []),  # not a platform: the build fails instead
]


@pytest.mark.parametrize(("dockerfile", "lines"), CASES)
def test_lines(rule_lines: Callable[..., list[int]], dockerfile: str, lines: list[int]) -> None:
    assert rule_lines("IB024", dockerfile) == lines


def test_message_is_buildkit_s(rule_messages: Callable[..., list[str]]) -> None:
    assert rule_messages("IB024", "FROM --platform=linux/amd64 a\n") == [
        'FROM --platform flag should not use constant value "linux/amd64"'
    ]
