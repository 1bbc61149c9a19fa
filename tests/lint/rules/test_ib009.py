"""IB009: EXPOSE with an IP address or a host port (BuildKit's ExposeInvalidFormat)."""

from __future__ import annotations

from collections.abc import Callable

import pytest

CASES = [
    ("FROM a:1\nEXPOSE 0.0.0.0:80:80\n", [2]),
    ("FROM a:1\nEXPOSE 8080:80\n", [2]),
    ("FROM a:1\nEXPOSE [::1]:8080:8080/udp\n", [2]),
    ("FROM a:1\nENV PORTS=8080:80\nEXPOSE $PORTS\n", [3]),  # variables expanded
    ("FROM a:1\nEXPOSE 80 443/tcp 53/UDP\n", []),
    ("FROM a:1\nEXPOSE :80\n", []),  # an empty host port is no mapping
    ("FROM a:1\nEXPOSE ${PORT}\n", []),
]


@pytest.mark.parametrize(("dockerfile", "lines"), CASES)
def test_lines(rule_lines: Callable[..., list[int]], dockerfile: str, lines: list[int]) -> None:
    assert rule_lines("IB009", dockerfile) == lines


def test_one_finding_per_port(rule_messages: Callable[..., list[str]]) -> None:
    assert rule_messages("IB009", "FROM a\nEXPOSE 127.0.0.1:80:80 5000:5000 8000\n") == [
        "EXPOSE instruction should not define an IP address or host-port mapping, "
        "found '127.0.0.1:80:80'",
        "EXPOSE instruction should not define an IP address or host-port mapping, "
        "found '5000:5000'",
    ]
