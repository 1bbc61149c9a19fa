"""DL3036: clean zypper's cache after zypper install."""

from __future__ import annotations

from collections.abc import Callable

import pytest

CATCHES = [
    "RUN zypper install -y mariadb=10.4\n",
    "RUN zypper clean && zypper install -y mariadb=10.4\n",
    "ONBUILD RUN zypper install -y mariadb=10.4\n",
]

DOES_NOT_CATCH = [
    "RUN zypper install -y mariadb=10.4 && zypper clean\n",
    "RUN zypper install -y mariadb=10.4 && zypper cc\n",
    "RUN --mount=type=cache,target=/var/cache/zypp zypper install -y mariadb\n",
    "RUN --mount=type=tmpfs,target=/var/cache/zypp zypper install -y mariadb\n",
    "RUN zypper install -y mariadb=10.4 && rm -rf /var/cache/zypp/*\n",
]


@pytest.mark.parametrize("dockerfile", CATCHES)
def test_catches(rule_lines: Callable[..., list[int]], dockerfile: str) -> None:
    assert rule_lines("DL3036", dockerfile) != []


@pytest.mark.parametrize("dockerfile", DOES_NOT_CATCH)
def test_does_not_catch(rule_lines: Callable[..., list[int]], dockerfile: str) -> None:
    assert rule_lines("DL3036", dockerfile) == []
