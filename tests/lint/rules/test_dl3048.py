"""DL3048: invalid label keys."""

from __future__ import annotations

from collections.abc import Callable

import pytest

CATCHES = [
    'LABEL com.docker.label="foo"\n',
    'LABEL io.docker.label="foo"\n',
    'LABEL org.dockerproject.label="foo"\n',
    'LABEL invalid$character="foo"\n',
    'LABEL .invalid="foo"\n',
    'LABEL -invalid="foo"\n',
    'LABEL 1invalid="foo"\n',
    'LABEL invalid..character="foo"\n',
    'LABEL invalid--character="foo"\n',
    'LABEL Maintainer="x"\n',
    'LABEL foo_="x"\n',
]

DOES_NOT_CATCH = [
    'LABEL org.valid-key.label3="foo"\n',
    'LABEL validlabel="foo"\n',
    'LABEL "registry_image"="r.j3ss.co/transmission"\n',
    'LABEL maintainer "Jessie Frazelle <jess@linux.com>"\n',
    "LABEL a=1 b.c=2\n",
]


@pytest.mark.parametrize("dockerfile", CATCHES)
def test_catches(rule_lines: Callable[..., list[int]], dockerfile: str) -> None:
    assert rule_lines("DL3048", dockerfile) != []


@pytest.mark.parametrize("dockerfile", DOES_NOT_CATCH)
def test_does_not_catch(rule_lines: Callable[..., list[int]], dockerfile: str) -> None:
    assert rule_lines("DL3048", dockerfile) == []
