"""DL3034: use a non-interactive switch with zypper."""

from __future__ import annotations

from collections.abc import Callable

import pytest

CATCHES = [
    "RUN zypper install httpd=2.4.24 && zypper clean\n",
    "RUN zypper rm httpd\n",
    "ONBUILD RUN zypper install httpd=2.4.24\n",
]

DOES_NOT_CATCH = [
    "RUN zypper install -n httpd=2.4.24 && zypper clean\n",
    "RUN zypper --non-interactive install httpd=2.4.24\n",
    "RUN zypper install -y httpd=2.4.24\n",
    "RUN zypper install --no-confirm httpd=2.4.24\n",
    "RUN zypper refresh\n",
]


@pytest.mark.parametrize("dockerfile", CATCHES)
def test_catches(rule_lines: Callable[..., list[int]], dockerfile: str) -> None:
    assert rule_lines("DL3034", dockerfile) != []


@pytest.mark.parametrize("dockerfile", DOES_NOT_CATCH)
def test_does_not_catch(rule_lines: Callable[..., list[int]], dockerfile: str) -> None:
    assert rule_lines("DL3034", dockerfile) == []
