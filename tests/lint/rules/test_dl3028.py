"""DL3028: pin versions in gem install."""

from __future__ import annotations

from collections.abc import Callable

import pytest

CATCHES = [
    "RUN gem i bundler\n",
    "RUN gem i bunlder:1 nokogiri\n",
    "RUN gem install bundler\n",
    "RUN gem install bundler --no-document\n",
    "ONBUILD RUN gem install bundler\n",
]

DOES_NOT_CATCH = [
    "RUN gem i bundler:1\n",
    "RUN gem i bunlder:1 nokogirii:1\n",
    "RUN gem install bundler:1\n",
    "RUN gem install bundler -v '2.0.1'\n",
    "RUN gem install bundler --version '2.0.1'\n",
    "RUN gem install bundler --version='2.0.1'\n",
    "RUN gem install bundler:2.0.1 -- --use-system-libraries=true\n",
    "RUN gem install bundler:2.0.1 --use-system-libraries true\n",
    "RUN gem install bundler:${BUNDLER_VERSION}\n",
    "RUN gem update --system\n",
]


@pytest.mark.parametrize("dockerfile", CATCHES)
def test_catches(rule_lines: Callable[..., list[int]], dockerfile: str) -> None:
    assert rule_lines("DL3028", dockerfile) != []


@pytest.mark.parametrize("dockerfile", DOES_NOT_CATCH)
def test_does_not_catch(rule_lines: Callable[..., list[int]], dockerfile: str) -> None:
    assert rule_lines("DL3028", dockerfile) == []
