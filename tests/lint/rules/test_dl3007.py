"""DL3007: the latest tag."""

from __future__ import annotations

from collections.abc import Callable

import pytest

Lines = Callable[..., list[int]]


@pytest.mark.parametrize(
    "text",
    [
        "FROM debian:latest\n",
        "FROM debian:latest AS builder\n",
        "FROM ${BASE}:latest\n",
        'ARG IMAGE="busybox:latest"\nFROM $IMAGE\n',
        "ARG TAG=latest\nFROM debian:${TAG}\n",
    ],
)
def test_catches_latest(rule_lines: Lines, text: str) -> None:
    assert rule_lines("DL3007", text) == [text.count("\n")]


@pytest.mark.parametrize(
    "text",
    [
        "FROM debian:jessie\n",
        "FROM hub.docker.io/debian@sha256:7959ed6f7e35\n",
        "FROM hub.docker.io/debian:latest@sha256:7959ed6f7e35\n",
        "FROM debian:${TAG}\n",
        "FROM registry:5000/debian\n",
    ],
)
def test_does_not_catch(rule_lines: Lines, text: str) -> None:
    assert rule_lines("DL3007", text) == []
