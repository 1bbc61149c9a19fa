"""DL3065: FROM --platform=$TARGETPLATFORM."""

from __future__ import annotations

from collections.abc import Callable


def test_catches_bare_variable(rule_lines: Callable[..., list[int]]) -> None:
    assert rule_lines("DL3065", "FROM --platform=$TARGETPLATFORM alpine:3.20\n") == [1]


def test_catches_braced_variable(rule_lines: Callable[..., list[int]]) -> None:
    assert rule_lines("DL3065", "FROM --platform=${TARGETPLATFORM} alpine:3.20\n") == [1]


def test_passes_build_platform(rule_lines: Callable[..., list[int]]) -> None:
    assert rule_lines("DL3065", "FROM --platform=$BUILDPLATFORM alpine:3.20\n") == []


def test_passes_no_platform(rule_lines: Callable[..., list[int]]) -> None:
    assert rule_lines("DL3065", "FROM alpine:3.20\n") == []
