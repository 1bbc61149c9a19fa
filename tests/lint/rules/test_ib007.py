"""IB007: empty continuation lines (BuildKit's NoEmptyContinuation)."""

from __future__ import annotations

from collections.abc import Callable

import pytest

CASES = [
    ("FROM a:1\nRUN a \\\n\n  && b\n", [4]),  # on the line the instruction ends on
    ("FROM scratch\n# x\nCOPY Dockerfile \\\n\n.\nCOPY Dockerfile \\\n.\n", [5]),
    ("FROM a:1\nRUN a \\\n\n  && b \\\n\n  && c\n", [6]),  # once per instruction
    ("FROM a:1\nRUN a \\\n  && b\n", []),
    ("FROM a:1\nCOPY a C:\\\\\n\nENV A=1\n", []),  # an escaped escape does not continue
    ("# escape=`\nFROM a:1\nRUN a `\n\n  b\n", [5]),
    ("FROM a:1\nRUN a \\\n# a comment\n  && b\n", []),
    ("FROM a:1\nRUN a\n\nRUN b\n", []),
    ("FROM a:1\nRUN <<EOF\na\n\nb\nEOF\n", []),
]


@pytest.mark.parametrize(("dockerfile", "lines"), CASES)
def test_lines(rule_lines: Callable[..., list[int]], dockerfile: str, lines: list[int]) -> None:
    assert rule_lines("IB007", dockerfile) == lines
