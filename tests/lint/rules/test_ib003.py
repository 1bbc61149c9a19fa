"""IB003: instruction keywords in the minority case."""

from __future__ import annotations

from collections.abc import Callable


def test_catches_lower_case_in_upper_case_file(rule_lines: Callable[..., list[int]]) -> None:
    assert rule_lines("IB003", "FROM a:1\nRUN x\nrun y\n") == [3]


def test_catches_upper_case_in_lower_case_file(rule_lines: Callable[..., list[int]]) -> None:
    assert rule_lines("IB003", "from a:1\nrun x\nRUN y\n") == [3]


def test_catches_mixed_case_keyword(rule_lines: Callable[..., list[int]]) -> None:
    assert rule_lines("IB003", "FROM a:1\nRun x\n") == [2]


def test_passes_consistent_file(rule_lines: Callable[..., list[int]]) -> None:
    assert rule_lines("IB003", "FROM a:1\nRUN x\n") == []


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
