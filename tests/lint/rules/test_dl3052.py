"""DL3052: a url label that is not a URL."""

from __future__ import annotations

from collections.abc import Callable

CONTEXT = {"label_schema": {"urllabel": "url"}}


def test_catches_value_without_scheme(rule_lines: Callable[..., list[int]]) -> None:
    assert rule_lines("DL3052", 'LABEL urllabel="github.com/acme/app"\n', **CONTEXT) == [1]


def test_catches_value_with_spaces(rule_lines: Callable[..., list[int]]) -> None:
    assert rule_lines("DL3052", 'LABEL urllabel="http://exa mple.com"\n', **CONTEXT) == [1]


def test_passes_absolute_url(rule_lines: Callable[..., list[int]]) -> None:
    assert rule_lines("DL3052", 'LABEL urllabel="https://example.com/a?b=c#d"\n', **CONTEXT) == []


def test_passes_other_label(rule_lines: Callable[..., list[int]]) -> None:
    assert rule_lines("DL3052", 'LABEL other="not-url"\n', **CONTEXT) == []
