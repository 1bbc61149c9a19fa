"""DL3022: COPY --from should name an earlier stage."""

from __future__ import annotations

from collections.abc import Callable

import pytest

CATCHES = [
    "COPY --from=foo bar .\n",
    "FROM scratch\nCOPY --from=build foo .\nFROM node as build\nRUN baz\n",
    "COPY --from=0 bar .\n",
    "FROM debian:12\nCOPY --from=builder /a /a\n",
]

DOES_NOT_CATCH = [
    "FROM scratch as build\nRUN foo\nFROM node\nCOPY --from=build foo .\nRUN baz\n",
    "COPY --from=haskell:latest bar .\n",
    "FROM scratch\nRUN foo\nFROM node\nCOPY --from=0 foo .\n",
    "FROM debian:12\nCOPY --from=nginx:1.25 /etc/nginx /etc/nginx\n",
    "FROM debian:12\nCOPY --from=gloursdocker/docker / /\n",
    "FROM debian:12\nCOPY --from=ghcr.io/org/tool@sha256:abc /tool /tool\n",
    "FROM debian:12\nCOPY --from=${BUILDER_IMAGE} /a /a\n",
    "FROM node AS Build\nFROM debian\nCOPY --from=build /a /a\n",
]


@pytest.mark.parametrize("dockerfile", CATCHES)
def test_catches(rule_lines: Callable[..., list[int]], dockerfile: str) -> None:
    assert rule_lines("DL3022", dockerfile) != []


@pytest.mark.parametrize("dockerfile", DOES_NOT_CATCH)
def test_does_not_catch(rule_lines: Callable[..., list[int]], dockerfile: str) -> None:
    assert rule_lines("DL3022", dockerfile) == []
