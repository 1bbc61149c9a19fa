"""IB017: CMD or ENTRYPOINT in shell form (BuildKit's JSONArgsRecommended)."""

from __future__ import annotations

from collections.abc import Callable

import pytest

CASES = [
    ("FROM scratch\nCMD mycommand\n", [2]),
    ("FROM scratch\nENTRYPOINT mycommand\n", [2]),
    ("FROM scratch\nCMD ['single', 'quotes']\n", [2]),  # not JSON: shell form
    ('FROM scratch\nSHELL ["/bin/bash", "-c"]\nFROM scratch\nCMD mycommand\n', [4]),
    ('FROM scratch\nCMD ["mycommand"]\n', []),
    ('FROM scratch\nSHELL ["/usr/bin/customshell"]\nCMD mycommand\n', []),
    ('FROM scratch AS base\nSHELL ["/usr/bin/customshell"]\nFROM base\nCMD mycommand\n', []),
    ("FROM scratch\nHEALTHCHECK CMD curl -f http://localhost/\n", []),
]


@pytest.mark.parametrize(("dockerfile", "lines"), CASES)
def test_lines(rule_lines: Callable[..., list[int]], dockerfile: str, lines: list[int]) -> None:
    assert rule_lines("IB017", dockerfile) == lines


def test_message_is_buildkit_s(rule_messages: Callable[..., list[str]]) -> None:
    assert rule_messages("IB017", "FROM a\nentrypoint x\n") == [
        "JSON arguments recommended for entrypoint to prevent unintended behavior related to "
        "OS signals"
    ]
