"""DL3037: pin versions in zypper install."""

from __future__ import annotations

from collections.abc import Callable

import pytest

CATCHES = [
    "RUN zypper install -y tomcat && zypper clean\n",
    "RUN zypper in -y tomcat\n",
    "ONBUILD RUN zypper install -y tomcat\n",
]

DOES_NOT_CATCH = [
    "RUN zypper install -y tomcat=9.0.39 && zypper clean\n",
    "RUN zypper install -y tomcat\\>=9.0 && zypper clean\n",
    "RUN zypper install -y 'tomcat<9.0'\n",
    "RUN zypper install -y tomcat-9.0.39-1.rpm && zypper clean\n",
    "RUN zypper install -y tomcat=${TOMCAT_VERSION}\n",
]


@pytest.mark.parametrize("dockerfile", CATCHES)
def test_catches(rule_lines: Callable[..., list[int]], dockerfile: str) -> None:
    assert rule_lines("DL3037", dockerfile) != []


@pytest.mark.parametrize("dockerfile", DOES_NOT_CATCH)
def test_does_not_catch(rule_lines: Callable[..., list[int]], dockerfile: str) -> None:
    assert rule_lines("DL3037", dockerfile) == []
