"""DL3009: apt lists left in the image; its fix."""

from __future__ import annotations

from collections.abc import Callable

import pytest

Lines = Callable[..., list[int]]
Fix = Callable[..., str]


@pytest.mark.parametrize(
    "text",
    [
        "FROM scratch\nRUN apt-get update && apt-get install python\n",
        "FROM scratch\nRUN apt update && apt install python\n",
        "FROM scratch\nRUN aptitude update && aptitude install python\n",
        "FROM ubuntu:22.04 AS foo\nRUN hey\nFROM scratch\nRUN apt-get update && apt-get install x\n",
        "FROM scratch\nRUN --mount=type=cache,target=/var/cache/apt apt-get update\n",
        "FROM scratch\nRUN --mount=type=cache,target=/var/lib/apt apt-get update\n",
        "FROM scratch\nRUN --mount=type=bind,target=/var/lib/apt/lists apt-get update\n",
    ],
)
def test_catches_missing_cleanup(rule_lines: Lines, text: str) -> None:
    assert rule_lines("DL3009", text) == [text.count("\n")]


def test_catches_stage_used_by_a_later_from(rule_lines: Lines) -> None:
    text = (
        "FROM ubuntu:22.04 AS foo\nRUN apt-get update && apt-get install python\nFROM foo\nRUN x\n"
    )
    assert rule_lines("DL3009", text) == [2]


def test_catches_onbuild_whatever_the_stage(rule_lines: Lines) -> None:
    text = "FROM ubuntu:22.04 AS foo\nONBUILD RUN apt-get update\nFROM scratch\nRUN x\n"
    assert rule_lines("DL3009", text) == [2]


@pytest.mark.parametrize(
    "text",
    [
        "FROM scratch\nRUN apt-get update && apt-get install x && rm -rf /var/lib/apt/lists/*\n",
        "FROM ubuntu:22.04 AS foo\nRUN apt-get update && apt-get install x\nFROM scratch\nRUN x\n",
        "FROM scratch\nRUN --mount=type=cache,target=/var/lib/apt/lists apt-get update\n",
        "FROM scratch\nRUN --mount=type=cache,target=/var/lib/apt \\\n"
        "    --mount=type=cache,target=/var/cache/apt apt-get update\n",
        "FROM scratch\nRUN --mount=type=tmpfs,target=/var/cache/apt \\\n"
        "  --mount=type=tmpfs,target=/var/lib/apt apt-get update\n",
        "FROM scratch\nRUN apt-get install ./x.deb\n",
    ],
)
def test_does_not_catch(rule_lines: Lines, text: str) -> None:
    assert rule_lines("DL3009", text) == []


@pytest.mark.parametrize(
    ("before", "after"),
    [
        (
            "FROM debian:12\nRUN apt-get update && apt-get install -y x=1\n",
            "FROM debian:12\nRUN apt-get update && apt-get install -y x=1 \\\n"
            "    && rm -rf /var/lib/apt/lists/*\n",
        ),
        (
            'FROM debian:12\nRUN apt-get update \\\n  && apt-get install -y x=1\nCMD ["x"]\n',
            "FROM debian:12\nRUN apt-get update \\\n  && apt-get install -y x=1 \\\n"
            '  && rm -rf /var/lib/apt/lists/*\nCMD ["x"]\n',
        ),
        (
            "FROM debian:12\nRUN <<EOF\napt-get update\napt-get install -y x=1\nEOF\n",
            "FROM debian:12\nRUN <<EOF\napt-get update\napt-get install -y x=1\n"
            "rm -rf /var/lib/apt/lists/*\nEOF\n",
        ),
        (
            "# escape=`\nFROM debian:12\nONBUILD RUN apt-get update\n",
            "# escape=`\nFROM debian:12\nONBUILD RUN apt-get update `\n"
            "    && rm -rf /var/lib/apt/lists/*\n",
        ),
    ],
)
def test_fix_appends_the_cleanup_and_lints_clean(
    rule_fix: Fix, rule_lines: Lines, before: str, after: str
) -> None:
    assert rule_lines("DL3009", before)
    fixed = rule_fix("DL3009", before)
    assert fixed == after
    assert rule_lines("DL3009", fixed) == []


@pytest.mark.parametrize(
    "text",
    [
        'FROM debian:12\nRUN ["apt-get", "update"]\n',
        "FROM debian:12\nRUN apt-get update # refresh\n",
        "FROM debian:12\nRUN python3 <<EOF\nimport os\nEOF\nRUN apt-get update ;\n",
    ],
)
def test_no_fix_where_appending_is_unsafe(rule_fix: Fix, text: str) -> None:
    assert rule_fix("DL3009", text) == text
