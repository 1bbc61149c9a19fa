"""DL3046: useradd with a high UID needs -l."""

from __future__ import annotations

from collections.abc import Callable

import pytest

CATCHES = [
    "RUN useradd -u 123456 luser\n",
    "ONBUILD RUN useradd -u 123456 luser\n",
]

DOES_NOT_CATCH = [
    "RUN useradd luser\n",
    "RUN useradd -u 12345 luser\n",
    "RUN useradd -l -u 123456 luser\n",
    "RUN useradd --no-log-init -u 123456 luser\n",
    "RUN useradd -l luser\n",
]


@pytest.mark.parametrize("dockerfile", CATCHES)
def test_catches(rule_lines: Callable[..., list[int]], dockerfile: str) -> None:
    assert rule_lines("DL3046", dockerfile) != []


@pytest.mark.parametrize("dockerfile", DOES_NOT_CATCH)
def test_does_not_catch(rule_lines: Callable[..., list[int]], dockerfile: str) -> None:
    assert rule_lines("DL3046", dockerfile) == []
