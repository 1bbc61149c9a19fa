"""IB019: a relative WORKDIR first (BuildKit's WorkdirRelativePath)."""

from __future__ import annotations

from collections.abc import Callable

import pytest

CASES = [
    ("FROM scratch\nWORKDIR app/\n", [2]),
    ("FROM python:3.12\nWORKDIR app\nWORKDIR sub\n", [2]),  # the first one only
    ("FROM scratch\nENV D=app\nWORKDIR $D\n", [3]),  # variables expanded
    ("FROM scratch AS a\nWORKDIR /app\nFROM scratch AS b\nWORKDIR subdir/\n", [4]),
    ("FROM scratch\nWORKDIR /app\n", []),
    ("FROM mcr.microsoft.com/windows/nanoserver:ltsc2022\nWORKDIR C:\\\\go\n", []),
    ("FROM scratch AS a\nWORKDIR /app\nFROM a AS b\nWORKDIR subdir/\n", []),
    ("FROM scratch\nWORKDIR $HOME/app\n", []),  # HOME unset: `/app`
    ("FROM scratch\nENV D=/srv\nWORKDIR $D/app\n", []),
]


@pytest.mark.parametrize(("dockerfile", "lines"), CASES)
def test_lines(rule_lines: Callable[..., list[int]], dockerfile: str, lines: list[int]) -> None:
    assert rule_lines("IB019", dockerfile) == lines


def test_message_is_buildkit_s(rule_messages: Callable[..., list[str]]) -> None:
    assert rule_messages("IB019", "FROM a\nWORKDIR app/\n") == [
        'Relative workdir "app/" can have unexpected results if the base image changes'
    ]
