"""DL3053: an rfc3339 label that is not a timestamp."""

from __future__ import annotations

from collections.abc import Callable

CONTEXT = {"label_schema": {"datelabel": "rfc3339"}}


def test_catches_free_text(rule_lines: Callable[..., list[int]]) -> None:
    assert rule_lines("DL3053", 'LABEL datelabel="not-date"\n', **CONTEXT) == [1]


def test_catches_date_without_time(rule_lines: Callable[..., list[int]]) -> None:
    assert rule_lines("DL3053", 'LABEL datelabel="2021-03-10"\n', **CONTEXT) == [1]


def test_catches_impossible_date(rule_lines: Callable[..., list[int]]) -> None:
    assert rule_lines("DL3053", 'LABEL datelabel="2021-02-30T10:00:00Z"\n', **CONTEXT) == [1]


def test_passes_timestamp_with_offset(rule_lines: Callable[..., list[int]]) -> None:
    assert (
        rule_lines("DL3053", 'LABEL datelabel="2021-03-10T10:26:33.564595127+01:00"\n', **CONTEXT)
        == []
    )


def test_passes_utc_timestamp(rule_lines: Callable[..., list[int]]) -> None:
    assert rule_lines("DL3053", 'LABEL datelabel="2021-03-10T10:26:33Z"\n', **CONTEXT) == []
