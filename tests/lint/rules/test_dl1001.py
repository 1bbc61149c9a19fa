"""DL1001: inline ignore pragmas."""

from __future__ import annotations

from collections.abc import Callable

import pytest

Lines = Callable[..., list[int]]


@pytest.mark.parametrize(
    "text",
    [
        "# hadolint ignore=DL3003\nRUN foo bar\n",
        "FROM a:1\n# imgbuild ignore=DL3003,IB101 # reason\nRUN cd /x\n",
    ],
)
def test_catches_line_pragmas(rule_lines: Lines, text: str) -> None:
    assert rule_lines("DL1001", text) == [text.count("\n", 0, text.index("# ")) + 1]


@pytest.mark.parametrize(
    "text",
    [
        "# hadolint shell=powershell\nRUN foo bar\n",
        "# foobar\nRUN foo bar\n",
        "# hadolint global ignore=DL3003\nRUN cd /x\n",
        "# hadolint stage ignore=DL3003\nFROM a:1\n",
        "# hadolint ignore=not-a-code\nRUN foo\n",
    ],
)
def test_does_not_catch_other_comments(rule_lines: Lines, text: str) -> None:
    assert rule_lines("DL1001", text) == []
