"""IB005: undefined variables."""

from __future__ import annotations

from collections.abc import Callable


def test_catches_global_arg_not_redeclared(rule_lines: Callable[..., list[int]]) -> None:
    assert rule_lines("IB005", "ARG V=1\nFROM scratch\nCOPY app-${V} /app\n") == [3]


def test_catches_typo(rule_lines: Callable[..., list[int]]) -> None:
    assert rule_lines("IB005", "FROM scratch\nENV APP_DIR=/app\nWORKDIR $APPDIR\n") == [3]


def test_passes_redeclared_arg(rule_lines: Callable[..., list[int]]) -> None:
    assert rule_lines("IB005", "ARG V=1\nFROM scratch\nARG V\nCOPY app-${V} /app\n") == []


def test_passes_env_of_parent_stage(rule_lines: Callable[..., list[int]]) -> None:
    assert rule_lines("IB005", "FROM scratch AS base\nENV D=/d\nFROM base\nWORKDIR $D\n") == []


def test_catches_arg_of_parent_stage(rule_lines: Callable[..., list[int]]) -> None:
    assert rule_lines("IB005", "FROM scratch AS base\nARG D=/d\nFROM base\nWORKDIR $D\n") == [4]


def test_passes_default_form(rule_lines: Callable[..., list[int]]) -> None:
    assert rule_lines("IB005", "FROM scratch\nWORKDIR ${D:-/app}\n") == []


def test_passes_predefined_arg(rule_lines: Callable[..., list[int]]) -> None:
    assert rule_lines("IB005", "FROM scratch\nCOPY bin-$TARGETARCH /bin/app\n") == []


def test_passes_unknown_base_image(rule_lines: Callable[..., list[int]]) -> None:
    assert rule_lines("IB005", "FROM debian:12\nWORKDIR $HOME\n") == []


def test_passes_escaped_dollar(rule_lines: Callable[..., list[int]]) -> None:
    assert rule_lines("IB005", "FROM scratch\nLABEL price=\\$FIVE\n") == []


def test_passes_run(rule_lines: Callable[..., list[int]]) -> None:
    assert rule_lines("IB005", "FROM scratch\nRUN echo $UNSET\n") == []
