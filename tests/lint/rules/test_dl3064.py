"""DL3064: secret-looking ARG and ENV names."""

from __future__ import annotations

from collections.abc import Callable


def test_catches_global_arg(rule_lines: Callable[..., list[int]]) -> None:
    assert rule_lines("DL3064", "ARG AWS_ACCESS_KEY_ID\nFROM debian:12\n") == [1]


def test_catches_lower_case_name(rule_lines: Callable[..., list[int]]) -> None:
    assert rule_lines("DL3064", "FROM debian:12\nENV my_password=x\n") == [2]


def test_catches_token_in_legacy_env(rule_lines: Callable[..., list[int]]) -> None:
    assert rule_lines("DL3064", "FROM debian:12\nENV GITHUB_TOKEN abc\n") == [2]


def test_passes_harmless_names(rule_lines: Callable[..., list[int]]) -> None:
    assert rule_lines("DL3064", "ARG VERSION\nFROM debian:12\nENV PATH=/x\n") == []
