"""DL3021: COPY with several sources needs a destination ending with /."""

from __future__ import annotations

from collections.abc import Callable

import pytest

CATCHES = [
    "COPY foo bar baz\n",
    'COPY foo bar "baz"\n',
    'COPY ["a", "b", "/app"]\n',
    "COPY --chown=1:1 a b /app\n",
]

DOES_NOT_CATCH = [
    "COPY foo bar\n",
    "COPY foo bar baz/\n",
    'COPY foo bar "baz/"\n',
    'COPY ["a", "b", "/app/"]\n',
    "COPY <<EOF /etc/x\nhello\nEOF\n",
]


@pytest.mark.parametrize("dockerfile", CATCHES)
def test_catches(rule_lines: Callable[..., list[int]], dockerfile: str) -> None:
    assert rule_lines("DL3021", dockerfile) != []


@pytest.mark.parametrize("dockerfile", DOES_NOT_CATCH)
def test_does_not_catch(rule_lines: Callable[..., list[int]], dockerfile: str) -> None:
    assert rule_lines("DL3021", dockerfile) == []
