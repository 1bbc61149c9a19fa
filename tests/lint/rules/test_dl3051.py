"""DL3051: an empty schema label."""

from __future__ import annotations

from collections.abc import Callable

CONTEXT = {"label_schema": {"emptylabel": "text"}}


def test_catches_empty_schema_label(rule_lines: Callable[..., list[int]]) -> None:
    assert rule_lines("DL3051", 'LABEL emptylabel=""\n', **CONTEXT) == [1]


def test_passes_non_empty_schema_label(rule_lines: Callable[..., list[int]]) -> None:
    assert rule_lines("DL3051", 'LABEL emptylabel="foo"\n', **CONTEXT) == []


def test_passes_empty_label_outside_the_schema(rule_lines: Callable[..., list[int]]) -> None:
    assert rule_lines("DL3051", 'LABEL other=""\n', **CONTEXT) == []
