"""DL3038: use -y with dnf install."""

from __future__ import annotations

from collections.abc import Callable

import pytest

CATCHES = [
    "RUN dnf install httpd-2.4.24 && dnf clean all\n",
    "RUN microdnf install httpd-2.4.24 && microdnf clean all\n",
    "ONBUILD RUN dnf install httpd-2.4.24\n",
]

DOES_NOT_CATCH = [
    "RUN dnf install -y httpd-2.4.24 && dnf clean all\n",
    "RUN microdnf install -y httpd-2.4.24\n",
    "RUN dnf --assumeyes install httpd-2.4.24\n",
    "RUN notdnf install httpd\n",
]


@pytest.mark.parametrize("dockerfile", CATCHES)
def test_catches(rule_lines: Callable[..., list[int]], dockerfile: str) -> None:
    assert rule_lines("DL3038", dockerfile) != []


@pytest.mark.parametrize("dockerfile", DOES_NOT_CATCH)
def test_does_not_catch(rule_lines: Callable[..., list[int]], dockerfile: str) -> None:
    assert rule_lines("DL3038", dockerfile) == []
