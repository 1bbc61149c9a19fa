"""DL3063: reserved stage names."""

from __future__ import annotations

from collections.abc import Callable


def test_catches_stage_named_scratch(rule_lines: Callable[..., list[int]]) -> None:
    assert rule_lines("DL3063", "FROM foo:bar AS scratch\n") == [1]


def test_catches_stage_named_context(rule_lines: Callable[..., list[int]]) -> None:
    assert rule_lines("DL3063", "FROM foo:bar AS context\n") == [1]


def test_passes_other_names(rule_lines: Callable[..., list[int]]) -> None:
    assert rule_lines("DL3063", "FROM foo:bar AS build\n") == []
