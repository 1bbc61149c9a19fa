"""DL3015: avoid additional packages with --no-install-recommends."""

from __future__ import annotations

from collections.abc import Callable

import pytest

CATCHES = [
    "RUN apt-get install python\n",
    "RUN apt-get -y install python\n",
    "ONBUILD RUN apt-get -y install python\n",
    "RUN <<EOF\napt-get update\napt-get install -y curl\nEOF\n",
]

DOES_NOT_CATCH = [
    "RUN apt-get install --no-install-recommends python\n",
    "RUN apt-get -o APT::Install-Recommends=false install python\n",
    "RUN apt-get update\n",
]


@pytest.mark.parametrize("dockerfile", CATCHES)
def test_catches(rule_lines: Callable[..., list[int]], dockerfile: str) -> None:
    assert rule_lines("DL3015", dockerfile) != []


@pytest.mark.parametrize("dockerfile", DOES_NOT_CATCH)
def test_does_not_catch(rule_lines: Callable[..., list[int]], dockerfile: str) -> None:
    assert rule_lines("DL3015", dockerfile) == []


@pytest.mark.parametrize(
    ("before", "after"),
    [
        ("RUN apt-get install -y curl\n", "RUN apt-get install --no-install-recommends -y curl\n"),
        (
            "RUN apt-get update \\\n    # tools\n    && apt-get -y install \\\n      curl\n",
            "RUN apt-get update \\\n    # tools\n    && apt-get -y install --no-install-recommends \\\n"
            "      curl\n",
        ),
        (
            "RUN apt-get install -y a && apt-get install --no-install-recommends -y b\n",
            "RUN apt-get install --no-install-recommends -y a"
            " && apt-get install --no-install-recommends -y b\n",
        ),
        (
            "ONBUILD RUN apt-get install -y x\n",
            "ONBUILD RUN apt-get install --no-install-recommends -y x\n",
        ),
    ],
)
def test_fix_adds_the_flag_and_lints_clean(
    rule_fix: Callable[..., str], rule_lines: Callable[..., list[int]], before: str, after: str
) -> None:
    fixed = rule_fix("DL3015", before)
    assert fixed == after
    assert rule_lines("DL3015", fixed) == []
