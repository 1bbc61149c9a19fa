"""DL3000: absolute WORKDIR."""

from __future__ import annotations

from collections.abc import Callable

import pytest

Lines = Callable[..., list[int]]


@pytest.mark.parametrize("path", ["relative/dir", "'relative/dir'", '"relative/dir"', "app"])
def test_catches_relative(rule_lines: Lines, path: str) -> None:
    assert rule_lines("DL3000", f"FROM a:1\nWORKDIR {path}\n") == [2]


@pytest.mark.parametrize(
    "path", ["/usr/local", "'/usr/local'", "${work}", '"${dir}/x"', "$HOME", "C:\\", "C:/", '"C:/"']
)
def test_does_not_catch_absolute_or_variable(rule_lines: Lines, path: str) -> None:
    assert rule_lines("DL3000", f"FROM a:1\nWORKDIR {path}\n") == []
