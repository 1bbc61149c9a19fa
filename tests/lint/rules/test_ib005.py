"""IB005: undefined variables (BuildKit's UndefinedVar)."""

from __future__ import annotations

from collections.abc import Callable

import pytest

CASES = [
    ("ARG V=1\nFROM scratch\nCOPY app-${V} /app\n", [3]),
    ("FROM scratch\nENV APP_DIR=/app\nWORKDIR $APPDIR\n", [3]),
    ("FROM scratch AS first\nCOPY $foo .\nFROM scratch AS second\nCOPY $bar .\n", [2, 4]),
    ("FROM alpine\nCOPY $foo .\nARG foo=bar\nRUN echo $foo\n", [2]),
    ("FROM debian:12\nWORKDIR $HOME\n", [2]),  # a base image is taken to set PATH only
    ("FROM scratch\nWORKDIR ${D:-/app}\n", [2]),  # still undefined, as BuildKit says
    ("FROM scratch\nCOPY bin-$TARGETARCH /bin/app\n", [2]),  # needs ARG TARGETARCH
    ("FROM scratch\nENV A=1 B=$A\n", [2]),  # one ENV's pairs see the state before it
    ("FROM scratch\nCOPY <<EOF /etc/motd\nhello $USER_NAME\nEOF\n", [2]),
    ("FROM scratch\nRUN --mount=type=cache,target=$CACHE make\n", [2]),
    ("FROM scratch\nARG A=$B\n", [2]),
    ("ARG V=1\nFROM scratch\nARG V\nCOPY app-${V} /app\n", []),
    ("FROM scratch\nARG TARGETARCH\nCOPY bin-$TARGETARCH /bin/app\n", []),
    ("FROM scratch\nARG foo\nCOPY Dockerfile${foo} .\n", []),  # declared without a value
    ("FROM alpine AS base\nARG foo=Dockerfile\nFROM base\nCOPY $foo .\n", []),
    ("FROM scratch AS base\nENV D=/d\nFROM base\nWORKDIR $D\n", []),
    ("FROM scratch\nARG A=1 B=$A\n", []),
    ("FROM scratch\nENV PATH=/opt/bin:$PATH\n", []),
    ("FROM scratch\nCOPY <<'EOF' /etc/motd\nhello $USER_NAME\nEOF\n", []),
    ("FROM scratch\nLABEL price=\\$FIVE\n", []),
    ("FROM scratch\nLABEL note='$NOT_EXPANDED'\n", []),
    ("FROM scratch\nRUN echo $UNSET\n", []),  # the shell's business
    ("FROM alpine\nRUN echo $PATH\n", []),
]


@pytest.mark.parametrize(("dockerfile", "lines"), CASES)
def test_lines(rule_lines: Callable[..., list[int]], dockerfile: str, lines: list[int]) -> None:
    assert rule_lines("IB005", dockerfile) == lines


def test_suggests_a_near_name(rule_messages: Callable[..., list[str]]) -> None:
    text = "FROM alpine\nARG DIR_ASSETS=assets/\nCOPY $DIR_ASSET .\n"
    assert rule_messages("IB005", text) == [
        "Usage of undefined variable '$DIR_ASSET' (did you mean $DIR_ASSETS?)"
    ]


def test_suggests_path(rule_messages: Callable[..., list[str]]) -> None:
    assert rule_messages("IB005", "FROM alpine\nENV PATH=$PAHT:/tmp/bin\n") == [
        "Usage of undefined variable '$PAHT' (did you mean $PATH?)"
    ]
