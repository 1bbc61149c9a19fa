"""IB025: EXPOSE protocols not in lower case (BuildKit's ExposeProtoCasing)."""

from __future__ import annotations

from collections.abc import Callable

import pytest

CASES = [
    ("FROM a:1\nEXPOSE 80/TCP\n", [2]),
    ("FROM a:1\nEXPOSE 80/TcP 8080/TCP 8080/udp\n", [2, 2]),
    ("FROM a:1\nENV PROTO=UDP\nEXPOSE 53/$PROTO\n", [3]),
    ("FROM a:1\nEXPOSE 80/tcp 53/udp 9/sctp 8080\n", []),
]


@pytest.mark.parametrize(("dockerfile", "lines"), CASES)
def test_lines(rule_lines: Callable[..., list[int]], dockerfile: str, lines: list[int]) -> None:
    assert rule_lines("IB025", dockerfile) == lines


def test_message_is_buildkit_s(rule_messages: Callable[..., list[str]]) -> None:
    assert rule_messages("IB025", "FROM a\nEXPOSE 80/TcP\n") == [
        "Defined protocol '80/TcP' in EXPOSE instruction should be lowercase"
    ]
