"""IB015: two stages of one name (BuildKit's DuplicateStageName)."""

from __future__ import annotations

from collections.abc import Callable

import pytest

CASES = [
    ("FROM scratch AS b\nFROM scratch AS b\n", [2]),
    ("FROM scratch AS b\nFROM scratch AS B\nFROM scratch AS b\n", [2, 3]),
    ("FROM scratch AS b1\nFROM scratch AS b2\n", []),
    ("FROM scratch\nFROM scratch\n", []),
]


@pytest.mark.parametrize(("dockerfile", "lines"), CASES)
def test_lines(rule_lines: Callable[..., list[int]], dockerfile: str, lines: list[int]) -> None:
    assert rule_lines("IB015", dockerfile) == lines


def test_message_is_buildkit_s(rule_messages: Callable[..., list[str]]) -> None:
    assert rule_messages("IB015", "FROM a AS b\nFROM a AS b\n") == [
        'Duplicate stage name "b", stage names should be unique'
    ]
