"""DL3026: use only allowed registries (reports nothing without trustedRegistries)."""

from __future__ import annotations

from collections.abc import Callable

import pytest

DOES_NOT_CATCH = [
    "FROM random.com/debian\n",
]


@pytest.mark.parametrize("dockerfile", DOES_NOT_CATCH)
def test_does_not_catch(rule_lines: Callable[..., list[int]], dockerfile: str) -> None:
    assert rule_lines("DL3026", dockerfile) == []


@pytest.mark.parametrize(
    ("dockerfile", "trusted", "lines"),
    [
        ("FROM random.com/debian\n", ("docker.io",), [1]),
        ("FROM random.com/debian\n", ("x.com", "random.com"), []),
        ("FROM scratch\n", ("x.com",), []),
        (
            "FROM ubuntu:18.04 AS a\nFROM zemanlx/ubuntu:18.04\nFROM docker.io/zemanlx/ubuntu\n",
            ("docker.io",),
            [],
        ),
        ("FROM random.com/foo AS builder1\nFROM builder1 AS builder2\n", ("random.com",), []),
        ("FROM x.com/debian\n", ("*.random.com",), [1]),
        ("FROM foo.random.com/debian\n", ("x.com", "*.random.com"), []),
        ("FROM ubuntu:18.04\nFROM random.com/a\n", ("*",), []),
        ("COPY --from=untrusted.com/repo/image:tag /foo /bar\n", ("trusted.com",), [1]),
        ("COPY --from=trusted.com/repo/image:tag /foo /bar\n", ("trusted.com",), []),
        (
            "RUN --mount=type=bind,from=untrusted.com/repo/image:tag,target=/foo foobar\n",
            ("trusted.com",),
            [1],
        ),
        (
            "RUN --mount=type=cache,from=trusted.com/repo/image:tag,target=/foo foobar\n",
            ("trusted.com",),
            [],
        ),
        (
            "FROM ubuntu:18.04 AS a\nFROM zemanlx/ubuntu:18.04\nFROM docker.io/zemanlx/ubuntu\n",
            ("trusted.com",),
            [1, 2, 3],
        ),
        ("ARG BASE=random.com/debian:12\nFROM ${BASE}\n", ("trusted.com",), [2]),
    ],
)
def test_trusted_registries(
    rule_lines: Callable[..., list[int]],
    dockerfile: str,
    trusted: tuple[str, ...],
    lines: list[int],
) -> None:
    assert rule_lines("DL3026", dockerfile, trusted_registries=trusted) == lines
