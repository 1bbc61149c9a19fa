"""IB003: instruction keywords in the minority case (BuildKit's ConsistentInstructionCasing)."""

from __future__ import annotations

from collections.abc import Callable

import pytest

CASES = [
    ("FROM a:1\nRUN x\nrun y\n", [3]),
    ("from a:1\nrun x\nRUN y\n", [3]),
    ("FROM a:1\nRun x\n", [2]),
    ("From scratch as base\nFROM scratch AS base2\n", [1]),
    ("frOM scratch as base\nfrom scratch as base2\n", [1]),
    ("FROM scratch\ncopy a /foo\n", [2]),  # a tie goes to upper case
    ("from scratch\nCOPY a /foo\nCOPY a /bar\nCOPY a /baz\n", [1]),
    ("arg V=1\nFROM a:1\nRUN x\n", []),  # ARGs before FROM are neither counted nor reported
    ("ARG V=1\narg W=2\nfrom a:1\nrun x\n", []),
    ("FROM a:1\nRUN x\n", []),
    ("FROM alpine\nRUN <<'EOT'\nenv\nEOT\n", []),
]


@pytest.mark.parametrize(("dockerfile", "lines"), CASES)
def test_lines(rule_lines: Callable[..., list[int]], dockerfile: str, lines: list[int]) -> None:
    assert rule_lines("IB003", dockerfile) == lines


def test_message_is_buildkit_s(rule_messages: Callable[..., list[str]]) -> None:
    assert rule_messages("IB003", "FROM a\ncopy b c\n") == [
        "Command 'copy' should match the case of the command majority (uppercase)"
    ]


def test_fix_rewrites_keywords_in_the_majority_case(
    rule_fix: Callable[..., str], rule_lines: Callable[..., list[int]]
) -> None:
    fixed = rule_fix("IB003", "FROM a:1\nRUN x\nrun y \\\n  && z\n")
    assert fixed == "FROM a:1\nRUN x\nRUN y \\\n  && z\n"
    assert rule_lines("IB003", fixed) == []


def test_fix_keeps_indentation_in_lower_case_file(
    rule_fix: Callable[..., str], rule_lines: Callable[..., list[int]]
) -> None:
    fixed = rule_fix("IB003", "from a:1\nrun x\n  Copy a b\n")
    assert fixed == "from a:1\nrun x\n  copy a b\n"
    assert rule_lines("IB003", fixed) == []
