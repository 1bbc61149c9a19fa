"""DL3061: instructions before the first FROM."""

from __future__ import annotations

from collections.abc import Callable


def test_catches_label_before_from(rule_lines: Callable[..., list[int]]) -> None:
    assert rule_lines("DL3061", "LABEL foo=bar\nFROM foo\n") == [1]


def test_passes_arg_before_from(rule_lines: Callable[..., list[int]]) -> None:
    assert rule_lines("DL3061", "ARG A=B\nFROM foo\nLABEL foo=bar\n") == []


def test_passes_directive_before_from(rule_lines: Callable[..., list[int]]) -> None:
    assert rule_lines("DL3061", "# syntax=docker/dockerfile:1\nFROM foo\n") == []


def test_catches_every_instruction_before_from(rule_lines: Callable[..., list[int]]) -> None:
    assert rule_lines("DL3061", "CMD a\nCMD b\n") == [1, 2]
