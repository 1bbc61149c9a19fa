"""DL3003: cd in RUN."""

from __future__ import annotations

from collections.abc import Callable

import pytest

Lines = Callable[..., list[int]]


@pytest.mark.parametrize(
    "run",
    [
        "RUN cd /opt",
        "RUN make && cd /x && make",
        "RUN (cd /x && make)",
        "RUN <<EOF\ncd /x\nmake\nEOF",
    ],
)
def test_catches_cd(rule_lines: Lines, run: str) -> None:
    assert rule_lines("DL3003", f"FROM a:1\n{run}\n") == [2]


@pytest.mark.parametrize(
    "text",
    ["WORKDIR /opt\n", "RUN echo cd\n", "RUN make -C /x\n", "RUN python3 <<EOF\ncd = 1\nEOF\n"],
)
def test_does_not_catch(rule_lines: Lines, text: str) -> None:
    assert rule_lines("DL3003", f"FROM a:1\n{text}") == []
