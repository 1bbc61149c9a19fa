"""DL3044: no self-reference within one ENV."""

from __future__ import annotations

from collections.abc import Callable

import pytest

CATCHES = [
    'ENV BLA="blubb" BLUBB="$BLA/$BLAFOO/blubb"\n',
    "ENV PATH=/bla:${PATH} PATH=/blubb:${PATH}\n",
    'ENV BLA="blubb" BLUBB="${BLA}/blubb"\n',
    'ENV BLA="blubb" BLUBB="$BLA"\n',
]

DOES_NOT_CATCH = [
    'ENV BLA="blubb"\nENV BLUBB="${BLA}/blubb"\n',
    'ENV BLA="blubb" BLUBB="${FOOBLA}/blubb"\n',
    'ENV BLA="blubb" BLUBB="$BLAFOO/blubb"\n',
    'ENV BLA="blubb" BLUBB="BLA/$BLAFOO/BLA"\n',
    "ARG BLA\nENV BLA=${BLA}\n",
    "ENV BLA blubb\nENV BLA=${BLA}\n",
    "ENV PATH=/bla:${PATH}\n",
    "ARG A\nENV A=1 B=$A\n",
]


@pytest.mark.parametrize("dockerfile", CATCHES)
def test_catches(rule_lines: Callable[..., list[int]], dockerfile: str) -> None:
    assert rule_lines("DL3044", dockerfile) != []


@pytest.mark.parametrize("dockerfile", DOES_NOT_CATCH)
def test_does_not_catch(rule_lines: Callable[..., list[int]], dockerfile: str) -> None:
    assert rule_lines("DL3044", dockerfile) == []
