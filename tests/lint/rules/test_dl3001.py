"""DL3001: commands that make no sense in a build."""

from __future__ import annotations

from collections.abc import Callable

import pytest

Lines = Callable[..., list[int]]


@pytest.mark.parametrize(
    "run",
    [
        "RUN top",
        "RUN service nginx start",
        "RUN echo $(ps aux)",
        "ONBUILD RUN kill 1",
        "RUN <<EOF\nvim x\nEOF",
    ],
)
def test_catches(rule_lines: Lines, run: str) -> None:
    assert rule_lines("DL3001", f"FROM a:1\n{run}\n") == [2]


@pytest.mark.parametrize(
    "run",
    ["RUN apt-get install ssh", "RUN echo top", "ONBUILD RUN apt-get install vim", "RUN sshd"],
)
def test_does_not_catch(rule_lines: Lines, run: str) -> None:
    assert rule_lines("DL3001", f"FROM a:1\n{run}\n") == []
