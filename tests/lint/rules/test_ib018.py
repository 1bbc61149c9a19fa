"""IB018: MAINTAINER (BuildKit's MaintainerDeprecated)."""

from __future__ import annotations

from collections.abc import Callable

import pytest

CASES = [
    ("FROM scratch\nMAINTAINER me@example.org\n", [2]),
    ("FROM scratch\nmaintainer me@example.org\n", [2]),
    ('FROM scratch\nLABEL org.opencontainers.image.authors="me@example.org"\n', []),
]


@pytest.mark.parametrize(("dockerfile", "lines"), CASES)
def test_lines(rule_lines: Callable[..., list[int]], dockerfile: str, lines: list[int]) -> None:
    assert rule_lines("IB018", dockerfile) == lines
