"""DL3027: do not use apt."""

from __future__ import annotations

from collections.abc import Callable

import pytest

CATCHES = [
    "FROM ubuntu\nRUN apt install python\n",
    "FROM ubuntu\nONBUILD RUN apt install python\n",
    "RUN apt update && apt-get install -y x\n",
]

DOES_NOT_CATCH = [
    "RUN apt-get install -y python\n",
    "RUN apt-cache policy python\n",
    "RUN echo apt\n",
]


@pytest.mark.parametrize("dockerfile", CATCHES)
def test_catches(rule_lines: Callable[..., list[int]], dockerfile: str) -> None:
    assert rule_lines("DL3027", dockerfile) != []


@pytest.mark.parametrize("dockerfile", DOES_NOT_CATCH)
def test_does_not_catch(rule_lines: Callable[..., list[int]], dockerfile: str) -> None:
    assert rule_lines("DL3027", dockerfile) == []
