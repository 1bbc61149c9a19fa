"""DL3055: a hash label that is not a git hash."""

from __future__ import annotations

from collections.abc import Callable

CONTEXT = {"label_schema": {"githash": "hash"}}


def test_catches_branch_name(rule_lines: Callable[..., list[int]]) -> None:
    assert rule_lines("DL3055", 'LABEL githash="main"\n', **CONTEXT) == [1]


def test_catches_upper_case_hash(rule_lines: Callable[..., list[int]]) -> None:
    assert rule_lines("DL3055", 'LABEL githash="2DBFAE9"\n', **CONTEXT) == [1]


def test_passes_short_hash(rule_lines: Callable[..., list[int]]) -> None:
    assert rule_lines("DL3055", 'LABEL githash="2dbfae9"\n', **CONTEXT) == []


def test_passes_full_hash(rule_lines: Callable[..., list[int]]) -> None:
    assert (
        rule_lines(
            "DL3055", 'LABEL githash="43c572f1272b6b3171dd1db9e41b7027128ce080"\n', **CONTEXT
        )
        == []
    )
