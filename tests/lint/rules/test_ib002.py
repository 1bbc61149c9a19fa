"""IB002: FROM and AS in different cases."""

from __future__ import annotations

from collections.abc import Callable


def test_catches_lower_case_as_after_upper_case_from(rule_lines: Callable[..., list[int]]) -> None:
    assert rule_lines("IB002", "FROM alpine:3.20 as build\n") == [1]


def test_catches_upper_case_as_after_lower_case_from(rule_lines: Callable[..., list[int]]) -> None:
    assert rule_lines("IB002", "from alpine:3.20 AS build\n") == [1]


def test_passes_matching_upper_case(rule_lines: Callable[..., list[int]]) -> None:
    assert rule_lines("IB002", "FROM alpine:3.20 AS build\n") == []


def test_passes_matching_lower_case(rule_lines: Callable[..., list[int]]) -> None:
    assert rule_lines("IB002", "from alpine:3.20 as build\n") == []
