"""IB001: stage names not in lower case."""

from __future__ import annotations

from collections.abc import Callable


def test_catches_mixed_case_stage_name(rule_lines: Callable[..., list[int]]) -> None:
    assert rule_lines("IB001", "FROM alpine:3.20 AS Build\n") == [1]


def test_passes_lower_case_stage_name(rule_lines: Callable[..., list[int]]) -> None:
    assert rule_lines("IB001", "FROM alpine:3.20 AS build\n") == []


def test_passes_unnamed_stage(rule_lines: Callable[..., list[int]]) -> None:
    assert rule_lines("IB001", "FROM alpine:3.20\n") == []
