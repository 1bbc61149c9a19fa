"""DL3012: more than one HEALTHCHECK in a stage."""

from __future__ import annotations

from collections.abc import Callable

import pytest

Lines = Callable[..., list[int]]


def test_catches_every_extra_healthcheck(rule_lines: Lines) -> None:
    text = "FROM scratch\nHEALTHCHECK CMD a\nHEALTHCHECK CMD b\nHEALTHCHECK NONE\n"
    assert rule_lines("DL3012", text) == [3, 4]


@pytest.mark.parametrize(
    "text",
    [
        "FROM scratch\n",
        "FROM scratch\nHEALTHCHECK CMD /bin/bla\n",
        "FROM scratch\nHEALTHCHECK CMD a\nFROM scratch\nHEALTHCHECK CMD b\n",
    ],
)
def test_does_not_catch(rule_lines: Lines, text: str) -> None:
    assert rule_lines("DL3012", text) == []
