"""DL3011: ports beyond 65535."""

from __future__ import annotations

from collections.abc import Callable

import pytest

Lines = Callable[..., list[int]]


@pytest.mark.parametrize("ports", ["80000", "40000-80000/tcp", "80 65536/udp"])
def test_catches_invalid_port(rule_lines: Lines, ports: str) -> None:
    assert rule_lines("DL3011", f"FROM a:1\nEXPOSE {ports}\n") == [2]


@pytest.mark.parametrize(
    "ports", ["60000", "${FOOBAR}", "40000-60000/tcp", "40000-${X}", "0 65535"]
)
def test_does_not_catch(rule_lines: Lines, ports: str) -> None:
    assert rule_lines("DL3011", f"FROM a:1\nEXPOSE {ports}\n") == []


def test_non_ascii_digits_are_not_a_port(rule_lines: Lines) -> None:
    assert rule_lines("DL3011", "FROM a:1\nEXPOSE ²\n") == []
