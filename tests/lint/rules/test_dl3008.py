"""DL3008: apt-get install without version pins."""

from __future__ import annotations

from collections.abc import Callable

import pytest

Lines = Callable[..., list[int]]


@pytest.mark.parametrize(
    "run",
    [
        "RUN apt-get update && apt-get install python",
        "ONBUILD RUN apt-get install -y curl",
        "RUN apt-get install -y curl=1.2 git",
        "RUN apt-get install -y $PACKAGES",
        "RUN <<EOF\napt-get update\napt-get install -y curl\nEOF",
    ],
)
def test_catches_unpinned(rule_lines: Lines, run: str) -> None:
    assert rule_lines("DL3008", f"FROM debian:12\n{run}\n") == [2]


@pytest.mark.parametrize(
    "run",
    [
        "RUN apt-get -y --no-install-recommends install nodejs=0.10",
        "RUN apt-get install -y python-demjson=2.2.2* \\\n  git=1:2.5.0*",
        "RUN apt-get install ./wkhtmltox_0.12.5-1.bionic_amd64.deb",
        "RUN apt-get install -y -t jessie-backports openjdk-8-jdk=8u131",
        "RUN apt-get install -y curl=${CURL_VERSION}",
        'RUN apt-get install -y "curl=$CURL_VERSION"',
        "RUN apt-get update",
        "RUN sudo apt-get install curl",
    ],
)
def test_does_not_catch(rule_lines: Lines, run: str) -> None:
    assert rule_lines("DL3008", f"FROM debian:12\n{run}\n") == []


def test_package_list_in_an_arg_is_read_from_its_value(rule_lines: Lines) -> None:
    pinned = (
        'FROM debian:12\nARG PACKAGES="curl=7.88 git=1:2.39"\nRUN apt-get install -y $PACKAGES\n'
    )
    assert rule_lines("DL3008", pinned) == []
    unpinned = "FROM debian:12\nENV PACKAGES=curl\nRUN apt-get install -y ${PACKAGES}\n"
    assert rule_lines("DL3008", unpinned) == [3]


def test_is_not_fixable() -> None:
    from builder.lint.registry import load_rule

    assert not load_rule("DL3008").fixable
