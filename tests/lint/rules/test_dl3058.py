"""DL3058: an email label that is not an address."""

from __future__ import annotations

from collections.abc import Callable

CONTEXT = {"label_schema": {"maintainer": "email"}}


def test_catches_name(rule_lines: Callable[..., list[int]]) -> None:
    assert rule_lines("DL3058", 'LABEL maintainer="Platform team"\n', **CONTEXT) == [1]


def test_catches_missing_domain(rule_lines: Callable[..., list[int]]) -> None:
    assert rule_lines("DL3058", 'LABEL maintainer="me@"\n', **CONTEXT) == [1]


def test_passes_address(rule_lines: Callable[..., list[int]]) -> None:
    assert rule_lines("DL3058", 'LABEL maintainer="abcd@google.com"\n', **CONTEXT) == []


def test_passes_other_label(rule_lines: Callable[..., list[int]]) -> None:
    assert rule_lines("DL3058", 'LABEL other="doo"\n', **CONTEXT) == []
