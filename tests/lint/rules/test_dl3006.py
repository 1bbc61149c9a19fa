"""DL3006: untagged FROM images, with ARG defaults resolved."""

from __future__ import annotations

from collections.abc import Callable

import pytest

Lines = Callable[..., list[int]]


@pytest.mark.parametrize(
    "text",
    [
        "FROM debian\n",
        "FROM debian AS builder\n",
        "FROM --platform=$BUILDPLATFORM tonistiigi/xx AS xx\n",
        "ARG BASE=debian\nFROM ${BASE}\n",
        "ARG REGISTRY=quay.io\nARG IMAGE=$REGISTRY/jupyter/base\nFROM $IMAGE\n",
        "FROM golang:1.22 AS build\nFROM node AS test\n",
    ],
)
def test_catches_untagged(rule_lines: Lines, text: str) -> None:
    assert rule_lines("DL3006", text) == [text.count("\n")]


@pytest.mark.parametrize(
    "text",
    [
        "FROM ruby:2\n",
        "FROM ruby@sha256:f1dbca0f5dbc9\n",
        "FROM scratch\n",
        "FROM ${VALUE}\n",
        "FROM ${REGISTRY}/debian\n",
        "ARG BASE=debian:12\nFROM ${BASE}\n",
        'ARG BASE="debian:12"\nFROM $BASE AS x\n',
        "FROM golang:1.9 AS build\nRUN foo\nFROM build AS unit-test\n",
        "ARG MODE=false\nFROM scratch AS bin-false\nFROM bin-${MODE} AS bin\n",
        "ARG A=${TARGETPLATFORM#linux/}\nARG A=${A:-x}\nFROM stage-${A}\n",
        "FROM ${IMAGE:-debian:12}\n",
    ],
)
def test_does_not_catch(rule_lines: Lines, text: str) -> None:
    assert rule_lines("DL3006", text) == []
