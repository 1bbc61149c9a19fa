"""IB004: the legacy ENV key value form (BuildKit's LegacyKeyValueFormat)."""

from __future__ import annotations

from collections.abc import Callable

import pytest

CASES = [
    ("FROM a:1\nENV A 1\n", [2]),
    ("FROM a:1\nLABEL maintainer Jane\n", [2]),
    ("FROM scratch AS a\nFROM a AS b\nENV testkey value\nLABEL key value\n", [3, 4]),
    ('FROM a:1\nENV A="x y" B=2\n', []),
    ("FROM a:1\nENV A=1 B=2\n", []),
    ("FROM a:1\nENV A\n", []),  # BuildKit refuses the line: no check
]


@pytest.mark.parametrize(("dockerfile", "lines"), CASES)
def test_lines(rule_lines: Callable[..., list[int]], dockerfile: str, lines: list[int]) -> None:
    assert rule_lines("IB004", dockerfile) == lines


def test_message_is_buildkit_s(rule_messages: Callable[..., list[str]]) -> None:
    assert rule_messages("IB004", "FROM a\nenv A 1\n") == [
        '"env key=value" should be used instead of legacy "env key value" format'
    ]


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
