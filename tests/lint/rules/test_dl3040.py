"""DL3040: clean dnf's cache after dnf install."""

from __future__ import annotations

from collections.abc import Callable

import pytest

CATCHES = [
    "RUN dnf install -y mariadb-10.4\n",
    "RUN microdnf install -y mariadb-10.4\n",
    "RUN dnf in -y mariadb-10.4\n",
    "RUN microdnf clean all && dnf install -y mariadb-10.4\n",
    "RUN rm -rf /var/cache/libdnf5 && dnf install -y mariadb-10.4\n",
    "RUN dnf -y upgrade\n",
    "RUN dnf -y reinstall\n",
    "ONBUILD RUN dnf install -y mariadb-10.4\n",
]

DOES_NOT_CATCH = [
    "RUN dnf install -y mariadb-10.4 && dnf clean all\n",
    "RUN microdnf install -y mariadb-10.4 && microdnf clean all\n",
    "RUN dnf install -y mariadb-10.4 && rm -rf /var/cache/yum/*\n",
    "RUN notdnf install mariadb\n",
    "RUN --mount=type=cache,target=/var/cache/libdnf5 dnf install -y mariadb-10.4\n",
    "RUN --mount=type=tmpfs,target=/var/cache/libdnf5 microdnf install -y mariadb-10.4\n",
    "RUN --mount=type=cache,target=/var/cache/dnf dnf install -y mariadb-10.4\n",
    "RUN dnf -y up-min && dnf clean all\n",
]


@pytest.mark.parametrize("dockerfile", CATCHES)
def test_catches(rule_lines: Callable[..., list[int]], dockerfile: str) -> None:
    assert rule_lines("DL3040", dockerfile) != []


@pytest.mark.parametrize("dockerfile", DOES_NOT_CATCH)
def test_does_not_catch(rule_lines: Callable[..., list[int]], dockerfile: str) -> None:
    assert rule_lines("DL3040", dockerfile) == []
