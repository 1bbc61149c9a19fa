"""IB007: empty continuation lines."""

from __future__ import annotations

from collections.abc import Callable


def test_catches_empty_line_in_continuation(rule_lines: Callable[..., list[int]]) -> None:
    assert rule_lines("IB007", "FROM a:1\nRUN a \\\n\n  && b\n") == [2]


def test_passes_continuation_without_empty_lines(rule_lines: Callable[..., list[int]]) -> None:
    assert rule_lines("IB007", "FROM a:1\nRUN a \\\n  && b\n") == []


def test_passes_empty_line_after_instruction(rule_lines: Callable[..., list[int]]) -> None:
    assert rule_lines("IB007", "FROM a:1\nRUN a\n\nRUN b\n") == []


def test_passes_empty_line_in_heredoc(rule_lines: Callable[..., list[int]]) -> None:
    assert rule_lines("IB007", "FROM a:1\nRUN <<EOF\na\n\nb\nEOF\n") == []
