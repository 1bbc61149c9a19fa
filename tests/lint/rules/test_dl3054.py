"""DL3054: an spdx label that is not a license identifier."""

from __future__ import annotations

from collections.abc import Callable

CONTEXT = {"label_schema": {"spdxlabel": "spdx"}}


def test_catches_free_text(rule_lines: Callable[..., list[int]]) -> None:
    assert rule_lines("DL3054", 'LABEL spdxlabel="not-spdx"\n', **CONTEXT) == [1]


def test_catches_license_expression(rule_lines: Callable[..., list[int]]) -> None:
    assert rule_lines("DL3054", 'LABEL spdxlabel="MIT OR Apache-2.0"\n', **CONTEXT) == [1]


def test_passes_identifier(rule_lines: Callable[..., list[int]]) -> None:
    assert rule_lines("DL3054", 'LABEL spdxlabel="BSD-3-Clause"\n', **CONTEXT) == []


def test_passes_other_label(rule_lines: Callable[..., list[int]]) -> None:
    assert rule_lines("DL3054", 'LABEL other="fooo"\n', **CONTEXT) == []
