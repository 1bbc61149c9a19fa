"""DL3002: last USER root."""

from __future__ import annotations

from collections.abc import Callable

import pytest

Lines = Callable[..., list[int]]


@pytest.mark.parametrize("user", ["root", "0", "root:root", "0:0"])
def test_catches_root(rule_lines: Lines, user: str) -> None:
    assert rule_lines("DL3002", f"FROM scratch\nUSER {user}\n") == [2]


def test_catches_root_in_every_stage_that_ends_as_root(rule_lines: Lines) -> None:
    text = "FROM debian:12 AS base\nUSER root\nRUN x\nFROM scratch\nUSER foo\nRUN y\n"
    assert rule_lines("DL3002", text) == [2]


@pytest.mark.parametrize(
    "text",
    [
        "FROM scratch\nUSER foo\n",
        "FROM scratch\nUSER root\nRUN something\nUSER foo\n",
        "FROM debian:12 AS base\nUSER root\nUSER foo\nFROM scratch\nRUN x\n",
        "FROM scratch\nUSER rootless\n",
    ],
)
def test_does_not_catch(rule_lines: Lines, text: str) -> None:
    assert rule_lines("DL3002", text) == []
