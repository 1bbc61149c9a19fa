"""DL3032: clean yum's cache after yum install."""

from __future__ import annotations

from collections.abc import Callable

import pytest

CATCHES = [
    "RUN yum install -y mariadb-10.4\n",
    "RUN yum clean all && yum install -y\n",
    "RUN --mount=type=cache,target=/var/cache/foo yum install -y mariadb-10.4\n",
    "ONBUILD RUN yum install -y mariadb-10.4\n",
]

DOES_NOT_CATCH = [
    "RUN yum install -y mariadb-10.4 && yum clean all\n",
    "RUN yum install -y mariadb-10.4 && rm -rf /var/cache/yum/*\n",
    "RUN bash -c `# not even a yum command`\n",
    "RUN --mount=type=cache,target=/var/cache/yum yum install -y mariadb-10.4\n",
    "RUN --mount=type=tmpfs,target=/var/cache/yum yum install -y mariadb-10.4\n",
    "RUN <<EOF\nyum install -y mariadb-10.4\nyum clean all\nEOF\n",
]


@pytest.mark.parametrize("dockerfile", CATCHES)
def test_catches(rule_lines: Callable[..., list[int]], dockerfile: str) -> None:
    assert rule_lines("DL3032", dockerfile) != []


@pytest.mark.parametrize("dockerfile", DOES_NOT_CATCH)
def test_does_not_catch(rule_lines: Callable[..., list[int]], dockerfile: str) -> None:
    assert rule_lines("DL3032", dockerfile) == []
