"""DL3030: use -y with yum install."""

from __future__ import annotations

from collections.abc import Callable

import pytest

CATCHES = [
    "RUN yum install httpd-2.4.24 && yum clean all\n",
    "RUN yum groupinstall 'Development Tools'\n",
    "ONBUILD RUN yum install httpd-2.4.24 && yum clean all\n",
]

DOES_NOT_CATCH = [
    "RUN yum install -y httpd-2.4.24 && yum clean all\n",
    "RUN yum install --assumeyes httpd-2.4.24\n",
    "RUN bash -c `# not even a yum command`\n",
    "RUN yum clean all\n",
]


@pytest.mark.parametrize("dockerfile", CATCHES)
def test_catches(rule_lines: Callable[..., list[int]], dockerfile: str) -> None:
    assert rule_lines("DL3030", dockerfile) != []


@pytest.mark.parametrize("dockerfile", DOES_NOT_CATCH)
def test_does_not_catch(rule_lines: Callable[..., list[int]], dockerfile: str) -> None:
    assert rule_lines("DL3030", dockerfile) == []
