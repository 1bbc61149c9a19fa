"""DL3047: wget without a progress bar option."""

from __future__ import annotations

from collections.abc import Callable

import pytest

CATCHES = [
    "FROM node as foo\nRUN wget my.xyz\n",
    "RUN wget -O- https://example.com/a | tar xz\n",
    "RUN case $(uname -m) in \\\n  x86_64) A=amd64 ;; \\\n  esac && \\\n  wget https://e.com/$A\n",
    "ONBUILD RUN wget my.xyz\n",
]

DOES_NOT_CATCH = [
    "RUN wget --progress=dot:giga my.xyz\n",
    "RUN wget -q my.xyz\n",
    "RUN wget --quiet my.xyz\n",
    "RUN wget -nv my.xyz\n",
    "RUN wget --no-verbose my.xyz\n",
    "RUN wget --output-file=/tmp/wget.log my.xyz\n",
    "RUN wget -o /tmp/wget.log my.xyz\n",
    "RUN wget --append-output=/tmp/wget.log my.xyz\n",
    "RUN wget -a /tmp/wget.log my.xyz\n",
    "RUN curl -fsSL my.xyz\n",
]


@pytest.mark.parametrize("dockerfile", CATCHES)
def test_catches(rule_lines: Callable[..., list[int]], dockerfile: str) -> None:
    assert rule_lines("DL3047", dockerfile) != []


@pytest.mark.parametrize("dockerfile", DOES_NOT_CATCH)
def test_does_not_catch(rule_lines: Callable[..., list[int]], dockerfile: str) -> None:
    assert rule_lines("DL3047", dockerfile) == []
