"""DL3029: do not use --platform with FROM."""

from __future__ import annotations

from collections.abc import Callable

import pytest

CATCHES = [
    "FROM --platform=linux debian:jessie\n",
    "FROM --platform=linux/amd64 debian:12 AS build\n",
]

DOES_NOT_CATCH = [
    "FROM debian:jessie\n",
    "FROM --platform=$BUILDPLATFORM debian:jessie\n",
    'FROM --platform="$BUILDPLATFORM" debian:jessie\n',
    "FROM --platform=${BUILDPLATFORM:-} debian:jessie\n",
    "FROM --platform=$TARGETPLATFORM debian:jessie\n",
]


@pytest.mark.parametrize("dockerfile", CATCHES)
def test_catches(rule_lines: Callable[..., list[int]], dockerfile: str) -> None:
    assert rule_lines("DL3029", dockerfile) != []


@pytest.mark.parametrize("dockerfile", DOES_NOT_CATCH)
def test_does_not_catch(rule_lines: Callable[..., list[int]], dockerfile: str) -> None:
    assert rule_lines("DL3029", dockerfile) == []
