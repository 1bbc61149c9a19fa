"""DL3043: no ONBUILD, FROM or MAINTAINER inside ONBUILD."""

from __future__ import annotations

from collections.abc import Callable

import pytest

CATCHES = [
    "ONBUILD ONBUILD RUN anything\n",
    "ONBUILD FROM debian:buster\n",
    'ONBUILD MAINTAINER "BoJack Horseman"\n',
    "onbuild from debian\n",
]

DOES_NOT_CATCH = [
    "ONBUILD ADD anything anywhere\n",
    "ONBUILD RUN anything\n",
    "ONBUILD CMD anything\n",
    'ONBUILD ENV MYVAR="bla"\n',
    "FROM debian:buster\n",
    'MAINTAINER "Some Guy"\n',
]


@pytest.mark.parametrize("dockerfile", CATCHES)
def test_catches(rule_lines: Callable[..., list[int]], dockerfile: str) -> None:
    assert rule_lines("DL3043", dockerfile) != []


@pytest.mark.parametrize("dockerfile", DOES_NOT_CATCH)
def test_does_not_catch(rule_lines: Callable[..., list[int]], dockerfile: str) -> None:
    assert rule_lines("DL3043", dockerfile) == []
