"""IB004: the legacy ENV key value form."""

from __future__ import annotations

from collections.abc import Callable


def test_catches_legacy_env(rule_lines: Callable[..., list[int]]) -> None:
    assert rule_lines("IB004", "FROM a:1\nENV A 1\n") == [2]


def test_catches_legacy_label(rule_lines: Callable[..., list[int]]) -> None:
    assert rule_lines("IB004", "FROM a:1\nLABEL maintainer Jane\n") == [2]


def test_passes_key_equals_value(rule_lines: Callable[..., list[int]]) -> None:
    assert rule_lines("IB004", "FROM a:1\nENV A=1 B=2\n") == []


def test_fix_writes_key_equals_value(
    rule_fix: Callable[..., str], rule_lines: Callable[..., list[int]]
) -> None:
    fixed = rule_fix("IB004", "FROM a:1\nENV JAVA_HOME /opt/java\n")
    assert fixed == "FROM a:1\nENV JAVA_HOME=/opt/java\n"
    assert rule_lines("IB004", fixed) == []


def test_fix_quotes_value_with_spaces(
    rule_fix: Callable[..., str], rule_lines: Callable[..., list[int]]
) -> None:
    fixed = rule_fix("IB004", "FROM a:1\nENV GREETING hello  world\n")
    assert fixed == 'FROM a:1\nENV GREETING="hello  world"\n'
    assert rule_lines("IB004", fixed) == []


def test_fix_keeps_a_quoted_value(
    rule_fix: Callable[..., str], rule_lines: Callable[..., list[int]]
) -> None:
    fixed = rule_fix("IB004", "FROM a:1\nENV A 'b c'\n")
    assert fixed == "FROM a:1\nENV A='b c'\n"
    assert rule_lines("IB004", fixed) == []


def test_fix_joins_continued_value(
    rule_fix: Callable[..., str], rule_lines: Callable[..., list[int]]
) -> None:
    fixed = rule_fix("IB004", "FROM a:1\nenv A b \\\n  c\n")
    assert fixed == 'FROM a:1\nenv A="b   c"\n'
    assert rule_lines("IB004", fixed) == []
