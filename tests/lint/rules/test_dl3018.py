"""DL3018: pin versions in apk add."""

from __future__ import annotations

from collections.abc import Callable

import pytest

CATCHES = [
    "RUN apk add flex\n",
    "RUN apk add --no-cache \\\nflex=2.6.4-r1 \\\nlibffi \\\npython2=2.7.13-r1\n",
    "RUN apk add --repository=https://example.org/edge curl\n",
    "RUN if true; then apk add curl; fi\n",
    "ONBUILD RUN apk add flex\n",
]

DOES_NOT_CATCH = [
    "RUN apk add flex=2.6.4-r1\n",
    "RUN apk add --no-cache git~2.52.0\n",
    'RUN apk add "python3<3.6.12-r2"\n',
    "RUN apk add --virtual build-dependencies python-dev=1.1.1\n",
    "RUN apk add -X https://nl.alpinelinux.org/alpine/edge/testing flow=0.78.0-r0\n",
    "RUN apk add mypackage-1.1.1.apk\n",
    "RUN apk add curl=${CURL_VERSION}\n",
    "RUN apk add curl=$CURL_VERSION\n",
    "RUN apk del curl\n",
]


@pytest.mark.parametrize("dockerfile", CATCHES)
def test_catches(rule_lines: Callable[..., list[int]], dockerfile: str) -> None:
    assert rule_lines("DL3018", dockerfile) != []


@pytest.mark.parametrize("dockerfile", DOES_NOT_CATCH)
def test_does_not_catch(rule_lines: Callable[..., list[int]], dockerfile: str) -> None:
    assert rule_lines("DL3018", dockerfile) == []
