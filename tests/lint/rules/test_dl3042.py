"""DL3042: avoid pip's cache directory."""

from __future__ import annotations

from collections.abc import Callable

import pytest

CATCHES = [
    "RUN pip install MySQL_python\n",
    "RUN pip3 install MySQL_python\n",
    "RUN python3 -m pip install foo==1\n",
    "ENV PIP_NO_CACHE_DIR=0\nRUN pip install MySQL_python\n",
    "RUN PIP_NO_CACHE_DIR=off pip install MySQL_python\n",
    "FROM debian:12 AS base\nENV PIP_NO_CACHE_DIR=1\nFROM debian:12\nRUN pip install six\n",
    "RUN --mount=type=cache,target=/var/cache/apt pip install foobar\n",
    "ONBUILD RUN pip install MySQL_python\n",
]

DOES_NOT_CATCH = [
    "RUN pip install MySQL_python --no-cache-dir\n",
    "RUN pip3 install --no-cache-dir MySQL_python\n",
    "RUN pipx install software\n",
    "RUN pipenv install library\n",
    "ENV PIP_NO_CACHE_DIR=1\nRUN pip install MySQL_python\n",
    "ENV PIP_NO_CACHE_DIR=true\nRUN pip install MySQL_python\n",
    "RUN PIP_NO_CACHE_DIR=1 pip install MySQL_python\n",
    "RUN export PIP_NO_CACHE_DIR=yes && pip install MySQL_python\n",
    "FROM debian:12 AS base\nENV PIP_NO_CACHE_DIR=1\nFROM base\nRUN pip install six\n",
    "RUN --mount=type=cache,target=/root/.cache/pip pip install foobar\n",
    "RUN --mount=type=tmpfs,target=/root/.cache/pip pip install foobar\n",
    "RUN --mount=type=cache,target=/root/.cache pip install foobar\n",
    "RUN --mount=type=cache,uid=1000,target=/home/app/.cache/pip pip install foobar\n",
    "RUN pip download foo\n",
]


@pytest.mark.parametrize("dockerfile", CATCHES)
def test_catches(rule_lines: Callable[..., list[int]], dockerfile: str) -> None:
    assert rule_lines("DL3042", dockerfile) != []


@pytest.mark.parametrize("dockerfile", DOES_NOT_CATCH)
def test_does_not_catch(rule_lines: Callable[..., list[int]], dockerfile: str) -> None:
    assert rule_lines("DL3042", dockerfile) == []


@pytest.mark.parametrize(
    ("before", "after"),
    [
        ("RUN pip install django==5.0.6\n", "RUN pip install --no-cache-dir django==5.0.6\n"),
        (
            "RUN python3 -m pip install -U pip && \\\n    pip3 install \\\n      -r requirements.txt\n",
            "RUN python3 -m pip install --no-cache-dir -U pip && \\\n    pip3 install --no-cache-dir \\\n      -r requirements.txt\n",
        ),
        (
            "RUN pip install --upgrade a && pip install --no-cache-dir b\n",
            "RUN pip install --no-cache-dir --upgrade a && pip install --no-cache-dir b\n",
        ),
        ("ONBUILD RUN pip install x==1\n", "ONBUILD RUN pip install --no-cache-dir x==1\n"),
    ],
)
def test_fix(
    rule_fix: Callable[..., str], rule_lines: Callable[..., list[int]], before: str, after: str
) -> None:
    fixed = rule_fix("DL3042", before)
    assert fixed == after
    assert rule_lines("DL3042", fixed) == []


@pytest.mark.parametrize(
    "dockerfile",
    [
        "RUN pip install --no-cache-dir x==1\n",
    ],
)
def test_no_fix_where_unsafe(rule_fix: Callable[..., str], dockerfile: str) -> None:
    assert rule_fix("DL3042", dockerfile) == dockerfile
