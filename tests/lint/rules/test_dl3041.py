"""DL3041: pin versions in dnf install."""

from __future__ import annotations

from collections.abc import Callable

import pytest

CATCHES = [
    "RUN dnf install -y tomcat && dnf clean all\n",
    "RUN microdnf install -y rpm-sign && microdnf clean all\n",
    "RUN dnf module install -y tomcat && dnf clean all\n",
    "RUN dnf -y install git-core-${version}\n",
    "ONBUILD RUN dnf install -y tomcat\n",
]

DOES_NOT_CATCH = [
    "RUN dnf install -y tomcat-9.0.1 && dnf clean all\n",
    "RUN dnf install -y rpm-sign-4.16.1.3\n",
    "RUN dnf install -y gcc-c++-1.1.1\n",
    "RUN microdnf install -y openssl-1:1.1.1k\n",
    "RUN dnf module install -y tomcat:9 && dnf clean all\n",
    "RUN notdnf install tomcat\n",
    'RUN dnf -y group install "Development Tools"\n',
    'RUN dnf group install -y "Development Tools" && dnf clean all\n',
    "ENV version=2.51.0-2.fc42\nRUN dnf -y install git-core-${version}\n",
    "ARG version\nRUN dnf -y install git-core-$version\n",
]


@pytest.mark.parametrize("dockerfile", CATCHES)
def test_catches(rule_lines: Callable[..., list[int]], dockerfile: str) -> None:
    assert rule_lines("DL3041", dockerfile) != []


@pytest.mark.parametrize("dockerfile", DOES_NOT_CATCH)
def test_does_not_catch(rule_lines: Callable[..., list[int]], dockerfile: str) -> None:
    assert rule_lines("DL3041", dockerfile) == []
