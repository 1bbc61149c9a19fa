"""IB006: FROM uses an undeclared ARG (BuildKit's UndefinedArgInFrom)."""

from __future__ import annotations

from collections.abc import Callable

import pytest

CASES = [
    ("FROM alpine:${TAG}\n", [1]),
    ("FROM alpine:3.20\nARG TAG=1\nFROM alpine:${TAG}\n", [3]),
    ("FROM alpine:${TAG:-3.20}\n", [1]),  # TAG is still undeclared
    ("FROM --platform=$BULIDPLATFORM scratch\n", [1]),
    ("ARG tag=latest\nFROM busybox:${tag}${version} AS b\n", [2]),
    ("FROM ${HTTP_PROXY}alpine\n", [1]),  # the proxy ARGs are not FROM's
    ("ARG TAG=3.20\nFROM alpine:${TAG}\n", []),
    ("ARG TAG\nFROM alpine:${TAG}\n", []),  # declared: IB023's business
    ("ARG DEBUG\nFROM scra${DEBUG:-tch}\n", []),
    ("ARG BASE=debian:12\nFROM ${BASE}\n", []),
    ("FROM --platform=$BUILDPLATFORM alpine:3.20\n", []),
    ("FROM base-${TARGETOS}-${TARGETARCH}${TARGETVARIANT}\n", []),
    ("FROM base:${TARGETOSVERSION}x-${BUILDOSVERSION}-${TARGETSTAGE}\n", []),
    ("ARG TARGETARCH\nFROM base-${TARGETARCH}\n", []),
]


@pytest.mark.parametrize(("dockerfile", "lines"), CASES)
def test_lines(rule_lines: Callable[..., list[int]], dockerfile: str, lines: list[int]) -> None:
    assert rule_lines("IB006", dockerfile) == lines


def test_suggests_a_near_name(rule_messages: Callable[..., list[str]]) -> None:
    text = "ARG MY_ARCH=amd64\nFROM --platform=linux/${MYARCH} busybox\n"
    assert rule_messages("IB006", text) == [
        "FROM argument 'MYARCH' is not declared (did you mean MY_ARCH?)"
    ]
