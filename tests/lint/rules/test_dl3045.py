"""DL3045: COPY to a relative destination needs a WORKDIR."""

from __future__ import annotations

from collections.abc import Callable

import pytest

CATCHES = [
    "COPY bla.sh blubb.sh\n",
    'COPY bla.sh "blubb.sh"\n',
    "FROM debian:buster as stage1\nWORKDIR /usr\nFROM debian:buster\nCOPY foo bar\n",
    "FROM debian:12\nCOPY . .\n",
    'COPY ["a", "b"]\n',
]

DOES_NOT_CATCH = [
    "COPY bla.sh /usr/local/bin/blubb.sh\n",
    'COPY bla.sh "/usr/local/bin/blubb.s"\n',
    "COPY bla.sh c:\\system32\\blubb.sh\n",
    "COPY bla.sh c:/system32/blubb.sh\n",
    "FROM scratch\nWORKDIR /usr\nCOPY bla.sh blubb.sh\n",
    "COPY src.sh ${SRC_BASE_ENV}\n",
    'COPY src.sh "$SRC_BASE_ENV"\n',
    "FROM debian:buster as base\nWORKDIR /usr\nFROM debian:buster as x\nRUN foo\nFROM base\nCOPY foo bar\n",
    "FROM debian:buster as base1\nWORKDIR /usr\nFROM base1 as base2\nRUN foo\nFROM base2\nCOPY foo bar\n",
    "FROM debian:buster\nONBUILD WORKDIR /usr/local/lib\nONBUILD COPY foo bar\n",
]


@pytest.mark.parametrize("dockerfile", CATCHES)
def test_catches(rule_lines: Callable[..., list[int]], dockerfile: str) -> None:
    assert rule_lines("DL3045", dockerfile) != []


@pytest.mark.parametrize("dockerfile", DOES_NOT_CATCH)
def test_does_not_catch(rule_lines: Callable[..., list[int]], dockerfile: str) -> None:
    assert rule_lines("DL3045", dockerfile) == []
