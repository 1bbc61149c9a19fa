"""DL4001: both wget and curl in a stage."""

from __future__ import annotations

from collections.abc import Callable


def test_catches_second_tool_in_a_later_run(rule_lines: Callable[..., list[int]]) -> None:
    assert rule_lines("DL4001", "FROM a:1\nRUN wget x\nRUN curl y\nRUN echo\n") == [3]


def test_catches_both_in_one_run(rule_lines: Callable[..., list[int]]) -> None:
    assert rule_lines("DL4001", "FROM a:1\nRUN wget x && curl y\n") == [2]


def test_passes_one_tool(rule_lines: Callable[..., list[int]]) -> None:
    assert rule_lines("DL4001", "FROM a:1\nRUN wget x\nRUN wget y\n") == []


def test_passes_tools_in_different_stages(rule_lines: Callable[..., list[int]]) -> None:
    assert rule_lines("DL4001", "FROM a:1\nRUN wget x\nFROM b:1\nRUN curl y\n") == []
