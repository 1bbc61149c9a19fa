"""DL3033: pin versions in yum install."""

from __future__ import annotations

from collections.abc import Callable

import pytest

CATCHES = [
    "RUN yum install -y tomcat && yum clean all\n",
    "RUN yum module install -y tomcat && yum clean all\n",
    "RUN yum -y install git-core-${version}\n",
    "RUN yum -y install foo-bar\n",
    "FROM fedora:42 AS build\nENV version=2.51.0\nFROM fedora:42\nRUN yum -y install git-core-${version}\n",
    "ONBUILD RUN yum install -y tomcat\n",
    "RUN yum install foo-10-gcc-*\n",
]

DOES_NOT_CATCH = [
    "RUN yum install -y tomcat-9.2 && yum clean all\n",
    "RUN yum install -y openssl-1:1.1.1k\n",
    "RUN yum install -y gcc-c++-1.1.1\n",
    "RUN yum module install -y tomcat:9 && yum clean all\n",
    "RUN yum install -y ./local.rpm\n",
    "ENV version=2.51.0-2.fc42\nRUN yum -y install git-core-${version}\n",
    "ARG version\nRUN yum -y install git-core-$version\n",
    "FROM fedora:42 AS build\nENV version=2.51.0\nFROM build\nRUN yum -y install git-core-${version}\n",
]


@pytest.mark.parametrize("dockerfile", CATCHES)
def test_catches(rule_lines: Callable[..., list[int]], dockerfile: str) -> None:
    assert rule_lines("DL3033", dockerfile) != []


@pytest.mark.parametrize("dockerfile", DOES_NOT_CATCH)
def test_does_not_catch(rule_lines: Callable[..., list[int]], dockerfile: str) -> None:
    assert rule_lines("DL3033", dockerfile) == []
