"""DL3066: USER by name."""

from __future__ import annotations

from collections.abc import Callable


def test_catches_user_name(rule_lines: Callable[..., list[int]]) -> None:
    assert rule_lines("DL3066", "FROM a:1\nUSER foobar\n") == [2]


def test_catches_user_name_with_numeric_group(rule_lines: Callable[..., list[int]]) -> None:
    assert rule_lines("DL3066", "FROM a:1\nUSER foobar:1000\n") == [2]


def test_passes_numeric_uid_and_gid(rule_lines: Callable[..., list[int]]) -> None:
    assert rule_lines("DL3066", "FROM a:1\nUSER 1234:5678\n") == []


def test_passes_declared_arg(rule_lines: Callable[..., list[int]]) -> None:
    assert rule_lines("DL3066", "ARG APP_UID\nFROM a:1\nUSER ${APP_UID}\n") == []


def test_catches_env_variable(rule_lines: Callable[..., list[int]]) -> None:
    assert rule_lines("DL3066", "FROM a:1\nENV APP_UID=1\nUSER $APP_UID\n") == [3]
