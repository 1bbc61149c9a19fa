"""DL3035: do not use zypper dist-upgrade."""

from __future__ import annotations

from collections.abc import Callable

import pytest

CATCHES = [
    "RUN zypper dist-upgrade\n",
    "RUN zypper dup\n",
    "ONBUILD RUN zypper dup\n",
]

DOES_NOT_CATCH = [
    "RUN zypper up -y\n",
    "RUN zypper install -y foo=1\n",
]


@pytest.mark.parametrize("dockerfile", CATCHES)
def test_catches(rule_lines: Callable[..., list[int]], dockerfile: str) -> None:
    assert rule_lines("DL3035", dockerfile) != []


@pytest.mark.parametrize("dockerfile", DOES_NOT_CATCH)
def test_does_not_catch(rule_lines: Callable[..., list[int]], dockerfile: str) -> None:
    assert rule_lines("DL3035", dockerfile) == []
