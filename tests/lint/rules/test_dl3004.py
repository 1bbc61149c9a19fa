"""DL3004: sudo."""

from __future__ import annotations

from collections.abc import Callable

import pytest

Lines = Callable[..., list[int]]


@pytest.mark.parametrize(
    "run",
    [
        "RUN sudo apt-get update",
        "RUN apt-get update && sudo apt-get install",
        "ONBUILD RUN sudo make install",
    ],
)
def test_catches_sudo(rule_lines: Lines, run: str) -> None:
    assert rule_lines("DL3004", f"FROM a:1\n{run}\n") == [2]


@pytest.mark.parametrize(
    "run", ["RUN apt-get install sudo", "ONBUILD RUN apt-get install sudo", "RUN echo sudo"]
)
def test_does_not_catch(rule_lines: Lines, run: str) -> None:
    assert rule_lines("DL3004", f"FROM a:1\n{run}\n") == []
