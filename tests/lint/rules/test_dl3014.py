"""DL3014: use the -y switch with apt-get install."""

from __future__ import annotations

from collections.abc import Callable

import pytest

CATCHES = [
    "RUN apt-get install python\n",
    "RUN apt-get install -q python\n",
    "RUN apt-get install --quiet python\n",
    "RUN apt-get update && apt-get install python\n",
    "ONBUILD RUN apt-get install python\n",
]

DOES_NOT_CATCH = [
    "RUN apt-get install -y python\n",
    "RUN apt-get -y install python\n",
    "RUN apt-get install -yq python\n",
    "RUN apt-get --yes install python\n",
    "RUN apt-get --assume-yes install python\n",
    "RUN apt-get install -qq python\n",
    "RUN apt-get install -q -q python\n",
    "RUN apt-get install -q=2 python\n",
    "RUN apt-get update\n",
]


@pytest.mark.parametrize("dockerfile", CATCHES)
def test_catches(rule_lines: Callable[..., list[int]], dockerfile: str) -> None:
    assert rule_lines("DL3014", dockerfile) != []


@pytest.mark.parametrize("dockerfile", DOES_NOT_CATCH)
def test_does_not_catch(rule_lines: Callable[..., list[int]], dockerfile: str) -> None:
    assert rule_lines("DL3014", dockerfile) == []
