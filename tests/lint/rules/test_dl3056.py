"""DL3056: a semver label that is not a semantic version."""

from __future__ import annotations

from collections.abc import Callable

CONTEXT = {"label_schema": {"semver": "semver"}}


def test_catches_free_text(rule_lines: Callable[..., list[int]]) -> None:
    assert rule_lines("DL3056", 'LABEL semver="not-sem-ver"\n', **CONTEXT) == [1]


def test_catches_v_prefix(rule_lines: Callable[..., list[int]]) -> None:
    assert rule_lines("DL3056", 'LABEL semver="v1.2.3"\n', **CONTEXT) == [1]


def test_passes_release(rule_lines: Callable[..., list[int]]) -> None:
    assert rule_lines("DL3056", 'LABEL semver="1.0.0"\n', **CONTEXT) == []


def test_passes_pre_release(rule_lines: Callable[..., list[int]]) -> None:
    assert rule_lines("DL3056", 'LABEL semver="2.0.1-rc1"\n', **CONTEXT) == []
