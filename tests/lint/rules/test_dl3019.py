"""DL3019: use --no-cache with apk add."""

from __future__ import annotations

from collections.abc import Callable

import pytest

CATCHES = [
    "RUN apk add flex=2.6.4-r1\n",
    "RUN apk add -U curl=7.77.0\n",
    "RUN --mount=type=cache,target=/var/cache/foo apk add -U curl=7.77.0\n",
    "ONBUILD RUN apk add flex=2.6.4-r1\n",
]

DOES_NOT_CATCH = [
    "RUN apk add --no-cache flex=2.6.4-r1\n",
    "RUN --mount=type=cache,target=/var/cache/apk apk add -U curl=7.77.0\n",
    "RUN --mount=type=tmpfs,target=/var/cache/apk apk add -U curl=7.77.0\n",
    "RUN --mount=type=cache,target=/var/cache/apk/ apk add curl=7.77.0\n",
    "RUN --mount=type=cache,id=apk,sharing=locked,dst=/var/cache/apk apk add curl=7.77.0\n",
    "RUN apk update\n",
]


@pytest.mark.parametrize("dockerfile", CATCHES)
def test_catches(rule_lines: Callable[..., list[int]], dockerfile: str) -> None:
    assert rule_lines("DL3019", dockerfile) != []


@pytest.mark.parametrize("dockerfile", DOES_NOT_CATCH)
def test_does_not_catch(rule_lines: Callable[..., list[int]], dockerfile: str) -> None:
    assert rule_lines("DL3019", dockerfile) == []
