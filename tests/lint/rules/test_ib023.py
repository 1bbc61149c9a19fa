"""IB023: the ARG defaults make an invalid FROM image (BuildKit's InvalidDefaultArgInFrom)."""

from __future__ import annotations

from collections.abc import Callable

import pytest

CASES = [
    ("ARG VERSION\nFROM busybox:$VERSION\n", [2]),
    ("ARG IMAGE\nFROM $IMAGE\n", [2]),
    ('ARG SFX="box:"\nFROM busy${SFX}\n', [2]),
    ("FROM base:${TARGETVARIANT}\n", [1]),  # empty on linux/amd64
    ("FROM Alpine\n", [1]),
    ('ARG VERSION="latest"\nFROM busybox:${VERSION}\n', []),
    ('ARG BUSYBOX_VARIANT=""\nFROM busybox:stable${BUSYBOX_VARIANT}\n', []),
    ("ARG BUSYBOX_VARIANT\nFROM busybox:stable${BUSYBOX_VARIANT}\n", []),
    ("FROM base-${TARGETARCH}\n", []),
    ("FROM base-${TARGETOS}/${TARGETARCH}:1\n", []),
    ("FROM scratch AS build\nFROM build\n", []),
    ("FROM alpine@sha256:" + "a" * 64 + "\n", []),
    ("FROM alpine@sha256:abc\n", [1]),
]


@pytest.mark.parametrize(("dockerfile", "lines"), CASES)
def test_lines(rule_lines: Callable[..., list[int]], dockerfile: str, lines: list[int]) -> None:
    assert rule_lines("IB023", dockerfile) == lines


def test_message_shows_the_from_as_written(rule_messages: Callable[..., list[str]]) -> None:
    assert rule_messages("IB023", "ARG V\nFROM busybox:$V\n") == [
        "Default value for ARG busybox:$V results in empty or invalid base image name"
    ]
