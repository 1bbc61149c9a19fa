"""DL3050: labels outside a strict schema."""

from __future__ import annotations

from collections.abc import Callable

CONTEXT = {"label_schema": {"required": "text"}, "strict_labels": True}


def test_catches_label_outside_the_schema(rule_lines: Callable[..., list[int]]) -> None:
    assert rule_lines("DL3050", "LABEL other=bar\n", **CONTEXT) == [1]


def test_catches_extra_label_next_to_a_schema_label(rule_lines: Callable[..., list[int]]) -> None:
    assert rule_lines("DL3050", "LABEL required=foo other=bar\n", **CONTEXT) == [1]


def test_passes_schema_labels(rule_lines: Callable[..., list[int]]) -> None:
    assert rule_lines("DL3050", "LABEL required=foo\n", **CONTEXT) == []
